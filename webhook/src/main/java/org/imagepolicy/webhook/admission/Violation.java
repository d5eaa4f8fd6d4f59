package org.imagepolicy.webhook.admission;

import org.imagepolicy.webhook.policy.Enforcement;

/**
 * One reference that breaks the policy: where, what, why, and how hard the policy enforces it.
 *
 * @param rule the deciding rule's name, or {@code null} when no single rule decided (no allow rule
 *             matched, an unparseable image, a required resolution that failed)
 * @param kind what the policy found, so that reports tell a judged image from one that could not be
 *             evaluated without reading the reason's words
 */
public record Violation(ImageField field, Enforcement enforcement, String rule, Kind kind, String reason) {

    /** Why a reference is a violation. */
    public enum Kind {
        /** A deny rule ({@code reject: true}) matched; {@link #rule} names it. */
        DENY_RULE,
        /** The resource is default-deny (some allow rule applies) and no allow rule matched. */
        NO_ALLOW_RULE,
        /** The reference is not a valid image reference. */
        INVALID_REFERENCE,
        /**
         * Could not be evaluated: the lookup failed (or could not be made) and {@code resolveImages: Required}
         * denies images that cannot be resolved, so no rule was evaluated.
         */
        UNRESOLVABLE,
        /** An image stream or import names a registry {@code allowedRegistriesForImport} does not list. */
        IMPORT_NOT_ALLOWED
    }

    /** The upstream form, {@code <path>: Forbidden: this image is prohibited by policy: <reason>}. */
    public String forbiddenMessage() {
        return field.path() + ": Forbidden: " + detail();
    }

    public String detail() {
        return "this image is prohibited by policy: " + reason;
    }
}
