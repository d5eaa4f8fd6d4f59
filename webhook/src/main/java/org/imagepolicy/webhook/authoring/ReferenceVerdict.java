package org.imagepolicy.webhook.authoring;

import java.util.ArrayList;
import java.util.List;
import org.imagepolicy.webhook.admission.Decision;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.admission.ReferenceTrace;
import org.imagepolicy.webhook.admission.RuleCheck;
import org.imagepolicy.webhook.admission.Violation;
import org.imagepolicy.webhook.report.Outcome;
import org.imagepolicy.webhook.report.ReferenceOutcomes;

/**
 * The result for one reference, in the vocabulary of reports, read off the engine's explained decision.
 *
 * @param message what the webhook tells the client about this reference (its denial, warning or audit
 *                note, one per line), {@code ""} when it says nothing
 * @param why     which rules decided, for a person reading a failed test
 */
public record ReferenceVerdict(String field, String image, Outcome outcome, String message, String why) {

    /**
     * One verdict per planned reference; empty when the request was answered without judging references (skipped, invalid).
     * The outcome is {@link ReferenceOutcomes}', the mapping audit reports use.
     *
     * @param judgesImages whether any allow or deny rule applies to the request's resource ({@link ImagePolicyEngine#judgesImagesOf})
     */
    public static List<ReferenceVerdict> of(ImagePolicyEngine.Explanation explanation, boolean judgesImages) {
        List<ReferenceVerdict> out = new ArrayList<>(explanation.references().size());
        for (ReferenceTrace t : explanation.references()) {
            List<String> messages = new ArrayList<>();
            for (Violation v : t.violations()) {
                switch (v.enforcement()) {
                    case Deny:
                        messages.add(v.forbiddenMessage());
                        break;
                    case Warn:
                        messages.add(v.field().path() + ": image policy warning: " + v.reason());
                        break;
                    default:
                        messages.add(v.field().path() + ": " + v.reason());
                        break;
                }
            }
            Outcome outcome = ReferenceOutcomes.of(explanation.decision(), judgesImages, t.violations());
            out.add(new ReferenceVerdict(t.planned().field().path(), t.planned().field().name(), outcome, String.join("\n", messages), why(t)));
        }
        return out;
    }

    /** What stands for every reference of a request the engine answered as a whole (skipped, or unreadable). */
    public static Outcome wholeRequest(Decision decision) {
        return ReferenceOutcomes.of(decision, true, List.of());
    }

    private static String why(ReferenceTrace t) {
        if (t.planned().parseError() != null) {
            return "not a valid image reference: " + t.planned().parseError();
        }
        if (t.deniedAsUnresolvable()) {
            return "the lookup failed and resolveImages denies images that cannot be resolved";
        }
        if (!t.coveredByExecution()) {
            return "no execution rule applies to this resource";
        }
        List<String> matched = new ArrayList<>();
        for (RuleCheck r : t.rules()) {
            if (r.matched()) {
                matched.add(r.rule().describe());
            }
        }
        if (matched.isEmpty()) {
            return t.defaultReject() ? "no rule matched, and an allow rule makes this resource default-deny" : "no rule matched";
        }
        return "matched " + String.join("; ", matched);
    }
}
