package org.imagepolicy.webhook.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.imagepolicy.webhook.admission.Decision;

/**
 * The webhook's metrics in Prometheus text format. Label values come from closed sets (outcomes,
 * resources the webhook knows, HTTP codes), so cardinality stays bounded whatever clients send.
 */
public final class Metrics {
    private static final String PREFIX = "image_policy_";
    private static final double[] LATENCY_BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
        0.25, 0.5, 1, 2.5, 5, 10};

    private final Map<String, LongAdder[]> decisions = new ConcurrentHashMap<>();
    private final Histogram latency = new Histogram(LATENCY_BUCKETS);
    private final Map<String, LongAdder> httpErrors = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> policyReloads = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> certificateReloads = new ConcurrentHashMap<>();
    private volatile int policyRules;
    private volatile boolean lastPolicyReloadFailed;
    private volatile double certificateExpiry;
    private volatile java.util.function.IntSupplier inFlight = () -> 0;
    private final RegistryMetrics registries = new RegistryMetrics();
    private final LongAdder decisionLogDropped = new LongAdder();
    private volatile java.util.function.Supplier<Map<String, double[]>> cluster;

    public RegistryMetrics registries() {
        return registries;
    }

    /** @param resource a resource the webhook knows ({@code pods}, {@code deployments.apps}) or {@code other} */
    public void decision(String resource, Decision.Outcome outcome, long nanos) {
        decisions.computeIfAbsent(resource, r -> newAdders(Decision.Outcome.values().length))[outcome.ordinal()].increment();
        latency.observe(nanos / 1e9);
    }

    public void inFlight(java.util.function.IntSupplier requestsInFlight) {
        this.inFlight = requestsInFlight;
    }

    /**
     * What the cluster informers hold, per kind: {objects, seconds since the watch last ran (0 while it
     * runs)}. Decisions go on from what was last seen while a watch is down; the second figure says how stale.
     */
    public void cluster(java.util.function.Supplier<Map<String, double[]>> perKind) {
        this.cluster = perKind;
    }

    public void httpError(int code) {
        httpErrors.computeIfAbsent(String.valueOf(code), c -> new LongAdder()).increment();
    }

    public void policyReload(boolean success, int rules) {
        policyReloads.computeIfAbsent(success ? "success" : "failure", r -> new LongAdder()).increment();
        lastPolicyReloadFailed = !success;
        if (success) {
            policyRules = rules;
        }
    }

    public void certificateReload(boolean success, double notAfterEpochSeconds) {
        certificateReloads.computeIfAbsent(success ? "success" : "failure", r -> new LongAdder()).increment();
        if (success) {
            certificateExpiry = notAfterEpochSeconds;
        }
    }

    /** A decision log line dropped because the log writer was behind. */
    public void decisionLogDropped() {
        decisionLogDropped.increment();
    }

    public long decisionLogDroppedCount() {
        return decisionLogDropped.sum();
    }

    public void certificateLoaded(double notAfterEpochSeconds) {
        certificateExpiry = notAfterEpochSeconds;
    }

    public String render() {
        StringBuilder out = new StringBuilder(4096);
        header(out, "admission_requests_total", "counter", "Admission requests answered, by resource and decision.");
        new TreeMap<>(decisions).forEach((resource, adders) -> {
            for (Decision.Outcome o : Decision.Outcome.values()) {
                long v = adders[o.ordinal()].sum();
                if (v > 0) {
                    out.append(PREFIX).append("admission_requests_total{resource=\"").append(resource).append("\",decision=\"")
                            .append(o.name().toLowerCase(java.util.Locale.ROOT)).append("\"} ").append(v).append('\n');
                }
            }
        });
        header(out, "admission_duration_seconds", "histogram", "Time from a complete request body to the encoded answer.");
        latency.render(out, PREFIX + "admission_duration_seconds", "");
        header(out, "admission_requests_in_flight", "gauge", "Requests received and not yet answered.");
        out.append(PREFIX).append("admission_requests_in_flight ").append(inFlight.getAsInt()).append('\n');
        labelled(out, "http_errors_total", "counter", "Requests refused before a decision, by HTTP status.", "code", httpErrors);
        labelled(out, "policy_reloads_total", "counter", "Policy reloads, by result; a failed reload keeps the last good policy.",
                "result", policyReloads);
        header(out, "policy_reload_failing", "gauge", "1 while the policy files on disk are invalid and the last good policy is serving.");
        out.append(PREFIX).append("policy_reload_failing ").append(lastPolicyReloadFailed ? 1 : 0).append('\n');
        header(out, "policy_execution_rules", "gauge", "Execution rules in the policy being enforced.");
        out.append(PREFIX).append("policy_execution_rules ").append(policyRules).append('\n');
        labelled(out, "certificate_reloads_total", "counter", "Serving certificate reloads, by result.", "result", certificateReloads);
        header(out, "certificate_expiry_timestamp_seconds", "gauge", "When the serving certificate expires.");
        out.append(PREFIX).append("certificate_expiry_timestamp_seconds ").append(certificateExpiry).append('\n');
        header(out, "decision_log_dropped_total", "counter",
                "Decision log lines dropped because the log writer was behind; admissions are never slowed to write them.");
        out.append(PREFIX).append("decision_log_dropped_total ").append(decisionLogDropped.sum()).append('\n');
        registries.render(out);
        java.util.function.Supplier<Map<String, double[]>> c = cluster;
        if (c != null) {
            Map<String, double[]> kinds = new TreeMap<>(c.get());
            header(out, "cluster_objects", "gauge", "Objects the cluster informers hold (pull secrets, service accounts, namespaces).");
            kinds.forEach((kind, v) -> out.append(PREFIX).append("cluster_objects{kind=\"").append(kind).append("\"} ").append((long) v[0]).append('\n'));
            header(out, "cluster_watch_stale_seconds", "gauge",
                    "Seconds since the informer's watch last ran, 0 while it runs; decisions use what was last seen.");
            kinds.forEach((kind, v) -> out.append(PREFIX).append("cluster_watch_stale_seconds{kind=\"").append(kind).append("\"} ").append(v[1]).append('\n'));
        }
        return out.toString();
    }

    private static void labelled(StringBuilder out, String name, String type, String help, String label, Map<String, LongAdder> values) {
        header(out, name, type, help);
        new TreeMap<>(values).forEach((k, v) ->
                out.append(PREFIX).append(name).append('{').append(label).append("=\"").append(k).append("\"} ").append(v.sum()).append('\n'));
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(PREFIX).append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(PREFIX).append(name).append(' ').append(type).append('\n');
    }

    private static LongAdder[] newAdders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }
}
