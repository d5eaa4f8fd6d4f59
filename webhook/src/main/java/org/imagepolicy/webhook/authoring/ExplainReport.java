package org.imagepolicy.webhook.authoring;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.imagepolicy.webhook.admission.ConditionCheck;
import org.imagepolicy.webhook.admission.Decision;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.admission.PlannedReference;
import org.imagepolicy.webhook.admission.ReferenceTrace;
import org.imagepolicy.webhook.admission.RuleCheck;
import org.imagepolicy.webhook.image.ImageLookup;
import org.imagepolicy.webhook.image.ImageMetadata;
import org.imagepolicy.webhook.image.ImageReference;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.policy.GroupResource;
import org.imagepolicy.webhook.policy.ImagePolicy;
import org.imagepolicy.webhook.report.Outcome;
import org.imagepolicy.webhook.report.ReferenceOutcomes;

/** Writes the engine's explained decision for one image as steps a person can follow. */
public final class ExplainReport {
    private ExplainReport() {
    }

    /**
     * @param judgesImages whether any allow or deny rule applies to the resource ({@link ImagePolicyEngine#judgesImagesOf})
     * @param offline whether lookups were answered "offline" without contacting a registry
     */
    public static String render(ImagePolicy policy, String image, GroupResource resource, String namespace,
            ImagePolicyEngine.Explanation explained, boolean judgesImages, boolean offline) {
        StringBuilder sb = new StringBuilder(1024);
        sb.append("Image \"").append(image).append("\" in ").append(resource).append(", namespace ").append(namespace).append('\n');
        Decision decision = explained.decision();
        if (explained.references().isEmpty()) {
            sb.append('\n').append("Decision: ").append(decision.outcome()).append('\n');
            if (decision.outcome() == Decision.Outcome.SKIPPED) {
                sb.append("  not checked: ").append(whySkipped(policy, resource, namespace)).append('\n');
            } else if (decision.message() != null) {
                sb.append("  ").append(decision.message()).append('\n');
            } else if (org.imagepolicy.webhook.policy.Resources.IMPORTING.contains(resource)) {
                // The import policy needs no lookup and no rule steps: the registry the name points to decides.
                sb.append("  the import policy allows it: images may be imported from ").append(policy.allowedRegistriesForImport().stream()
                        .map(org.imagepolicy.webhook.image.ImportPattern::display).distinct().collect(java.util.stream.Collectors.joining(", ")))
                        .append(" and the integrated registry (allowedRegistriesForImport)").append('\n');
            }
            sb.append("  in audit and test reports: ").append(ReferenceOutcomes.of(decision, judgesImages, List.of()).word()).append('\n');
            return sb.toString();
        }
        int step = 1;
        for (ReferenceTrace t : explained.references()) {
            step = reference(sb, step, t.planned(), policy);
            step = lookup(sb, step, t, offline);
            step = rules(sb, step, t, resource);
        }
        sb.append('\n').append(step).append(". Decision: ").append(decision.outcome()).append(decision.allowed() ? "" : " (HTTP " + decision.code() + ")")
                .append('\n');
        if (decision.message() != null) {
            sb.append("   ").append(decision.message()).append('\n');
        }
        for (String w : decision.warnings()) {
            sb.append("   warning: ").append(w).append('\n');
        }
        decision.auditAnnotations().forEach((k, v) -> sb.append("   audit annotation ").append(k).append(": ").append(v).append('\n'));
        for (ReferenceTrace t : explained.references()) {
            Outcome o = ReferenceOutcomes.of(decision, judgesImages, t.violations());
            sb.append("   in audit and test reports: ").append(o.word());
            if (explained.references().size() > 1) {
                sb.append(" (").append(t.planned().field().path()).append(')');
            }
            if (o == Outcome.SKIP && t.violations().isEmpty()) {
                sb.append(": no allow or deny rule applies to ").append(resource).append(", so the webhook admits it without judging the image");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static int reference(StringBuilder sb, int step, PlannedReference p, ImagePolicy policy) {
        sb.append('\n').append(step).append(". Reference ").append(p.field().path()).append('\n');
        ImageReference ref = p.reference();
        if (ref == null) {
            sb.append("   not a valid image reference: ").append(p.parseError() == null ? p.field().display() : p.parseError()).append('\n');
            return step + 1;
        }
        List<String> candidates = policy.unqualifiedCandidates();
        row(sb, "registry", ref.qualified() ? ref.registry() + (ref.registry().equals(p.registryKey()) ? "" : " (compared as " + p.registryKey() + ")")
                : !p.registryKey().isEmpty() ? "none written; it comes from " + p.registryKey() + " (" + (policy.unqualifiedSearchRegistries().isEmpty()
                        ? "defaultRegistry" : "the one unqualifiedSearchRegistries entry") + ")"
                : candidates.size() > 1 ? "none written; nodes may pull it from any of " + candidates
                        + " (unqualifiedSearchRegistries), so it is judged as coming from each"
                : "none written, and the policy names no registry for such images (defaultRegistry, unqualifiedSearchRegistries)");
        row(sb, "path", ref.path());
        row(sb, "repository", p.repository() == null ? (candidates.size() > 1 ? "one per search registry, below"
                : "none: without a registry no registry or repository rule can match it") : p.repository()
                + (p.repository().endsWith("/" + ref.path()) ? "" : " (Docker Hub's official images live under library/)"));
        row(sb, "tag", ref.tag() != null ? ref.tag() : ref.digest() != null ? "none (pinned by digest)" : "none (the runtime pulls latest)");
        row(sb, "digest", ref.digest() != null ? ref.digest() : "none");
        if (p.integrated()) {
            row(sb, "integrated", "yes: the registry is one of integratedRegistryHostnames " + policy.integratedRegistryHostnames());
        }
        return step + 1;
    }

    private static int lookup(StringBuilder sb, int step, ReferenceTrace t, boolean offline) {
        PlannedReference p = t.planned();
        sb.append('\n').append(step).append(". Registry lookup\n");
        if (!p.lookup() && t.resolution() instanceof Resolution.Failed never) {
            sb.append("   never looked up: ").append(never.reason()).append('\n');
            if (t.deniedAsUnresolvable()) {
                sb.append("   resolveImages requires resolution, so the image is denied without evaluating rules\n");
            }
            return step + 1;
        }
        if (!p.lookup()) {
            sb.append("   none: its answer could not change the decision (no rule applying here reads labels or annotations,")
                    .append(" resolveImages does not require resolution, or the name alone already decides)\n");
            return step + 1;
        }
        String target = !p.registryLookup() ? p.field().display() : p.registryKey().isEmpty() ? p.field().display() + " (it names no registry)"
                : ImageLookup.of(p.reference(), p.registryKey(), p.repository()).toString();
        Resolution r = t.resolution();
        if (r instanceof Resolution.Resolved ok) {
            ImageMetadata m = ok.metadata();
            sb.append("   ").append(target).append(" resolved").append(ok.integratedRegistry() ? " (in the integrated registry)" : "").append('\n');
            if (ok.source() != null) {
                row(sb, "answered by", ok.source());
            }
            if (ok.pullSpec() != null) {
                row(sb, "pulled as", ok.pullSpec());
            }
            if (m == null) {
                row(sb, "image", "none known yet, so no labels or annotations to judge");
            } else {
                row(sb, "digest", m.digest() == null ? "not given" : m.digest());
                row(sb, "labels", new TreeMap<>(m.labels()).toString());
                row(sb, "annotations", new TreeMap<>(m.annotations()).toString());
            }
            if (ok.staleness() != null) {
                row(sb, "stale", ok.staleness());
            }
        } else if (r instanceof Resolution.Failed failed) {
            sb.append("   ").append(target).append(offline && Resolution.OFFLINE.equals(failed) ? " would be looked up; offline, it counts as failed"
                    : " failed: " + failed.reason()).append('\n');
            if (t.deniedAsUnresolvable()) {
                sb.append("   resolveImages requires resolution, so the image is denied without evaluating rules\n");
            }
        }
        return step + 1;
    }

    private static int rules(StringBuilder sb, int step, ReferenceTrace t, GroupResource resource) {
        if (t.deniedAsUnresolvable() || t.planned().reference() == null && t.planned().parseError() != null) {
            return step;
        }
        sb.append('\n').append(step).append(". Rules for ").append(resource);
        if (!t.coveredByExecution()) {
            sb.append(": no execution rule applies\n");
            return step + 1;
        }
        sb.append(t.defaultReject() ? " (default-deny: some allow rule applies, so an image no allow rule matches is denied)" : "").append('\n');
        String reading = null;
        for (RuleCheck r : t.rules()) {
            if (r.candidateRegistry() != null && !r.candidateRegistry().equals(reading)) {
                reading = r.candidateRegistry();
                sb.append("   as pulled from ").append(reading).append(" (").append(r.candidateRepository()).append("):\n");
            }
            sb.append("   ").append(r.rule().describe()).append(": ").append(status(r, t.planned().lookup())).append('\n');
            for (ConditionCheck c : r.conditions()) {
                sb.append("     ").append(c.held() ? "holds    " : "fails    ").append(c.condition()).append(": ").append(c.detail()).append('\n');
            }
            if (r.rule().invertMatch() && !r.conditions().isEmpty()) {
                sb.append("     invertMatch: the rule matches when its conditions do not all hold\n");
            }
        }
        return step + 1;
    }

    private static String status(RuleCheck r, boolean lookedUp) {
        switch (r.status()) {
            case EXCLUDED:
                return "not evaluated (the namespace opted out of it)";
            case SKIPPED_UNRESOLVED:
                return lookedUp ? "not evaluated (skipOnResolutionFailure, and the image did not resolve)"
                        : "not evaluated (skipOnResolutionFailure, and the image was not looked up)";
            case MATCHED:
                if (!r.rule().reject()) {
                    return "MATCHED: allows the image (unless a deny rule matches)";
                }
                switch (r.rule().enforcement()) {
                    case Warn:
                        return "MATCHED: admits the image with a warning";
                    case Audit:
                        return "MATCHED: admits the image, recorded for audit";
                    default:
                        return "MATCHED: denies the image";
                }
            default:
                return "not matched";
        }
    }

    private static String whySkipped(ImagePolicy policy, GroupResource resource, String namespace) {
        if (policy.exemptNamespaces().contains(namespace)) {
            return "namespace " + namespace + " is in exemptNamespaces";
        }
        if (org.imagepolicy.webhook.policy.Resources.IMPORTING.contains(resource)) {
            return "the policy has no allowedRegistriesForImport, so imports from every registry are allowed, as in OpenShift";
        }
        List<String> reasons = new ArrayList<>();
        boolean covered = policy.executionRules().stream().anyMatch(r -> r.onResources().contains(resource))
                || policy.resolutionRules().stream().anyMatch(r -> r.covers(resource));
        if (!covered) {
            reasons.add("no execution or resolution rule covers " + resource);
        }
        return reasons.isEmpty() ? "the webhook does not check this request" : String.join("; ", reasons);
    }

    private static void row(StringBuilder sb, String name, String value) {
        sb.append("   ").append(String.format("%-12s", name)).append(value).append('\n');
    }
}
