package org.imagepolicy.webhook.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Per-registry metrics: request latency, responses by status, cache hits, misses, coalesced waits,
 * stale serves and breaker state. Registries are labelled by name up to a bound, then as "other", so
 * image names chosen by clients cannot grow the label set without end.
 */
public final class RegistryMetrics {
    private static final int MAX_REGISTRIES = 100;
    private static final double[] LATENCY = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    /** The counters of one registry. */
    public static final class Registry {
        final Histogram latency = new Histogram(LATENCY);
        final Map<String, LongAdder> responses = new ConcurrentHashMap<>();
        final LongAdder hits = new LongAdder();
        final LongAdder misses = new LongAdder();
        final LongAdder coalesced = new LongAdder();
        final LongAdder stale = new LongAdder();
        volatile Supplier<String> breaker = () -> "closed";

        public void response(int status, long nanos) {
            responses.computeIfAbsent(status < 0 ? "error" : String.valueOf(status), s -> new LongAdder()).increment();
            latency.observe(nanos / 1e9);
        }

        public void hit() {
            hits.increment();
        }

        public void miss() {
            misses.increment();
        }

        public void coalesced() {
            coalesced.increment();
        }

        public void stale() {
            stale.increment();
        }

        public void breaker(Supplier<String> state) {
            breaker = state;
        }
    }

    private final Map<String, Registry> registries = new ConcurrentHashMap<>();
    private volatile LongSupplier cachedTags = () -> 0;
    private volatile LongSupplier cachedImages = () -> 0;

    /** Where the cache's sizes are read when metrics are rendered. */
    public void cacheSizes(LongSupplier tags, LongSupplier images) {
        cachedTags = tags;
        cachedImages = images;
    }

    public Registry registry(String key) {
        Registry r = registries.get(key);
        if (r != null) {
            return r;
        }
        return registries.computeIfAbsent(registries.size() >= MAX_REGISTRIES ? "other" : key, k -> new Registry());
    }

    void render(StringBuilder out) {
        String p = "image_policy_registry_";
        Map<String, Registry> sorted = new TreeMap<>(registries);
        header(out, p + "request_duration_seconds", "histogram", "Registry HTTP requests, by registry.");
        sorted.forEach((k, r) -> r.latency.render(out, p + "request_duration_seconds", "registry=\"" + k + "\""));
        header(out, p + "responses_total", "counter", "Registry responses by status; error means no response.");
        sorted.forEach((k, r) -> new TreeMap<>(r.responses).forEach((status, n) -> out.append(p).append("responses_total{registry=\"")
                .append(k).append("\",status=\"").append(status).append("\"} ").append(n.sum()).append('\n')));
        counter(out, p + "cache_hits_total", "Lookups answered from the cache.", sorted, r -> r.hits);
        counter(out, p + "cache_misses_total", "Lookups that needed the registry.", sorted, r -> r.misses);
        counter(out, p + "coalesced_total", "Lookups that waited on an identical lookup already running.", sorted, r -> r.coalesced);
        counter(out, p + "stale_served_total", "Digests served past their time to live because the registry failed.", sorted, r -> r.stale);
        header(out, p + "breaker_open", "gauge", "1 while the circuit breaker refuses to contact the registry.");
        sorted.forEach((k, r) -> out.append(p).append("breaker_open{registry=\"").append(k).append("\",state=\"")
                .append(r.breaker.get()).append("\"} ").append("closed".equals(r.breaker.get()) ? 0 : 1).append('\n'));
        header(out, p + "cache_entries", "gauge", "Entries held: tags (tag to digest) and images (digest to labels and annotations).");
        out.append(p).append("cache_entries{cache=\"tags\"} ").append(cachedTags.getAsLong()).append('\n');
        out.append(p).append("cache_entries{cache=\"images\"} ").append(cachedImages.getAsLong()).append('\n');
    }

    private static void counter(StringBuilder out, String name, String help, Map<String, Registry> sorted,
            java.util.function.Function<Registry, LongAdder> value) {
        header(out, name, "counter", help);
        sorted.forEach((k, r) -> out.append(name).append("{registry=\"").append(k).append("\"} ").append(value.apply(r).sum()).append('\n'));
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }
}
