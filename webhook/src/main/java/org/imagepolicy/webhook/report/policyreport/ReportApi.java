package org.imagepolicy.webhook.report.policyreport;

/** The two report APIs dashboards read: same result shape, different group and kinds. */
public enum ReportApi {
    /** {@code wgpolicyk8s.io/v1alpha2}: what Kyverno emits by default; Policy Reporter reads it. */
    WGPOLICY("wgpolicyk8s.io/v1alpha2", "PolicyReport", "ClusterPolicyReport"),
    /** {@code openreports.io/v1alpha1}: the successor Kubewarden moved to; Policy Reporter reads it too. */
    OPENREPORTS("openreports.io/v1alpha1", "Report", "ClusterReport");

    private final String apiVersion;
    private final String namespacedKind;
    private final String clusterKind;

    ReportApi(String apiVersion, String namespacedKind, String clusterKind) {
        this.apiVersion = apiVersion;
        this.namespacedKind = namespacedKind;
        this.clusterKind = clusterKind;
    }

    public String apiVersion() {
        return apiVersion;
    }

    public String namespacedKind() {
        return namespacedKind;
    }

    public String clusterKind() {
        return clusterKind;
    }

    /** The option's spelling: {@code wgpolicy} or {@code openreports}, case-insensitive. */
    public static ReportApi parse(String value) {
        for (ReportApi api : values()) {
            if (api.name().equalsIgnoreCase(value)) {
                return api;
            }
        }
        throw new IllegalArgumentException("unknown report API \"" + value + "\": use wgpolicy or openreports");
    }
}
