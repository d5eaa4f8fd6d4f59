package org.imagepolicy.webhook.admission;

import java.util.List;
import org.imagepolicy.webhook.policy.ExecutionRule;

/**
 * What one execution rule made of one image: not evaluated (and why), or its conditions one by one
 * and whether the rule matched after {@code invertMatch}.
 *
 * @param candidateRegistry for an image that names no registry and is judged as coming from each search
 *                          registry in turn: the registry of this reading; {@code null} otherwise
 * @param candidateRepository the repository of that reading, or {@code null}
 */
public record RuleCheck(ExecutionRule rule, Status status, List<ConditionCheck> conditions, String candidateRegistry,
        String candidateRepository) {

    public enum Status {
        /** The request's namespace opted out of this rule (its ignore-rules annotation). */
        EXCLUDED,
        /** {@code skipOnResolutionFailure}: the image did not resolve, so the rule was left out. */
        SKIPPED_UNRESOLVED,
        MATCHED,
        NOT_MATCHED
    }

    public RuleCheck {
        conditions = List.copyOf(conditions);
    }

    public boolean matched() {
        return status == Status.MATCHED;
    }
}
