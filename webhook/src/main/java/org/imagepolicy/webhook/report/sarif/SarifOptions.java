package org.imagepolicy.webhook.report.sarif;

import java.util.Objects;

/**
 * @param category GitHub code scanning's analysis category ({@code runs[].automationDetails.id} is
 *                 {@code CATEGORY/}): uploads of one category replace each other, so give each pipeline
 *                 that audits a different tree its own
 */
public record SarifOptions(String category) {
    public SarifOptions {
        Objects.requireNonNull(category, "category");
    }

    public static SarifOptions defaults() {
        return new SarifOptions("image-policy-webhook");
    }
}
