package org.imagepolicy.webhook.server;

import java.util.logging.Logger;
import org.imagepolicy.webhook.admission.AdmissionInput;
import org.imagepolicy.webhook.admission.Decision;
import org.imagepolicy.webhook.admission.Violation;

/**
 * One log line per request that broke a rule, whatever its enforcement: the record Audit rules promise.
 * Allowed requests are not logged; they are counted in the metrics.
 */
final class DecisionLog {
    private static final Logger LOG = Logger.getLogger("org.imagepolicy.webhook.decisions");

    void record(AdmissionInput in, Decision decision) {
        if (decision.violations().isEmpty()) {
            return;
        }
        LOG.info(() -> {
            StringBuilder sb = new StringBuilder(256);
            sb.append("decision=").append(decision.outcome().name().toLowerCase(java.util.Locale.ROOT))
                    .append(" uid=").append(in.uid())
                    .append(" operation=").append(in.operation())
                    .append(" resource=").append(in.resource())
                    .append(" namespace=").append(in.namespace())
                    .append(" name=").append(in.name())
                    .append(" dryRun=").append(in.dryRun());
            for (Violation v : decision.violations()) {
                sb.append("\n  ").append(v.enforcement()).append(' ').append(v.field().path()).append(": ").append(v.reason());
            }
            return sb.toString();
        });
    }
}
