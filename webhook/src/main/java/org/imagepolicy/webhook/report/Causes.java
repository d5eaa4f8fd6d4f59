package org.imagepolicy.webhook.report;

/**
 * Why a reference was stopped when no single rule decided, in a few words: what reports group by and
 * what {@code diff} compares (the full message also lists the policy's rules, which an edit changes).
 */
public final class Causes {
    private Causes() {
    }

    /** The deciding rule ({@code rule NAME}), or the cause of a rule-less verdict; {@code null} for a plain pass. */
    public static String of(ReferenceResult r) {
        if (r.rule() != null) {
            return "rule " + r.rule();
        }
        if (r.outcome() == Outcome.PASS) {
            return null;
        }
        String m = r.message() == null ? "" : r.message();
        if (r.outcome() == Outcome.ERROR) {
            // the two kinds of error: the audit's own template check, or the engine's Violation.Kind.UNRESOLVABLE
            return m.startsWith("unresolved template parameter") ? "unresolved template parameters" : "lookup failed under resolveImages: Required";
        }
        if (m.contains("is not a valid image reference")) {
            return "not a valid image reference";
        }
        if (m.contains("no allow rule")) {
            return "no allow rule matched";
        }
        return r.outcome() == Outcome.SKIP ? "not checked" : "other reasons";
    }
}
