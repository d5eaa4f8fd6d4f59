package org.imagepolicy.webhook.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.imagepolicy.webhook.admission.AdmissionInput;
import org.imagepolicy.webhook.admission.Decision;
import org.imagepolicy.webhook.admission.ImageField;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.admission.Violation;
import org.imagepolicy.webhook.policy.Enforcement;
import org.imagepolicy.webhook.report.ObjectResult;
import org.imagepolicy.webhook.report.Outcome;
import org.imagepolicy.webhook.report.ReferenceResult;

/**
 * The engine's decision on one object, per reference, in report terms. The verdict is the engine's:
 * this class only says which reference each violation belongs to and how hard it is enforced.
 */
final class OutcomeMapper {
    /** The engine's wording for a lookup that failed under {@code resolveImages: Required} (ReferenceJudge). */
    private static final String UNRESOLVED_UNDER_REQUIRED = " could not be resolved, and resolveImages: ";
    private static final Pattern PARAMETER = Pattern.compile("\\$\\{\\{?([A-Za-z0-9_]+)\\}?\\}");

    private OutcomeMapper() {
    }

    /** @param fields the object's references ({@link ImagePolicyEngine#imageFields}); empty when it has none */
    static ObjectResult map(AuditObject object, ImagePolicyEngine engine, List<ImageField> fields, Decision decision) {
        AdmissionInput in = object.input();
        if (decision.outcome() == Decision.Outcome.INVALID) {
            return new ObjectResult(object.location(), object.ref(), in.operation(), List.of(), decision.message());
        }
        List<ReferenceResult> refs = new ArrayList<>(fields.size());
        for (ImageField f : fields) {
            var location = object.positions().locate(in.object(), f.path());
            String container = containerName(in, f.path());
            String parameter = unresolvedParameter(f, object);
            if (parameter != null) {
                refs.add(new ReferenceResult(f.path(), container, f.name(), location, Outcome.ERROR, null,
                        "unresolved template parameter " + parameter + ": " + f.display() + " has no value to judge until the template"
                                + " is processed with " + parameter + " set (oc process -p " + parameter + "=...)"));
            } else if (decision.outcome() == Decision.Outcome.SKIPPED) {
                refs.add(new ReferenceResult(f.path(), container, f.name(), location, Outcome.SKIP, null, skipReason(engine, in)));
            } else {
                ReferenceResult judged = judged(f, container, location, decision.violations());
                if (judged.outcome() == Outcome.PASS && !engine.judgesImagesOf(in.resource())) {
                    judged = new ReferenceResult(f.path(), container, f.name(), location, Outcome.SKIP, null,
                            "no allow or deny rule of the policy applies to " + in.resource() + " (only resolution rules do),"
                                    + " so the webhook admits it without judging the image; add the resource to a rule's onResources to judge it");
                }
                refs.add(judged);
            }
        }
        return new ObjectResult(object.location(), object.ref(), in.operation(), refs, null);
    }

    private static ReferenceResult judged(ImageField f, String container, org.imagepolicy.webhook.report.Location location,
            List<Violation> violations) {
        Violation strongest = null;
        StringBuilder reasons = new StringBuilder();
        for (Violation v : violations) {
            if (!v.field().path().equals(f.path())) {
                continue;
            }
            if (strongest == null || rank(v.enforcement()) > rank(strongest.enforcement())) {
                strongest = v;
            }
            reasons.append(reasons.length() == 0 ? "" : "; ").append(v.reason());
        }
        if (strongest == null) {
            return new ReferenceResult(f.path(), container, f.name(), location, Outcome.PASS, null, "allowed");
        }
        Outcome outcome = switch (strongest.enforcement()) {
            case Deny -> strongest.rule() == null && strongest.reason().contains(UNRESOLVED_UNDER_REQUIRED) ? Outcome.ERROR : Outcome.FAIL;
            case Warn -> Outcome.WARN;
            case Audit -> Outcome.AUDIT;
        };
        return new ReferenceResult(f.path(), container, f.name(), location, outcome, strongest.rule(), reasons.toString());
    }

    private static int rank(Enforcement e) {
        return switch (e) {
            case Deny -> 3;
            case Warn -> 2;
            case Audit -> 1;
        };
    }

    private static String unresolvedParameter(ImageField f, AuditObject object) {
        if (object.unresolved().isEmpty()) {
            return null;
        }
        for (String text : new String[] {f.name(), f.namespace()}) {
            if (text == null) {
                continue;
            }
            Matcher m = PARAMETER.matcher(text);
            while (m.find()) {
                if (object.unresolved().contains(m.group(1))) {
                    return m.group(1);
                }
            }
        }
        return null;
    }

    /** The name of the container a {@code ...containers[N].image} path points into, when it has one. */
    private static String containerName(AdmissionInput in, String path) {
        int image = path.lastIndexOf(".image");
        if (image < 0 || image + 6 != path.length()) {
            return null;
        }
        var node = in.object();
        try {
            for (String part : path.substring(0, image).split("\\.")) {
                int b = part.indexOf('[');
                node = b < 0 ? node.path(part)
                        : node.path(part.substring(0, b)).path(Integer.parseInt(part.substring(b + 1, part.length() - 1)));
            }
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return null;
        }
        return node.path("name").isTextual() ? node.path("name").textValue() : null;
    }

    private static String skipReason(ImagePolicyEngine engine, AdmissionInput in) {
        if (!"CREATE".equals(in.operation()) && !"UPDATE".equals(in.operation())) {
            return in.operation() + " requests are not checked";
        }
        if (engine.policy().exemptNamespaces().contains(in.namespace())) {
            return "namespace " + in.namespace() + " is exempt";
        }
        if (in.subResource() != null && !in.subResource().isEmpty()) {
            return "the " + in.subResource() + " subresource is not checked";
        }
        if (engine.policy().skipControllerOwned()) {
            return "the policy covers no rule for " + in.resource() + ", or skips controller-owned objects";
        }
        return "the policy has no rule for " + in.resource();
    }
}
