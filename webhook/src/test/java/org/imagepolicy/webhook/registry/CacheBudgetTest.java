package org.imagepolicy.webhook.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The registry cache's memory bound follows the heap it is given (serve --cache-max-heap-percent). */
class CacheBudgetTest {
    static final long MIB = 1024 * 1024;

    @Test
    void aQuarterOfTheMaximumHeapByDefault() {
        CacheBudget b = CacheBudget.of(CacheBudget.DEFAULT_PERCENT, 1024 * MIB);
        assertThat(b.bytes()).isEqualTo(256 * MIB);
        assertThat(b.describe()).isEqualTo("256 MiB (25% of the 1024 MiB maximum heap)");
    }

    @Test
    void followsTheHeapAContainerLimitGives() {
        assertThat(CacheBudget.of(25, 256 * MIB).bytes()).isEqualTo(64 * MIB);
        assertThat(CacheBudget.of(40, 512 * MIB).bytes()).isEqualTo(512 * MIB * 40 / 100);
    }

    @Test
    void neverBelowTheFloorAndSaysWhy() {
        CacheBudget b = CacheBudget.of(10, 64 * MIB);
        assertThat(b.bytes()).isEqualTo(CacheBudget.FLOOR_BYTES);
        assertThat(b.describe()).isEqualTo("16 MiB (the floor: 10% of the 64 MiB maximum heap would be less)");
    }

    @Test
    void aShareThatLeavesNoRoomForRequestsIsRefusedNamingTheFlag() {
        assertThatThrownBy(() -> CacheBudget.of(0, 1024 * MIB)).hasMessage(
                "--cache-max-heap-percent must be between 1 and 80 (the rest of the heap answers requests), was 0");
        assertThatThrownBy(() -> CacheBudget.of(95, 1024 * MIB)).hasMessageContaining("was 95");
    }

    @Test
    void theImageCacheHoldsNoMoreThanItsBudget() {
        // Each image: 20 labels of 50-character values, about 1.6 KB of estimated weight; 5,000 of them are 8 MB.
        LookupCache cache = new LookupCache(new RegistrySettings(java.util.Set.of(), null, java.util.Set.of(), "linux/amd64",
                java.time.Duration.ofSeconds(60), java.time.Duration.ofSeconds(15), java.time.Duration.ofMinutes(10), 4,
                org.imagepolicy.webhook.registry.credentials.CredentialSource.anonymous()), com.github.benmanes.caffeine.cache.Ticker.systemTicker(),
                CacheBudget.FLOOR_BYTES / 16);
        LookupCacheTest.Counts stats = new LookupCacheTest.Counts();
        for (int i = 0; i < 5_000; i++) {
            java.util.Map<String, String> labels = new java.util.HashMap<>();
            for (int l = 0; l < 20; l++) {
                labels.put("label-" + l, String.format("%050d", i * 100L + l));
            }
            String digest = String.format("sha256:%064d", i);
            org.imagepolicy.webhook.image.ImageMetadata m = new org.imagepolicy.webhook.image.ImageMetadata(digest, labels, java.util.Map.of());
            cache.metadata(new LookupCache.DigestKey("quay.io", "org/app", digest, ""), () -> io.vertx.core.Future.succeededFuture(m), stats);
        }
        cache.cleanUp();
        // 1 MiB over about 1.6 KB each: some 650 images, never the 5,000 offered.
        assertThat(cache.imageEntries()).isBetween(400L, 800L);
    }
}
