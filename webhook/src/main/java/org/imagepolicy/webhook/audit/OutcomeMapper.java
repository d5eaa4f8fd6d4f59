package org.imagepolicy.webhook.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.imagepolicy.webhook.admission.AdmissionInput;
import org.imagepolicy.webhook.admission.Decision;
import org.imagepolicy.webhook.admission.ImageFacts;
import org.imagepolicy.webhook.admission.ImageField;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.admission.Violation;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.report.ObjectResult;
import org.imagepolicy.webhook.report.Outcome;
import org.imagepolicy.webhook.report.ReferenceOutcomes;
import org.imagepolicy.webhook.report.ReferenceResult;

/**
 * The engine's decision on one object, per reference, in report terms. The verdict is the engine's and the
 * outcome is {@link ReferenceOutcomes}' (the mapping {@code test} and {@code explain} use too): this class
 * only says which reference each violation belongs to, where it is, and what to tell a person.
 */
final class OutcomeMapper {
    private static final Pattern PARAMETER = Pattern.compile("\\$\\{\\{?([A-Za-z0-9_]+)\\}?\\}");

    private OutcomeMapper() {
    }

    /** @param fields the object's references ({@link ImagePolicyEngine#imageFields}); empty when it has none */
    static ObjectResult map(AuditObject object, ImagePolicyEngine engine, List<ImageField> fields, Decision decision) {
        return map(object, engine, fields, decision, null);
    }

    /**
     * @param facts what the decision was made on, or {@code null}: an image stream reference admitted although
     *              the image API was not read (a rule skipped it unresolved) says so instead of a bare "allowed"
     */
    static ObjectResult map(AuditObject object, ImagePolicyEngine engine, List<ImageField> fields, Decision decision, ImageFacts facts) {
        AdmissionInput in = object.input();
        if (decision.outcome() == Decision.Outcome.INVALID) {
            return new ObjectResult(object.location(), object.ref(), in.operation(), List.of(), decision.message());
        }
        boolean judgesImages = engine.judgesImagesOf(in.resource());
        List<ReferenceResult> refs = new ArrayList<>(fields.size());
        List<Violation> mine = new ArrayList<>(2);
        for (ImageField f : fields) {
            Positions.Found at = object.positions().find(in.object(), f.path());
            String parameter = unresolvedParameter(f, object);
            if (parameter != null) {
                refs.add(new ReferenceResult(f.path(), at.container(), f.name(), at.location(), Outcome.ERROR, null,
                        "unresolved template parameter " + parameter + ": " + f.display() + " has no value to judge until the template"
                                + " is processed with " + parameter + " set (oc process -p " + parameter + "=...)"));
                continue;
            }
            mine.clear();
            for (Violation v : decision.violations()) {
                if (v.field().path().equals(f.path())) {
                    mine.add(v);
                }
            }
            Outcome outcome = ReferenceOutcomes.of(decision, judgesImages, mine);
            Violation deciding = ReferenceOutcomes.deciding(mine);
            String message;
            if (deciding != null) {
                StringBuilder reasons = new StringBuilder();
                for (Violation v : mine) {
                    reasons.append(reasons.length() == 0 ? "" : "; ").append(v.reason());
                }
                message = reasons.toString();
            } else if (decision.outcome() == Decision.Outcome.SKIPPED) {
                message = skipReason(engine, in);
            } else if (outcome == Outcome.SKIP) {
                message = "no allow or deny rule of the policy applies to " + in.resource() + " (only resolution rules do),"
                        + " so the webhook admits it without judging the image; add the resource to a rule's onResources to judge it";
            } else if (facts != null && facts.lookup(f, null) == Resolution.WITHOUT_IMAGE_API) {
                message = "allowed without judging the image: " + Resolution.WITHOUT_IMAGE_API.reason();
            } else {
                message = "allowed";
            }
            refs.add(new ReferenceResult(f.path(), at.container(), f.name(), at.location(), outcome, deciding == null ? null : deciding.rule(),
                    message));
        }
        return new ObjectResult(object.location(), object.ref(), in.operation(), refs, null);
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
