package org.imagepolicy.webhook.admission;

import java.util.ArrayList;
import java.util.List;
import org.imagepolicy.webhook.image.Resolution;

/**
 * How the judge decided one reference, recorded by the decision path itself (see
 * {@link ImagePolicyEngine#explain}): the plan, what the lookup returned, each rule's conditions, and the
 * violations that went into the decision.
 *
 * @param resolution           what the facts said, or {@code null} when no lookup was planned
 * @param deniedAsUnresolvable the lookup failed and {@code resolveImages} denies such images, so no rule was evaluated
 * @param coveredByExecution   whether any execution rule applies to the resource at all
 * @param defaultReject        whether the resource is default-deny (some allow rule applies to it)
 */
public record ReferenceTrace(PlannedReference planned, Resolution resolution, boolean deniedAsUnresolvable,
        boolean coveredByExecution, boolean defaultReject, List<RuleCheck> rules, List<Violation> violations) {

    public ReferenceTrace {
        rules = List.copyOf(rules);
        violations = List.copyOf(violations);
    }

    /** Collects one reference's steps while the judge runs; the fast path passes {@code null} instead. */
    static final class Recorder {
        final PlannedReference planned;
        Resolution resolution;
        boolean deniedAsUnresolvable;
        boolean coveredByExecution;
        boolean defaultReject;
        final List<RuleCheck> rules = new ArrayList<>();
        /** The reading being judged, when an unqualified image is judged as coming from each search registry. */
        PlannedReference candidate;

        Recorder(PlannedReference planned) {
            this.planned = planned;
        }

        void rule(org.imagepolicy.webhook.policy.ExecutionRule rule, RuleCheck.Status status, List<ConditionCheck> conditions) {
            rules.add(new RuleCheck(rule, status, conditions, candidate == null ? null : candidate.registryKey(),
                    candidate == null ? null : candidate.repository()));
        }

        ReferenceTrace build(List<Violation> violations) {
            return new ReferenceTrace(planned, resolution, deniedAsUnresolvable, coveredByExecution, defaultReject, rules, violations);
        }
    }
}
