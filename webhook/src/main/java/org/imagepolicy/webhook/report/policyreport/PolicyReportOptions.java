package org.imagepolicy.webhook.report.policyreport;

import java.util.Objects;

/**
 * How PolicyReports are written.
 *
 * @param api           which report API (the default is {@link ReportApi#WGPOLICY})
 * @param source        {@code results[].source}: what dashboards group by; keep it stable across runs
 * @param reportName    {@code metadata.name} of every report, so each run's {@code kubectl apply} replaces the last
 * @param includePasses whether passing references get a {@code pass} result (dashboards show pass rates from them)
 */
public record PolicyReportOptions(ReportApi api, String source, String reportName, boolean includePasses) {
    public static final String DEFAULT_SOURCE = "image-policy-webhook";

    public PolicyReportOptions {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reportName, "reportName");
    }

    public static PolicyReportOptions defaults() {
        return of(ReportApi.WGPOLICY);
    }

    public static PolicyReportOptions of(ReportApi api) {
        return new PolicyReportOptions(api, DEFAULT_SOURCE, DEFAULT_SOURCE, true);
    }
}
