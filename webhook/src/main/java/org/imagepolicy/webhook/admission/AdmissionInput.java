package org.imagepolicy.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import org.imagepolicy.webhook.policy.GroupResource;

/**
 * The parts of an AdmissionReview request the decision needs. {@code object} and {@code oldObject} stay
 * Jackson trees: the engine reads a handful of fields from them and never binds whole object graphs.
 *
 * @param resource the resource the client addressed, with 3.x legacy groups already normalized
 */
public record AdmissionInput(
        String apiVersion,
        String uid,
        String operation,
        GroupResource resource,
        String subResource,
        String kind,
        String namespace,
        String name,
        boolean dryRun,
        JsonNode object,
        JsonNode oldObject) {

    public boolean isUpdate() {
        return "UPDATE".equals(operation);
    }
}
