package org.imagepolicy.webhook.admission;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.imagepolicy.webhook.image.ImageMetadata;
import org.imagepolicy.webhook.image.ImageReference;
import org.imagepolicy.webhook.image.InvalidImageReferenceException;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.policy.Enforcement;
import org.imagepolicy.webhook.policy.ExecutionRule;
import org.imagepolicy.webhook.policy.ImagePolicy;
import org.imagepolicy.webhook.policy.LabelSelector;
import org.imagepolicy.webhook.policy.ValueCondition;

/**
 * Upstream's per-reference algorithm in two steps, so lookups can happen in between: plan (parse, match
 * names, decide whether to look up), then judge (resolve errors, then the resource's execution rules).
 * Unlike upstream it does not stop at the first matching deny rule, so that a denial can name every rule
 * involved, and it keeps the resolution error and the deciding rule side by side in the reason.
 */
final class ReferenceJudge {
    private static final int MAX_RULES_LISTED = 5;

    private final ImagePolicy policy;
    /** Where an image that names no registry may come from; judged against each when there are several. */
    private final List<String> candidates;
    /** The one registry an unqualified image comes from, or {@code ""} when there is none or several. */
    private final String impliedRegistryKey;
    private final LookupPlanner planner;

    ReferenceJudge(ImagePolicy policy) {
        this.policy = policy;
        this.planner = new LookupPlanner(policy);
        this.candidates = policy.unqualifiedCandidates();
        this.impliedRegistryKey = candidates.size() == 1 ? candidates.get(0) : "";
    }

    /** The gather step: parse, match names, and decide whether a lookup could matter. */
    PlannedReference plan(ImageField field, ResourceRules rr, Set<String> excludedRules, boolean mutating, boolean update) {
        ImageReference ref = null;
        String parseError = null;
        if (field.isDockerImage()) {
            try {
                ref = ImageReference.parse(field.name());
            } catch (InvalidImageReferenceException e) {
                parseError = e.getMessage();
            }
        }
        String registryKey = ref == null ? "" : ref.qualified() ? ref.registryKey() : impliedRegistryKey;
        String repository = ref == null ? null : ref.canonicalRepository(impliedRegistryKey);
        boolean integrated = integrated(registryKey);
        PlannedReference planned = new PlannedReference(field, ref, parseError, registryKey, repository, integrated, false, false);
        if (searchedAcrossRegistries(ref)) {
            return planned; // no one registry to look it up in, or to pin it from
        }
        boolean pin = mutating && planner.pinnable(planned, rr, excludedRules, update);
        boolean lookup = pin || planner.worthLookingUp(planned, rr, excludedRules);
        return lookup ? planned.withLookup(true, pin) : planned;
    }

    /**
     * The decide step, from the plan and whatever facts were gathered for it.
     *
     * @param trace records each step for {@code explain}; {@code null} on every admission
     */
    void judge(PlannedReference p, ResourceRules rr, Set<String> excludedRules, ImageFacts facts, List<Violation> out,
            List<String> notes, ReferenceTrace.Recorder trace) {
        ImageField field = p.field();
        if (p.parseError() != null) {
            out.add(new Violation(field, Enforcement.Deny, null, Violation.Kind.INVALID_REFERENCE, field.display() + " is not a valid image reference: " + p.parseError()));
            return;
        }
        if (searchedAcrossRegistries(p.reference())) {
            judgeEachCandidate(p, rr, excludedRules, out, trace);
            return;
        }
        String resolutionError = null;
        ImageMetadata metadata = null;
        String display = field.display();
        boolean integrated = p.integrated();
        if (p.lookup()) {
            Resolution res = isResolvableKind(field) ? facts.lookup(field, p.reference())
                    : new Resolution.Failed("image policy does not allow image references of kind \"" + field.kind() + "\"");
            if (trace != null) {
                trace.resolution = res;
            }
            if (res instanceof Resolution.Resolved) {
                Resolution.Resolved ok = (Resolution.Resolved) res;
                metadata = ok.metadata();
                integrated |= ok.integratedRegistry();
                if (ok.source() != null) {
                    display += " (judged on " + ok.source() + ")";
                }
                if (ok.staleness() != null) {
                    notes.add(field.path() + ": " + field.display() + " was judged on cached registry data: " + ok.staleness());
                }
            } else {
                resolutionError = ((Resolution.Failed) res).reason();
                if (policy.resolveImages().failOnResolutionFailure()) {
                    if (trace != null) {
                        trace.deniedAsUnresolvable = true;
                    }
                    out.add(new Violation(field, Enforcement.Deny, null, Violation.Kind.UNRESOLVABLE, field.display() + " could not be resolved, and resolveImages: "
                            + policy.resolveImages() + " denies images that cannot be resolved: " + resolutionError));
                    return;
                }
            }
        }
        evaluate(p, display, rr, excludedRules, metadata, integrated, resolutionError, out, trace);
    }

    private boolean searchedAcrossRegistries(ImageReference ref) {
        return ref != null && !ref.qualified() && candidates.size() > 1;
    }

    private boolean integrated(String registryKey) {
        return !registryKey.isEmpty() && NameConditions.anyHost(policy.integratedRegistryHostnames(), registryKey);
    }

    /**
     * An image that names no registry is pulled from the first search registry that has it, so it is judged
     * as coming from each: allowed only if every candidate would be, denied if any would be. It is never
     * looked up (which registry's image would run is the node's choice), so resolution counts as failed.
     */
    private void judgeEachCandidate(PlannedReference p, ResourceRules rr, Set<String> excludedRules, List<Violation> out,
            ReferenceTrace.Recorder trace) {
        ImageField field = p.field();
        ImageReference ref = p.reference();
        String resolutionError = null;
        if (rr.requestsResolution()) {
            resolutionError = "it names no registry, and nodes may pull it from any of " + String.join(", ", candidates)
                    + " (unqualifiedSearchRegistries), so it cannot be resolved to one image; write the registry, as in "
                    + ref.canonicalRepository(candidates.get(0)) + (ref.digest() != null ? "@" + ref.digest() : ref.tag() != null ? ":" + ref.tag() : "");
            if (trace != null) {
                trace.resolution = new Resolution.Failed(resolutionError);
            }
            if (policy.resolveImages().failOnResolutionFailure()) {
                if (trace != null) {
                    trace.deniedAsUnresolvable = true;
                }
                out.add(new Violation(field, Enforcement.Deny, null, Violation.Kind.UNRESOLVABLE, field.display() + " could not be resolved, and resolveImages: "
                        + policy.resolveImages() + " denies images that cannot be resolved: " + resolutionError));
                return;
            }
        }
        int before = out.size();
        for (String candidate : candidates) {
            String repository = ref.canonicalRepository(candidate);
            PlannedReference as = new PlannedReference(field, ref, null, candidate, repository, integrated(candidate), false, false);
            String display = field.display() + " (which a node may pull from " + candidate + " as " + repository + ")";
            List<Violation> found = new ArrayList<>(0);
            if (trace != null) {
                trace.candidate = as;
            }
            evaluate(as, display, rr, excludedRules, null, as.integrated(), resolutionError, found, trace);
            for (Violation v : found) {
                if (!alreadyFound(out, before, v.rule())) {
                    out.add(v);
                }
            }
        }
    }

    private static boolean alreadyFound(List<Violation> out, int from, String rule) {
        for (int i = from; i < out.size(); i++) {
            if (java.util.Objects.equals(out.get(i).rule(), rule)) {
                return true;
            }
        }
        return false;
    }

    /** The resource's execution rules against one reading of the reference. */
    private void evaluate(PlannedReference p, String display, ResourceRules rr, Set<String> excludedRules, ImageMetadata metadata,
            boolean integrated, String resolutionError, List<Violation> out, ReferenceTrace.Recorder trace) {
        ImageField field = p.field();
        if (trace != null) {
            trace.coveredByExecution = rr.coveredByExecution();
            trace.defaultReject = rr.defaultReject();
        }
        if (!rr.coveredByExecution()) {
            return;
        }
        boolean allowMatched = false;
        List<ExecutionRule> rules = rr.rules();
        // Only rules that could match the name: the others would not match, so they change nothing. explain
        // shows every rule, so a trace walks them all (CandidateRulesPropertyTest: the same decision either way).
        int[] order = trace == null ? rr.candidates().candidates(p.registryKey(), p.repository())
                : java.util.stream.IntStream.range(0, rules.size()).toArray();
        for (int i : order) {
            ExecutionRule rule = rules.get(i);
            if (excludedRules.contains(rule.name()) && !rule.ignoreNamespaceOverride()) {
                if (trace != null) {
                    trace.rule(rule, RuleCheck.Status.EXCLUDED, List.of());
                }
                continue;
            }
            if (metadata == null && rule.skipOnResolutionFailure()) {
                if (trace != null) {
                    trace.rule(rule, RuleCheck.Status.SKIPPED_UNRESOLVED, List.of());
                }
                continue;
            }
            List<ConditionCheck> checks = trace == null ? null : new ArrayList<>();
            boolean matched = conditionHolds(rule, p, metadata, integrated, checks) != rule.invertMatch();
            if (trace != null) {
                trace.rule(rule, matched ? RuleCheck.Status.MATCHED : RuleCheck.Status.NOT_MATCHED, checks);
            }
            if (matched && rule.reject()) {
                out.add(new Violation(field, rule.enforcement(), rule.name(), Violation.Kind.DENY_RULE, display + " matches " + rule.describe()
                        + resolutionNote(resolutionError) + "; use an image this rule does not match"));
            } else if (matched) {
                allowMatched = true;
            }
        }
        if (!allowMatched && rr.defaultReject()) {
            out.add(new Violation(field, rr.allowEnforcement(), null, Violation.Kind.NO_ALLOW_RULE,
                    noAllowRuleReason(field, display, p.reference(), p.registryKey(), rr, metadata, resolutionError)));
        }
    }

    private static boolean isResolvableKind(ImageField field) {
        String kind = field.kind();
        return field.isDockerImage() || "ImageStreamTag".equals(kind) || "ImageStreamImage".equals(kind);
    }

    /**
     * Conditions are ANDed; metadata conditions cannot hold without a resolved image. With {@code trace}, every
     * condition is evaluated and recorded (see {@link NameConditions}); without, the first failure decides.
     */
    private static boolean conditionHolds(ExecutionRule rule, PlannedReference p, ImageMetadata metadata, boolean integrated,
            List<ConditionCheck> trace) {
        if (!NameConditions.hold(rule, p, integrated, trace) && trace == null) {
            return false;
        }
        boolean all = trace == null || trace.stream().allMatch(ConditionCheck::held);
        if (metadata == null) {
            if (rule.needsMetadata()) {
                NameConditions.record(trace, "image labels and annotations", false, "the image was not resolved, so its labels"
                        + " and annotations are unknown and no condition on them holds");
                return false;
            }
            return all;
        }
        for (ValueCondition c : rule.matchDockerImageLabels()) {
            boolean held = c.matches(metadata.labels());
            if (trace == null) {
                if (!held) {
                    return false;
                }
            } else {
                all &= NameConditions.record(trace, "matchDockerImageLabels " + c, held, valueDetail("label", c, metadata.labels()));
            }
        }
        for (LabelSelector s : rule.matchImageLabels()) {
            boolean held = s.matches(metadata.labels());
            if (trace == null) {
                if (!held) {
                    return false;
                }
            } else {
                all &= NameConditions.record(trace, "matchImageLabels " + s, held, "the image's labels are " + new java.util.TreeMap<>(metadata.labels()));
            }
        }
        for (ValueCondition c : rule.matchImageAnnotations()) {
            boolean held = c.matches(metadata.annotations());
            if (trace == null) {
                if (!held) {
                    return false;
                }
            } else {
                all &= NameConditions.record(trace, "matchImageAnnotations " + c, held, valueDetail("annotation", c, metadata.annotations()));
            }
        }
        return all;
    }

    private static String valueDetail(String what, ValueCondition c, java.util.Map<String, String> values) {
        String actual = values.get(c.key());
        return actual == null ? "the image has no " + what + " " + c.key() : "the image's " + what + " " + c.key() + " is \"" + actual + "\"";
    }

    private String noAllowRuleReason(ImageField field, String display, ImageReference ref, String registryKey, ResourceRules rr,
            ImageMetadata metadata, String resolutionError) {
        StringBuilder sb = new StringBuilder(160);
        sb.append("no allow rule for ").append(rr.resource()).append(" matched ").append(display).append(" (");
        List<String> rules = new ArrayList<>();
        for (ExecutionRule rule : rr.allowRules()) {
            if (rules.size() == MAX_RULES_LISTED) {
                rules.add("and " + (rr.allowRules().size() - MAX_RULES_LISTED) + " more");
                break;
            }
            rules.add(rule.describe());
        }
        sb.append(String.join("; ", rules)).append(')');
        boolean registryRules = rr.allowRules().stream().anyMatch(r -> !r.matchRegistries().isEmpty() || !r.matchRepositories().isEmpty());
        if (ref != null && registryKey.isEmpty() && registryRules) {
            String full = ref.path().indexOf('/') < 0 ? "docker.io/library/" + ref.raw() : "docker.io/" + ref.raw();
            sb.append("; the image names no registry, so no registry rule can match it: write the registry, as in ").append(full)
                    .append(", or list the nodes' search registries in the policy's unqualifiedSearchRegistries");
        } else if (!field.isDockerImage() && resolutionError != null) {
            sb.append("; image stream references are judged by the image they resolve to");
        }
        if (metadata == null && resolutionError == null && rr.allowRules().stream().anyMatch(ExecutionRule::needsMetadata)) {
            sb.append("; rules on image labels or annotations need the image resolved, and resolution is off for ").append(rr.resource());
        }
        sb.append(resolutionNote(resolutionError));
        sb.append("; use an image one of these rules allows, or ask the policy owners for a rule that allows this one");
        return sb.toString();
    }

    private static String resolutionNote(String resolutionError) {
        return resolutionError == null ? "" : "; resolving the image failed: " + resolutionError;
    }
}
