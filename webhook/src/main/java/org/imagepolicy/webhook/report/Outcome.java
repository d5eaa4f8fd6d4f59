package org.imagepolicy.webhook.report;

/** The result for one image reference, in the vocabulary of policy reports. */
public enum Outcome {
    /** Judged and allowed. */
    PASS,
    /** A rule with {@code enforcement: Deny} (the default) would deny it. */
    FAIL,
    /** A rule with {@code enforcement: Warn} matched: admitted with a warning. */
    WARN,
    /** A rule with {@code enforcement: Audit} matched: admitted, recorded. */
    AUDIT,
    /** Could not be evaluated (a failed lookup under Required, an unresolved template parameter). Never a pass. */
    ERROR,
    /** Not judged: an exempt namespace, a resource the policy does not cover. */
    SKIP;

    /** The lower-case word used in reports ({@code pass}, {@code fail}, ...). */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
