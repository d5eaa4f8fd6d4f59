package org.imagepolicy.webhook.report;

/**
 * The verdict on one image reference of one object.
 *
 * @param fieldPath the field as the API server names it, e.g. {@code spec.template.spec.containers[0].image}
 * @param container the container's name, or {@code null} (a Build's {@code from})
 * @param image     the reference as written (after template substitution)
 * @param location  the position of the {@code image:} value in the input
 * @param rule      the deciding rule, or {@code null} when none decided (no allow rule matched, a parse error)
 * @param message   what a person should read: image, rule, reason and what to do; no per-run noise
 * @param change    for {@code diff} only: how this reference's verdict moved; {@code null} in an audit
 * @param previous  for {@code diff} only: the verdict under the old policy; {@code null} in an audit
 */
public record ReferenceResult(String fieldPath, String container, String image, Location location, Outcome outcome,
        String rule, String message, Change change, ReferenceResult previous) {

    public ReferenceResult(String fieldPath, String container, String image, Location location, Outcome outcome,
            String rule, String message) {
        this(fieldPath, container, image, location, outcome, rule, message, null, null);
    }

    /** How a verdict moved between two policies ({@code diff}). */
    public enum Change {
        UNCHANGED,
        /** Allowed (pass, warn, audit) before, fail now. */
        NEWLY_DENIED,
        /** Fail before, allowed now. */
        NEWLY_ALLOWED,
        /** Same outcome, another rule or reason (including warn and audit moving). */
        REASON_CHANGED
    }
}
