package org.imagepolicy.webhook.report;

import java.util.Locale;

/** Wording shared by the report writers, so every format names an object and a change the same way. */
public final class ReportText {
    private ReportText() {
    }

    /** {@code Deployment shop/web}, or {@code Pod standalone} when the manifest names no namespace. */
    public static String object(ObjectRef o) {
        StringBuilder sb = new StringBuilder(o.kind() == null ? "object" : o.kind()).append(' ');
        if (o.namespace() != null && !o.namespace().isEmpty()) {
            sb.append(o.namespace()).append('/');
        }
        return sb.append(o.name() == null || o.name().isEmpty() ? "(unnamed)" : o.name()).toString();
    }

    /** {@code newly-denied}, {@code newly-allowed}, {@code reason-changed}, {@code unchanged}. */
    public static String change(ReferenceResult.Change change) {
        return change.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
