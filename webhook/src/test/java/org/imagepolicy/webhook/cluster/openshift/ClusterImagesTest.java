package org.imagepolicy.webhook.cluster.openshift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.imagepolicy.webhook.metrics.Metrics;
import org.imagepolicy.webhook.testing.Await;
import org.junit.jupiter.api.Test;

/** The Images held by digest: fetched once however many admissions ask, refreshed in the background within the bound. */
class ClusterImagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DIGEST = "sha256:" + "a".repeat(64);

    private final Map<String, ObjectNode> apiServer = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();

    private JsonNode read(String digest) {
        reads.incrementAndGet();
        ObjectNode image = apiServer.get(digest);
        return image == null ? null : image.deepCopy();
    }

    private static ObjectNode image(String annotation) {
        ObjectNode image = JSON.createObjectNode();
        image.putObject("metadata").put("name", DIGEST).putObject("annotations").put("note", annotation);
        return image.put("dockerImageReference", "integrated.registry/ns/app@" + DIGEST);
    }

    private static org.imagepolicy.webhook.metrics.RegistryMetrics.Registry stats() {
        return new Metrics().registries().registry("image.openshift.io");
    }

    @Test
    void aNewAnnotationIsSeenWithinTheRefreshIntervalWithoutAnyAdmission() throws Exception {
        apiServer.put(DIGEST, image("old"));
        try (ClusterImages images = new ClusterImages(this::read, Duration.ofMillis(300), stats())) {
            assertThat(images.image(DIGEST).get(5, TimeUnit.SECONDS).annotations()).containsEntry("note", "old");
            apiServer.put(DIGEST, image("deny"));
            long changed = System.nanoTime();
            Await.until("the background refresh", Duration.ofSeconds(5),
                    () -> "deny".equals(images.image(DIGEST).getNow(null).annotations().get("note")));
            assertThat(Duration.ofNanos(System.nanoTime() - changed)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void heldImagesAreAnsweredFromMemoryAndConcurrentNeedsShareOneRead() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        apiServer.put(DIGEST, image("x"));
        try (ClusterImages images = new ClusterImages(d -> {
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return read(d);
        }, Duration.ofHours(1), stats())) {
            var first = images.image(DIGEST);
            var second = images.image(DIGEST);
            assertThat(first.isDone()).as("the first need waits for the API server").isFalse();
            release.countDown();
            assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(second.get(5, TimeUnit.SECONDS));
            for (int i = 0; i < 100; i++) {
                assertThat(images.image(DIGEST).isDone()).isTrue();
            }
            assertThat(reads.get()).isEqualTo(1);
        }
    }

    @Test
    void anUnknownDigestIsAskedForOncePerNegativeWindow() throws Exception {
        try (ClusterImages images = new ClusterImages(this::read, Duration.ofHours(1), stats())) {
            assertThat(images.image(DIGEST).get(5, TimeUnit.SECONDS)).isNull();
            assertThat(images.image(DIGEST).get(5, TimeUnit.SECONDS)).isNull();
            assertThat(reads.get()).as("remembered as unknown for " + ClusterImages.NEGATIVE).isEqualTo(1);
        }
    }

    @Test
    void aFailedReadIsNotRemembered() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (ClusterImages images = new ClusterImages(d -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("API server unavailable");
            }
            return image("ok");
        }, Duration.ofHours(1), stats())) {
            assertThat(images.image(DIGEST)).failsWithin(Duration.ofSeconds(5));
            assertThat(images.image(DIGEST).get(5, TimeUnit.SECONDS).annotations()).containsEntry("note", "ok");
        }
    }
}
