package org.imagepolicy.webhook.report;

/**
 * What a writer may need besides the run itself.
 *
 * @param colour    whether the destination is a terminal that wants ANSI colour (table only)
 * @param reportApi the PolicyReport API: {@code wgpolicy} ({@code wgpolicyk8s.io/v1alpha2}, the default) or
 *                  {@code openreports} ({@code openreports.io/v1alpha1})
 */
public record ReportOptions(boolean colour, String reportApi) {
    public static final String WGPOLICY = "wgpolicy";
    public static final String OPENREPORTS = "openreports";

    public static ReportOptions plain() {
        return new ReportOptions(false, WGPOLICY);
    }
}
