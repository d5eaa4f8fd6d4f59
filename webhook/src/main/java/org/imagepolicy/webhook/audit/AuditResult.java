package org.imagepolicy.webhook.audit;

import org.imagepolicy.webhook.report.Outcome;
import org.imagepolicy.webhook.report.Summary;

/**
 * What a run found, for the exit status.
 *
 * @param problems     inputs that could not be read (files, documents)
 * @param objectErrors objects the engine could not read, which {@code /validate} refuses
 * @param newlyDenied  {@code diff}: references the new policy denies and the old one allowed
 * @param changedTo    {@code diff}: references whose verdict moved, by their new outcome
 */
public record AuditResult(Summary summary, int problems, int objectErrors, int newlyDenied, int newlyAllowed, int reasonChanged,
        java.util.Map<Outcome, Integer> changedTo) {
    public int count(Outcome outcome) {
        return summary.references().getOrDefault(outcome, 0);
    }
}
