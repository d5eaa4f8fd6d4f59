package org.imagepolicy.webhook.report;

import java.util.List;

/**
 * One judged object: where it came from, what it is, and the verdict on each of its image references.
 *
 * @param location  the start of the object's document in the input
 * @param operation {@code CREATE} for manifests; an AdmissionReview's own operation otherwise
 * @param error     why the object as a whole could not be judged (unreadable spec), or {@code null}
 */
public record ObjectResult(Location location, ObjectRef object, String operation, List<ReferenceResult> references,
        String error) {
}
