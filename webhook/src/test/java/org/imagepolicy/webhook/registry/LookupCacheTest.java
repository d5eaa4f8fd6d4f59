package org.imagepolicy.webhook.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.imagepolicy.webhook.image.ImageMetadata;
import org.imagepolicy.webhook.registry.credentials.CredentialSource;
import org.junit.jupiter.api.Test;

/** The cache's promises, on a fake clock: nothing here waits in real time. */
class LookupCacheTest {
    static final Duration TTL = Duration.ofSeconds(60);
    final AtomicLong now = new AtomicLong(1);
    final Ticker ticker = now::get;
    final LookupCache cache = new LookupCache(new RegistrySettings(Set.of(), null, Set.of(), "linux/amd64", TTL,
            Duration.ofSeconds(15), Duration.ofMinutes(10), 4, CredentialSource.anonymous()), ticker, 1 << 20);
    final LookupCache.TagKey key = new LookupCache.TagKey("quay.io", "org/app", "1", "");
    final Counts stats = new Counts();
    final AtomicInteger fetches = new AtomicInteger();

    static final class Counts implements LookupCache.Statistics {
        int hits;
        int misses;
        int coalesced;
        int stale;

        @Override
        public void hit() {
            hits++;
        }

        @Override
        public void miss() {
            misses++;
        }

        @Override
        public void coalesced() {
            coalesced++;
        }

        @Override
        public void stale() {
            stale++;
        }
    }

    Future<LookupCache.Digest> digest(Future<String> answer) {
        return cache.digest(key, () -> {
            fetches.incrementAndGet();
            return answer;
        }, stats);
    }

    void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void concurrentLookupsOfOneTagShareOneRequest() {
        Promise<String> registry = Promise.promise();
        List<Future<LookupCache.Digest>> waiting = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            waiting.add(digest(registry.future()));
        }
        assertThat(fetches.get()).isEqualTo(1);
        assertThat(stats.coalesced).isEqualTo(49);
        registry.complete("sha256:a");
        assertThat(waiting).allSatisfy(f -> assertThat(f.result().value()).isEqualTo("sha256:a"));
        assertThat(digest(Future.succeededFuture("sha256:other")).result().value()).as("then cached").isEqualTo("sha256:a");
        assertThat(fetches.get()).isEqualTo(1);
    }

    @Test
    void refreshesAheadOfExpiryWhileStillAnsweringFromTheCache() {
        digest(Future.succeededFuture("sha256:a"));
        advance(Duration.ofSeconds(50)); // past three quarters of the time to live
        Promise<String> refresh = Promise.promise();
        LookupCache.Digest served = digest(refresh.future()).result();
        assertThat(served.value()).isEqualTo("sha256:a");
        assertThat(served.staleness()).isNull();
        assertThat(fetches.get()).as("a background refresh started").isEqualTo(2);
        refresh.complete("sha256:b");
        assertThat(digest(Future.succeededFuture("sha256:c")).result().value()).isEqualTo("sha256:b");
    }

    @Test
    void servesAStaleDigestDuringAnOutageUpToMaxStaleAndSaysSo() {
        digest(Future.succeededFuture("sha256:a"));
        advance(Duration.ofMinutes(5));
        LookupCache.Digest stale = digest(Future.failedFuture(RegistryException.transientFailure("connection refused"))).result();
        assertThat(stale.value()).isEqualTo("sha256:a");
        assertThat(stale.staleness()).contains("looked up 300s ago").contains("quay.io cannot be reached now (connection refused)");
        assertThat(stats.stale).isEqualTo(1);

        advance(Duration.ofMinutes(6)); // past max-stale: the old digest is gone
        Future<LookupCache.Digest> gone = digest(Future.failedFuture(RegistryException.transientFailure("connection refused")));
        assertThat(gone.failed()).isTrue();
    }

    @Test
    void transientFailuresAreNeverCachedAndPermanentOnesBriefly() {
        assertThat(digest(Future.failedFuture(RegistryException.transientFailure("503"))).failed()).isTrue();
        assertThat(digest(Future.succeededFuture("sha256:a")).result().value()).as("the next lookup asks again").isEqualTo("sha256:a");

        LookupCache.TagKey missing = new LookupCache.TagKey("quay.io", "org/app", "nope", "");
        AtomicInteger asked = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            Future<LookupCache.Digest> f = cache.digest(missing, () -> {
                asked.incrementAndGet();
                return Future.failedFuture(RegistryException.permanent("quay.io/org/app/manifests/nope was not found"));
            }, stats);
            assertThat(f.cause()).hasMessageContaining("was not found");
        }
        assertThat(asked.get()).as("a 404 is remembered").isEqualTo(1);
        advance(Duration.ofSeconds(16));
        cache.digest(missing, () -> {
            asked.incrementAndGet();
            return Future.succeededFuture("sha256:now-pushed");
        }, stats);
        assertThat(asked.get()).as("for the negative time to live only").isEqualTo(2);
    }

    @Test
    void metadataIsCachedByDigest() {
        LookupCache.DigestKey key = new LookupCache.DigestKey("quay.io", "org/app", "sha256:a", "");
        ImageMetadata meta = new ImageMetadata("sha256:a", Map.of("tier", "gold"), Map.of());
        AtomicInteger asked = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            assertThat(cache.metadata(key, () -> {
                asked.incrementAndGet();
                return Future.succeededFuture(meta);
            }, stats).result()).isEqualTo(meta);
            advance(Duration.ofHours(1));
        }
        assertThat(asked.get()).isEqualTo(1);
    }

    @Test
    void aTagLookupStartedBeforeTheInsecureRegistriesChangedIsNeitherJoinedNorKept() {
        InsecureRegistries insecure = new InsecureRegistries(List.of());
        insecure.policy(List.of("quay.io"));
        LookupCache following = new LookupCache(new RegistrySettings(Set.of(), null, Set.of(), "linux/amd64", TTL,
                Duration.ofSeconds(15), Duration.ofMinutes(10), 4, CredentialSource.anonymous()), ticker, 1 << 20, insecure::generation);
        Promise<String> overUnverifiedTls = Promise.promise();
        Future<LookupCache.Digest> before = following.digest(key, () -> {
            fetches.incrementAndGet();
            return overUnverifiedTls.future();
        }, stats);

        following.forget(insecure.policy(List.of())); // quay.io is verified again from now on

        Promise<String> verified = Promise.promise();
        Future<LookupCache.Digest> after = following.digest(key, () -> {
            fetches.incrementAndGet();
            return verified.future();
        }, stats);
        assertThat(fetches.get()).as("an admission after the change does not join the lookup started before it").isEqualTo(2);
        overUnverifiedTls.complete("sha256:forged");
        assertThat(before.result().value()).as("the admission that was waiting on it still gets its answer").isEqualTo("sha256:forged");
        assertThat(following.knowsTag(key)).as("but the answer is not kept").isFalse();
        assertThat(after.isComplete()).isFalse();

        Future<LookupCache.Digest> joining = following.digest(key, () -> {
            fetches.incrementAndGet();
            return Future.succeededFuture("sha256:unexpected");
        }, stats);
        assertThat(fetches.get()).as("a lookup under the same setting joins the verified one").isEqualTo(2);
        verified.complete("sha256:real");
        assertThat(after.result().value()).isEqualTo("sha256:real");
        assertThat(joining.result().value()).isEqualTo("sha256:real");
        assertThat(following.digest(key, () -> Future.failedFuture("not asked"), stats).result().value()).isEqualTo("sha256:real");
    }

    @Test
    void metadataReadBeforeTheInsecureRegistriesChangedIsNotKept() {
        InsecureRegistries insecure = new InsecureRegistries(List.of());
        LookupCache following = new LookupCache(new RegistrySettings(Set.of(), null, Set.of(), "linux/amd64", TTL,
                Duration.ofSeconds(15), Duration.ofMinutes(10), 4, CredentialSource.anonymous()), ticker, 1 << 20, insecure::generation);
        LookupCache.DigestKey image = new LookupCache.DigestKey("quay.io", "org/app", "sha256:a", "");
        Promise<ImageMetadata> refusedByVerification = Promise.promise();
        following.metadata(image, () -> refusedByVerification.future(), stats);

        following.forget(insecure.policy(List.of("quay.io"))); // quay.io's certificate is no longer verified

        refusedByVerification.fail(RegistryException.permanent("quay.io's certificate is not trusted"));
        AtomicInteger asked = new AtomicInteger();
        ImageMetadata m = new ImageMetadata("sha256:a", Map.of("k", "v"), Map.of());
        Future<ImageMetadata> now = following.metadata(image, () -> {
            asked.incrementAndGet();
            return Future.succeededFuture(m);
        }, stats);
        assertThat(asked.get()).as("the refusal read under verification is not remembered").isEqualTo(1);
        assertThat(now.result()).isEqualTo(m);
    }
}
