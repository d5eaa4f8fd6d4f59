package org.imagepolicy.webhook.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.imagepolicy.webhook.image.ImageMetadata;

/**
 * Registry answers, cached so admissions stay fast and registries are not hammered:
 * <ul>
 * <li>tag to digest for the time to live, refreshed in the background ahead of expiry, and during an
 *     outage served stale up to max-stale, with the staleness reported;</li>
 * <li>digest to metadata, immutable (content-addressed), bounded by weight;</li>
 * <li>permanent failures for a short negative time to live; transient failures never;</li>
 * <li>concurrent lookups of one key share one registry request.</li>
 * </ul>
 *
 * <p>A lookup records the insecure registries' generation when it starts ({@link InsecureRegistries#generation()}).
 * If that changed before its answer came, the answer may have been read over unverified TLS the policy no longer
 * allows, or refused by verification the policy now skips: it goes to the admissions that were waiting on it and
 * no further, neither kept nor joined by lookups that start after the change.
 */
final class LookupCache {
    /** @param principal whose credentials read it: {@code ""} when anonymous access did, so everyone shares it */
    record TagKey(String registryKey, String repository, String tag, String principal) {
    }

    record DigestKey(String registryKey, String repository, String digest, String principal) {
    }

    /** A digest and when it was fetched; or a permanent failure remembered briefly. */
    record TagEntry(String digest, long fetchedAt, String failure) {
    }

    /** A digest with the staleness to report, {@code null} when fresh. */
    record Digest(String value, String staleness) {
    }

    private record MetaEntry(ImageMetadata metadata, String failure) {
    }

    private final Ticker ticker;
    private final long ttl;
    private final long refreshAhead;
    private final long maxStale;
    private final Cache<TagKey, TagEntry> tags;
    private final Cache<DigestKey, MetaEntry> metadata;
    private final Map<Object, Flight> inFlight = new ConcurrentHashMap<>();
    private final java.util.function.LongSupplier generation;

    /** A registry request under way, and the insecure registries' generation it started under. */
    private record Flight(Future<?> answer, long generation) {
    }

    LookupCache(RegistrySettings settings, Ticker ticker, long maxMetadataWeight) {
        this(settings, ticker, maxMetadataWeight, () -> 0);
    }

    /** @param generation the insecure registries' generation ({@link InsecureRegistries#generation()}) */
    LookupCache(RegistrySettings settings, Ticker ticker, long maxMetadataWeight, java.util.function.LongSupplier generation) {
        this.generation = generation;
        this.ticker = ticker;
        this.ttl = settings.tagTtl().toNanos();
        this.refreshAhead = ttl * 3 / 4;
        this.maxStale = Math.max(ttl, settings.maxStale().toNanos());
        long negative = settings.negativeTtl().toNanos();
        this.tags = Caffeine.newBuilder().ticker(ticker).maximumSize(200_000)
                .expireAfter(Expiry.creating((TagKey k, TagEntry e) -> Duration.ofNanos(e.failure() == null ? maxStale : negative)))
                .build();
        this.metadata = Caffeine.newBuilder().ticker(ticker).maximumWeight(maxMetadataWeight)
                .weigher((DigestKey k, MetaEntry e) -> weight(k, e))
                .expireAfter(Expiry.creating((DigestKey k, MetaEntry e) -> e.failure() == null
                        ? Duration.ofDays(3650) : Duration.ofNanos(negative)))
                .build();
    }

    long tagEntries() {
        return tags.estimatedSize();
    }

    long imageEntries() {
        return metadata.estimatedSize();
    }

    /**
     * What is worth keeping between runs: tags younger than max-stale, and every image's metadata. Only
     * what anonymous reads learned: an answer read with a tenant's credentials is that tenant's, and a
     * file read back at start would make it everyone's.
     */
    CachedLookups export() {
        long now = ticker.read();
        java.util.List<CachedLookups.Tag> t = new java.util.ArrayList<>();
        tags.asMap().forEach((k, e) -> {
            if (e.failure() == null && k.principal().isEmpty() && now - e.fetchedAt() < maxStale) {
                t.add(new CachedLookups.Tag(k.registryKey(), k.repository(), k.tag(), e.digest(), Duration.ofNanos(now - e.fetchedAt())));
            }
        });
        java.util.List<CachedLookups.Image> i = new java.util.ArrayList<>();
        metadata.asMap().forEach((k, e) -> {
            if (e.failure() == null && k.principal().isEmpty()) {
                i.add(new CachedLookups.Image(k.registryKey(), k.repository(), k.digest(), e.metadata().labels(), e.metadata().annotations()));
            }
        });
        return new CachedLookups(t, i);
    }

    /** Takes kept answers back, each tag as old as it was; returns how many entries were taken. */
    int restore(CachedLookups kept) {
        long now = ticker.read();
        int n = 0;
        for (CachedLookups.Tag t : kept.tags()) {
            long age = Math.max(0, t.age().toNanos());
            if (age < maxStale) {
                tags.put(new TagKey(t.registry(), t.repository(), t.tag(), ""), new TagEntry(t.digest(), now - age, null));
                n++;
            }
        }
        for (CachedLookups.Image i : kept.images()) {
            metadata.put(new DigestKey(i.registry(), i.repository(), i.digest(), ""),
                    new MetaEntry(new ImageMetadata(i.digest(), i.labels(), i.annotations()), null));
            n++;
        }
        return n;
    }

    /** Drops every answer from these registries: what was read from them insecurely is not kept once they are verified again. */
    void forget(java.util.function.Predicate<String> registryKey) {
        tags.asMap().keySet().removeIf(k -> registryKey.test(k.registryKey()));
        metadata.asMap().keySet().removeIf(k -> registryKey.test(k.registryKey()));
    }

    /** Runs pending evictions now (Caffeine otherwise runs them on its own schedule); for tests. */
    void cleanUp() {
        metadata.cleanUp();
        tags.cleanUp();
    }

    /**
     * Whether the tag has an answer here, fresh or stale. A tag never seen is fetched with its manifest
     * (one GET that the labels need anyway); a known one is refreshed with a HEAD, which registries such
     * as Docker Hub do not count as a pull.
     */
    boolean knowsTag(TagKey key) {
        TagEntry cached = tags.getIfPresent(key);
        return cached != null && cached.failure() == null;
    }

    /** The digest of a tag: fresh from the cache, fetched (once for all concurrent callers), or stale during an outage. */
    Future<Digest> digest(TagKey key, Supplier<Future<String>> fetch, Statistics stats) {
        TagEntry cached = tags.getIfPresent(key);
        long now = ticker.read();
        if (cached != null && cached.failure() != null) {
            stats.hit();
            return Future.failedFuture(RegistryException.permanent(cached.failure() + " (remembered for a few seconds)"));
        }
        if (cached != null && now - cached.fetchedAt() < ttl) {
            stats.hit();
            if (now - cached.fetchedAt() >= refreshAhead) {
                refreshTag(key, fetch, stats); // ahead of expiry, so hot tags never wait on the registry
            }
            return Future.succeededFuture(new Digest(cached.digest(), null));
        }
        stats.miss();
        Future<String> fresh = refreshTag(key, fetch, stats);
        if (cached == null) {
            return fresh.map(d -> new Digest(d, null));
        }
        return fresh.map(d -> new Digest(d, null)).recover(e -> {
            if (e instanceof RegistryException && ((RegistryException) e).isPermanent()) {
                return Future.failedFuture(e);
            }
            stats.stale();
            long ageSeconds = (ticker.read() - cached.fetchedAt()) / 1_000_000_000L;
            return Future.succeededFuture(new Digest(cached.digest(), "the digest was looked up " + ageSeconds
                    + "s ago and " + key.registryKey() + " cannot be reached now (" + e.getMessage() + ")"));
        });
    }

    Future<ImageMetadata> metadata(DigestKey key, Supplier<Future<ImageMetadata>> fetch, Statistics stats) {
        MetaEntry cached = metadata.getIfPresent(key);
        if (cached != null) {
            stats.hit();
            return cached.failure() == null ? Future.succeededFuture(cached.metadata())
                    : Future.failedFuture(RegistryException.permanent(cached.failure() + " (remembered for a few seconds)"));
        }
        stats.miss();
        return coalesce(key, fetch, stats, m -> metadata.put(key, new MetaEntry(m, null)),
                e -> metadata.put(key, new MetaEntry(null, e.getMessage())), () -> metadata.invalidate(key));
    }

    private Future<String> refreshTag(TagKey key, Supplier<Future<String>> fetch, Statistics stats) {
        return coalesce(key, fetch, stats, d -> tags.put(key, new TagEntry(d, ticker.read(), null)),
                e -> tags.put(key, new TagEntry(null, ticker.read(), e.getMessage())), () -> tags.invalidate(key));
    }

    /**
     * One registry request per key at a time: later callers wait on the first one's answer, unless the insecure
     * registries changed since it started; such a request is left to its own callers and this one starts afresh.
     */
    @SuppressWarnings("unchecked")
    private <T> Future<T> coalesce(Object key, Supplier<Future<T>> fetch, Statistics stats, Consumer<T> store,
            Consumer<RegistryException> storePermanentFailure, Runnable unstore) {
        long started = generation.getAsLong();
        Promise<T> promise = Promise.promise();
        Flight mine = new Flight(promise.future(), started);
        Flight running;
        while ((running = inFlight.putIfAbsent(key, mine)) != null) {
            if (running.generation() == started) {
                stats.coalesced();
                return (Future<T>) running.answer();
            }
            if (inFlight.replace(key, running, mine)) {
                break;
            }
        }
        // The fetch may already be complete here (a gate refusing at once), so nothing below may run
        // inside a map operation on inFlight.
        fetch.get().onComplete(done -> {
            if (generation.getAsLong() == started) {
                if (done.succeeded()) {
                    store.accept(done.result());
                } else if (done.cause() instanceof RegistryException && ((RegistryException) done.cause()).isPermanent()) {
                    storePermanentFailure.accept((RegistryException) done.cause());
                }
                if (generation.getAsLong() != started) {
                    // Changed between the check and the store, perhaps after the change's forget ran: undo.
                    unstore.run();
                }
            }
            inFlight.remove(key, mine);
            promise.handle(done);
        });
        return promise.future();
    }

    /**
     * Roughly the bytes an entry holds on its own. Label and annotation keys are the same few dozen on
     * every image and shared (see ImageInspector), so only values count; the bound then holds about
     * 100,000 images of twenty-odd labels in 160 MiB of weight (see CacheBudget), and far fewer of a registry's oversized ones.
     */
    private static int weight(DigestKey k, MetaEntry e) {
        int w = 96 + k.principal().length() + k.registryKey().length() + k.repository().length() + k.digest().length();
        if (e.metadata() != null) {
            for (String value : e.metadata().labels().values()) {
                w += 24 + value.length();
            }
            for (Map.Entry<String, String> a : e.metadata().annotations().entrySet()) {
                w += 24 + a.getKey().length() + a.getValue().length();
            }
        }
        return w;
    }

    /** Where the counters of one registry go; see {@link RegistryMetrics}. */
    interface Statistics {
        void hit();

        void miss();

        void coalesced();

        void stale();
    }
}
