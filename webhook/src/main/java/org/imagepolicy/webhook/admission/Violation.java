package org.imagepolicy.webhook.admission;

import org.imagepolicy.webhook.policy.Enforcement;

/**
 * One reference that breaks the policy: where, what, why, and how hard the policy enforces it.
 *
 * @param rule the deciding rule's name, or {@code null} when no single rule decided (no allow rule
 *             matched, an unparseable image, a required resolution that failed)
 */
public record Violation(ImageField field, Enforcement enforcement, String rule, String reason) {

    /** The upstream form, {@code <path>: Forbidden: this image is prohibited by policy: <reason>}. */
    public String forbiddenMessage() {
        return field.path() + ": Forbidden: " + detail();
    }

    public String detail() {
        return "this image is prohibited by policy: " + reason;
    }
}
