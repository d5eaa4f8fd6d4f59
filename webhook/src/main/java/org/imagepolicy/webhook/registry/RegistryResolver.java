package org.imagepolicy.webhook.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.imagepolicy.webhook.registry.credentials.CredentialIdentity;
import org.imagepolicy.webhook.registry.credentials.CredentialSource;
import org.imagepolicy.webhook.registry.credentials.PullCredentials;

/**
 * Facts from container registries: tag to digest, then the digest's labels and annotations, through
 * the cache, one gate per registry, and a deadline that always holds.
 */
public final class RegistryResolver implements ImageResolver {
    private final Vertx vertx;
    private final RegistryClient client;
    private final ImageInspector inspector;
    private final LookupCache cache;
    private final RegistryMetrics metrics;
    private final long lookupNanos;
    private final Map<String, Registry> registries = new ConcurrentHashMap<>();
    private final PullCredentials global;
    private final InsecureRegistries insecure;
    /**
     * Manifests fetched by tag, waiting for the metadata lookup that follows at once; bounded by bytes,
     * and forgotten soon when that lookup found the digest cached already (another tag of the same image).
     */
    private final Cache<LookupCache.DigestKey, Manifest> fetchedManifests = Caffeine.newBuilder()
            .maximumWeight(32L * 1024 * 1024).weigher((LookupCache.DigestKey k, Manifest m) -> m.bytes().length + 64)
            .expireAfterWrite(java.time.Duration.ofSeconds(30)).build();

    private RegistryResolver(Vertx vertx, RegistrySettings settings, RegistryTrust trust, RegistryMetrics metrics, long lookupNanos,
            CacheBudget budget, AddressGuard.Dns dns) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.lookupNanos = lookupNanos;
        this.global = PullCredentials.global(settings.credentials());
        this.insecure = new InsecureRegistries(settings.insecureRegistries());
        Set<String> vouched = new HashSet<>(settings.allowedAddresses());
        vouched.addAll(trust.registries());
        java.util.function.Predicate<String> named = key -> vouched.contains(key) || insecure.named(key);
        RegistryTransport transport = new RegistryTransport(vertx, settings, insecure, trust, new AddressGuard(named, dns), metrics);
        this.client = new RegistryClient(transport, new RegistryAuth(transport, named), insecure);
        this.inspector = new ImageInspector(client, settings.platform());
        this.cache = new LookupCache(settings, Ticker.systemTicker(), budget.bytes(), insecure::generation);
        metrics.cacheSizes(cache::tagEntries, cache::imageEntries);
    }

    /**
     * Reads the certs.d tree (blocking: at start-up).
     *
     * @param lookupTimeout how long one registry fetch may run; callers wait only until their own deadline
     */
    public static RegistryResolver create(Vertx vertx, RegistrySettings settings, RegistryMetrics metrics,
            java.time.Duration lookupTimeout) throws IOException {
        return create(vertx, settings, metrics, lookupTimeout, CacheBudget.ofThisJvm());
    }

    /** @param budget how much memory the cache of image labels and annotations may hold */
    public static RegistryResolver create(Vertx vertx, RegistrySettings settings, RegistryMetrics metrics,
            java.time.Duration lookupTimeout, CacheBudget budget) throws IOException {
        return create(vertx, settings, metrics, lookupTimeout, budget, java.net.InetAddress::getAllByName);
    }

    /** @param dns the name service registry names are resolved with (a test's, to give loopback registries names) */
    static RegistryResolver create(Vertx vertx, RegistrySettings settings, RegistryMetrics metrics, java.time.Duration lookupTimeout,
            CacheBudget budget, AddressGuard.Dns dns) throws IOException {
        RegistryTrust trust = RegistryTrust.load(settings.certificatesDirectory());
        return new RegistryResolver(vertx, settings, trust, metrics, lookupTimeout.toNanos(), budget, dns);
    }

    /**
     * The insecure registries the policy names now (keys and {@code *.domain[:port]} wildcards), beside those of the
     * settings: called at start and after each policy reload. A registry no longer named is reached over verified
     * TLS from the next request on; what any registry whose setting changed answered before (an insecure read, a
     * refused handshake) is forgotten.
     */
    public void policyInsecureRegistries(java.util.Collection<String> entries) {
        java.util.function.Predicate<String> changed = insecure.policy(entries);
        cache.forget(changed);
        fetchedManifests.asMap().keySet().removeIf(k -> changed.test(k.registryKey()));
    }

    /** The cache's answers, to keep between runs. */
    public CachedLookups cached() {
        return cache.export();
    }

    /** Takes answers kept by an earlier run; tags keep their age, so their time to live still holds. */
    public int restore(CachedLookups kept) {
        return cache.restore(kept);
    }

    @Override
    public Future<Map<ImageLookup, Resolution>> resolve(List<ImageLookup> lookups, long deadlineNanos) {
        return resolve(lookups, global, deadlineNanos);
    }

    @Override
    public Future<Map<ImageLookup, Resolution>> resolve(List<ImageLookup> lookups, PullCredentials credentials, long deadlineNanos) {
        List<Future<Resolution>> pending = new ArrayList<>(lookups.size());
        boolean allAnswered = true;
        for (ImageLookup l : lookups) {
            Future<Resolution> f = one(l, credentials);
            pending.add(f);
            allAnswered &= f.isComplete();
        }
        if (allAnswered) {
            // The usual case, everything from the cache: no deadline timer to set and cancel, no waiting.
            Map<ImageLookup, Resolution> results = new HashMap<>();
            for (int i = 0; i < lookups.size(); i++) {
                results.putIfAbsent(lookups.get(i), pending.get(i).result());
            }
            return Future.succeededFuture(results);
        }
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
        for (int i = 0; i < lookups.size(); i++) {
            ImageLookup l = lookups.get(i);
            pending.get(i).onComplete(done -> {
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
    private Future<Resolution> one(ImageLookup l, PullCredentials credentials) {
        if (l.reference() == null) {
            return Future.succeededFuture(Resolution.WITHOUT_IMAGE_API);
        }
        if (l.registryKey().isEmpty()) {
            return Future.succeededFuture(new Resolution.Failed("\"" + l.reference() + "\" names no registry, so it cannot be looked up;"
                    + " write the registry (docker.io/...) or set defaultRegistry in the policy"));
        }
        // toLowerCase returns the string itself when it is lower case already, as registry names nearly always are.
        Registry registry = registries.computeIfAbsent(l.registryKey().toLowerCase(Locale.ROOT), Registry::new);
        String key = registry.key;
        RegistryGate gate = registry.gate;
        CredentialSource source = credentials.source();
        String principal = principal(key, l.repository(), credentials);
        Future<LookupCache.Digest> digest;
        if (l.digest() != null) {
            digest = Future.succeededFuture(new LookupCache.Digest(l.digest(), null));
        } else {
            LookupCache.TagKey tagKey = new LookupCache.TagKey(key, l.repository(), l.tag(), principal);
            digest = cache.digest(tagKey, () -> gate.call(() -> cache.knowsTag(tagKey)
                    ? client.digestOf(key, l.repository(), l.tag(), source, System.nanoTime() + lookupNanos)
                    : firstLookup(key, l.repository(), l.tag(), principal, source)), registry);
        }
        return digest.compose(d -> {
                    LookupCache.DigestKey digestKey = new LookupCache.DigestKey(key, l.repository(), d.value(), principal);
                    return cache.metadata(digestKey, () -> gate.call(() -> inspector.inspect(key, l.repository(), d.value(),
                                    fetchedManifests.asMap().remove(digestKey), source, System.nanoTime() + lookupNanos)), registry)
                            .map(m -> (Resolution) new Resolution.Resolved(m, false, d.staleness()));
                })
                .recover(e -> Future.succeededFuture(new Resolution.Failed(withNotes(describe(l, e), credentials))));
    }

    /**
     * A tag seen for the first time: its manifest by tag, whose bytes give the digest, kept for the
     * metadata lookup that follows. Two requests for a new image (manifest, config) instead of three
     * (HEAD, manifest, config); the registry counts one pull either way.
     */
    private Future<String> firstLookup(String key, String repository, String tag, String principal, CredentialSource source) {
        long started = insecure.generation();
        return client.manifest(key, repository, tag, source, System.nanoTime() + lookupNanos).map(m -> {
            // Kept only when read under the insecure registries still in force (see LookupCache).
            if (insecure.generation() == started) {
                LookupCache.DigestKey digestKey = new LookupCache.DigestKey(key, repository, m.digest(), principal);
                fetchedManifests.put(digestKey, m);
                if (insecure.generation() != started) {
                    fetchedManifests.invalidate(digestKey);
                }
            }
            return m.digest();
        });
    }

    /**
     * Whose answer this lookup may reuse. Anonymous reads are everyone's; otherwise the answer belongs to
     * the credentials that can reach the registry (its matching ones, and its token realm's when that is
     * another host with credentials of its own), so one tenant's private image never decides another
     * tenant's admission. The key for a registry's own credentials is the same before and after its
     * realm is known, so learning the realm costs no second fetch.
     */
    private String principal(String registryKey, String repository, PullCredentials credentials) {
        if (credentials.anonymous() || client.readableAnonymously(registryKey, repository)) {
            return "";
        }
        String own = CredentialIdentity.of(credentials.source().credentialsFor(registryKey, repository));
        String realm = client.realmCredentialIdentity(registryKey, credentials.source());
        if (realm == null) {
            // Realm not known yet: a credential for another host might be the one presented.
            return own.isEmpty() ? "all:" + credentials.identity() : own;
        }
        return realm.isEmpty() ? own : own + "|" + realm;
    }

    private static String withNotes(String reason, PullCredentials credentials) {
        return credentials.notes().isEmpty() ? reason : reason + "; " + String.join("; ", credentials.notes());
    }

    /** A registry's gate and cache counters, made once per registry, not per lookup. */
    private final class Registry implements LookupCache.Statistics {
        final String key;
        final RegistryGate gate;
        final RegistryMetrics.Registry stats;

        Registry(String key) {
            this.key = key;
            this.stats = metrics.registry(key);
            this.gate = new RegistryGate(key, System::nanoTime);
            stats.breaker(() -> gate.state().name().toLowerCase(Locale.ROOT));
        }

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
    }

    private static String describe(ImageLookup l, Throwable e) {
        if (e instanceof RegistryException) {
            return e.getMessage();
        }
        return "looking up " + l + " failed: " + e.getClass().getSimpleName();
    }
}
