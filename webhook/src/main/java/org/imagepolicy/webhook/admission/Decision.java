package org.imagepolicy.webhook.admission;

import java.util.List;
import java.util.Map;

/**
 * The answer to one admission request, free of any wire format.
 *
 * @param code    HTTP-style status for a refusal: 403 for a policy denial, 400 for an object that could not be read
 * @param message the status message for a refusal, {@code null} when allowed
 */
public record Decision(boolean allowed, int code, String message, List<Violation> violations, List<String> warnings,
        Map<String, String> auditAnnotations, Outcome outcome) {

    /** How a request ended, for metrics and the decision log. */
    public enum Outcome {
        /** Checked and nothing was violated. */
        ALLOWED,
        /** Not checked: operation, subresource, resource or namespace outside the policy. */
        SKIPPED,
        DENIED,
        /** Allowed with warnings for the client. */
        WARNED,
        /** Allowed; violations recorded for audit only. */
        AUDITED,
        /** The object could not be read. */
        INVALID
    }

    public static final String AUDIT_ANNOTATION = "image-policy-violations";

    private static final Decision SKIPPED = new Decision(true, 200, null, List.of(), List.of(), Map.of(), Outcome.SKIPPED);

    public static Decision skipped() {
        return SKIPPED;
    }

    public static Decision invalid(String message) {
        return new Decision(false, 400, message, List.of(), List.of(), Map.of(), Outcome.INVALID);
    }
}
