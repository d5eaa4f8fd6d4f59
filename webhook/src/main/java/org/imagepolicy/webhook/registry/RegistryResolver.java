package org.imagepolicy.webhook.registry;

import com.github.benmanes.caffeine.cache.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.imagepolicy.webhook.image.ImageLookup;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.metrics.RegistryMetrics;

/**
 * Facts from container registries: tag to digest, then the digest's labels and annotations, through
 * the cache, one gate per registry, and a deadline that always holds.
 */
public final class RegistryResolver implements ImageResolver {
    private static final long METADATA_WEIGHT = 160L * 1024 * 1024;

    private final Vertx vertx;
    private final RegistryClient client;
    private final ImageInspector inspector;
    private final LookupCache cache;
    private final RegistryMetrics metrics;
    private final long lookupNanos;
    private final Map<String, RegistryGate> gates = new ConcurrentHashMap<>();

    private RegistryResolver(Vertx vertx, RegistrySettings settings, RegistryTrust trust, RegistryMetrics metrics, long lookupNanos) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.lookupNanos = lookupNanos;
        Set<String> named = new HashSet<>(settings.insecureRegistries());
        named.addAll(settings.allowedAddresses());
        named.addAll(trust.registries());
        RegistryTransport transport = new RegistryTransport(vertx, settings, trust, new AddressGuard(named), metrics);
        this.client = new RegistryClient(transport, new RegistryAuth(transport, named), settings);
        this.inspector = new ImageInspector(client, settings.platform());
        this.cache = new LookupCache(settings, Ticker.systemTicker(), METADATA_WEIGHT);
        metrics.cacheSizes(cache::tagEntries, cache::imageEntries);
    }

    /**
     * Reads the certs.d tree (blocking: at start-up).
     *
     * @param lookupTimeout how long one registry fetch may run; callers wait only until their own deadline
     */
    public static RegistryResolver create(Vertx vertx, RegistrySettings settings, RegistryMetrics metrics,
            java.time.Duration lookupTimeout) throws IOException {
        RegistryTrust trust = RegistryTrust.load(settings.certificatesDirectory());
        return new RegistryResolver(vertx, settings, trust, metrics, lookupTimeout.toNanos());
    }

    @Override
    public Future<Map<ImageLookup, Resolution>> resolve(List<ImageLookup> lookups, long deadlineNanos) {
        Map<ImageLookup, Resolution> results = new ConcurrentHashMap<>();
        Promise<Map<ImageLookup, Resolution>> all = Promise.promise();
        int[] remaining = {lookups.size()};
        long waitMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
        long timer = vertx.setTimer(waitMillis, id -> {
            for (ImageLookup l : lookups) {
                results.putIfAbsent(l, new Resolution.Failed(l.registryKey() + " did not answer within the decision's time budget ("
                        + waitMillis + " ms left when the request arrived)"));
            }
            all.tryComplete(Map.copyOf(results));
        });
        for (ImageLookup l : lookups) {
            one(l).onComplete(done -> {
                results.putIfAbsent(l, done.result());
                synchronized (remaining) {
                    if (--remaining[0] == 0) {
                        vertx.cancelTimer(timer);
                        all.tryComplete(Map.copyOf(results));
                    }
                }
            });
        }
        return all.future();
    }

    /** Never fails: every failure becomes a Resolution.Failed with the reason in words. */
    private Future<Resolution> one(ImageLookup l) {
        if (l.registryKey().isEmpty()) {
            return Future.succeededFuture(new Resolution.Failed("\"" + l.reference() + "\" names no registry, so it cannot be looked up;"
                    + " write the registry (docker.io/...) or set defaultRegistry in the policy"));
        }
        String key = l.registryKey().toLowerCase(Locale.ROOT);
        RegistryMetrics.Registry stats = metrics.registry(key);
        RegistryGate gate = gates.computeIfAbsent(key, k -> {
            RegistryGate g = new RegistryGate(k, System::nanoTime);
            stats.breaker(() -> g.state().name().toLowerCase(Locale.ROOT));
            return g;
        });
        LookupCache.Statistics counters = new LookupCache.Statistics() {
            @Override
            public void hit() {
                stats.hit();
            }

            @Override
            public void miss() {
                stats.miss();
            }

            @Override
            public void coalesced() {
                stats.coalesced();
            }

            @Override
            public void stale() {
                stats.stale();
            }
        };
        Future<LookupCache.Digest> digest = l.digest() != null
                ? Future.succeededFuture(new LookupCache.Digest(l.digest(), null))
                : cache.digest(new LookupCache.TagKey(key, l.repository(), l.tag()),
                        () -> gate.call(() -> client.digestOf(key, l.repository(), l.tag(), System.nanoTime() + lookupNanos)), counters);
        return digest.compose(d -> cache.metadata(new LookupCache.DigestKey(key, l.repository(), d.value()),
                        () -> gate.call(() -> inspector.inspect(key, l.repository(), d.value(), System.nanoTime() + lookupNanos)), counters)
                        .map(m -> (Resolution) new Resolution.Resolved(m, false, d.staleness())))
                .recover(e -> Future.succeededFuture(new Resolution.Failed(describe(l, e))));
    }

    private static String describe(ImageLookup l, Throwable e) {
        if (e instanceof RegistryException) {
            return e.getMessage();
        }
        return "looking up " + l + " failed: " + e.getClass().getSimpleName();
    }
}
