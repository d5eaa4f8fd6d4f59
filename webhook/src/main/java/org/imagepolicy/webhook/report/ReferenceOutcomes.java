package org.imagepolicy.webhook.report;

import java.util.List;
import org.imagepolicy.webhook.admission.Decision;
import org.imagepolicy.webhook.admission.Violation;

/**
 * The one mapping from the engine's decision to a reference's {@link Outcome}, used by {@code audit},
 * {@code diff}, {@code test} and {@code explain}, so that no two of them can call the same image
 * differently. It reads what the engine decided (the decision's outcome, each violation's enforcement
 * and {@link Violation.Kind}), never the wording of a message.
 */
public final class ReferenceOutcomes {
    private ReferenceOutcomes() {
    }

    /**
     * @param decision     the engine's decision on the whole request
     * @param judgesImages whether any allow or deny rule applies to the request's resource
     *                     ({@link org.imagepolicy.webhook.admission.ImagePolicyEngine#judgesImagesOf}): when none
     *                     does, the webhook admits the object without judging its images, which is not a pass
     * @param violations   the decision's violations of this one reference (any order)
     */
    public static Outcome of(Decision decision, boolean judgesImages, List<Violation> violations) {
        if (decision.outcome() == Decision.Outcome.SKIPPED) {
            return Outcome.SKIP;
        }
        if (decision.outcome() == Decision.Outcome.INVALID) {
            return Outcome.ERROR; // the object could not be read; the webhook refuses it without judging any image
        }
        Violation deciding = deciding(violations);
        if (deciding == null) {
            return judgesImages ? Outcome.PASS : Outcome.SKIP;
        }
        return switch (deciding.enforcement()) {
            case Deny -> deciding.kind() == Violation.Kind.UNRESOLVABLE ? Outcome.ERROR : Outcome.FAIL;
            case Warn -> Outcome.WARN;
            case Audit -> Outcome.AUDIT;
        };
    }

    /**
     * The violation that decides a reference's outcome: the most strongly enforced, and among denials one a
     * rule or the allow-list made (a fail) before one that could not be evaluated (an error); the first of
     * equals. {@code null} when there is none.
     */
    public static Violation deciding(List<Violation> violations) {
        Violation best = null;
        for (Violation v : violations) {
            if (best == null || rank(v) > rank(best)) {
                best = v;
            }
        }
        return best;
    }

    private static int rank(Violation v) {
        return switch (v.enforcement()) {
            case Deny -> v.kind() == Violation.Kind.UNRESOLVABLE ? 3 : 4;
            case Warn -> 2;
            case Audit -> 1;
        };
    }
}
