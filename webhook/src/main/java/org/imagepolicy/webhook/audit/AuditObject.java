package org.imagepolicy.webhook.audit;

import java.util.Set;
import org.imagepolicy.webhook.admission.AdmissionInput;
import org.imagepolicy.webhook.report.Location;
import org.imagepolicy.webhook.report.ObjectRef;

/**
 * One object found in the inputs, ready for the engine.
 *
 * @param input      the request the engine judges: a CREATE for manifests, the review's own for AdmissionReviews;
 *                   {@code null} for a kind the webhook does not judge
 * @param unresolved template parameters left without a value: references using them are errors, not images
 */
record AuditObject(Location location, ObjectRef ref, AdmissionInput input, Positions positions, Set<String> unresolved) {
    boolean supported() {
        return input != null;
    }
}
