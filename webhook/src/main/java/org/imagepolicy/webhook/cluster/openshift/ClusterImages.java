package org.imagepolicy.webhook.cluster.openshift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Logger;
import org.imagepolicy.webhook.metrics.RegistryMetrics;
import org.imagepolicy.webhook.registry.ClusterImage;

/**
 * The cluster's {@code Image} objects the webhook has needed, by digest. The first admission that needs
 * one fetches {@code images/<digest>} (concurrent needs share the fetch); after that it is answered from
 * memory, and every {@link #refreshEvery} all held images are read again in the background, so an
 * annotation added later ({@code images.openshift.io/deny-execution}) takes effect within that interval
 * plus one read, whatever the admission rate. Images unused for an hour are dropped; an unknown digest
 * is remembered as unknown for {@link #NEGATIVE} so a burst of admissions makes one request, not many.
 *
 * <p>Why not a watch: a list and watch of Images holds every image of the cluster (tens of thousands, with
 * their layer lists), where the webhook needs the few hundred its admissions name; fabric8 7.7 offers no
 * metadata-only informer. The refresh costs one GET per held image per interval, independent of traffic.
 */
final class ClusterImages implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ClusterImages.class.getName());
    static final Duration NEGATIVE = Duration.ofSeconds(10);
    static final Duration IDLE = Duration.ofHours(1);
    static final int MAX_HELD = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the resolver reads of an Image. */
    static ClusterImage read(JsonNode image) {
        return new ClusterImage(image.path("metadata").path("name").asText(""), image.path("dockerImageReference").asText(""),
                DockerImageMetadata.labels(image), DockerImageMetadata.annotations(image));
    }

    private static final class Held {
        volatile ClusterImage image; // null: the API server said NotFound
        volatile long fetchedNanos;
        volatile long usedNanos;
    }

    private final Function<String, JsonNode> fetcher;
    private final Duration refreshEvery;
    private final RegistryMetrics.Registry stats;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<ClusterImage>> inFlight = new ConcurrentHashMap<>();
    private final ExecutorService readers = Executors.newFixedThreadPool(2, daemon("image-api-read"));
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(daemon("image-api-refresh"));

    ClusterImages(Function<String, JsonNode> fetcher, Duration refreshEvery, RegistryMetrics.Registry stats) {
        this.fetcher = fetcher;
        this.refreshEvery = refreshEvery;
        this.stats = stats;
        long every = Math.max(1, refreshEvery.toMillis());
        refresher.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
    }

    /** Reads {@code images/<digest>} through the client; {@code null} when there is no such image. */
    static Function<String, JsonNode> through(KubernetesClient client) {
        return digest -> {
            GenericKubernetesResource image = client.genericKubernetesResources(ImageApi.IMAGES).withName(digest).get();
            if (image == null) {
                return null;
            }
            try {
                return JSON.readTree(client.getKubernetesSerialization().asJson(image));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot read Image " + digest + ": " + e.getMessage(), e);
            }
        };
    }

    Duration refreshEvery() {
        return refreshEvery;
    }

    /**
     * The image from memory, or a fetch that completes with it ({@code null} inside: the cluster has no
     * such image). Never blocks; a failed read completes exceptionally and is not remembered.
     */
    CompletableFuture<ClusterImage> image(String digest) {
        long now = System.nanoTime();
        Held h = held.get(digest);
        if (h != null && (h.image != null || now - h.fetchedNanos < NEGATIVE.toNanos())) {
            h.usedNanos = now;
            stats.hit();
            return CompletableFuture.completedFuture(h.image);
        }
        // Registered before the read starts, and the read started outside any map operation: a read that
        // completes at once must not remove its entry from inside computeIfAbsent (a "Recursive update").
        CompletableFuture<ClusterImage> mine = new CompletableFuture<>();
        CompletableFuture<ClusterImage> running = inFlight.putIfAbsent(digest, mine);
        if (running != null) {
            stats.coalesced();
            return running;
        }
        stats.miss();
        CompletableFuture.supplyAsync(() -> read(digest), readers).whenComplete((image, failure) -> {
            inFlight.remove(digest, mine);
            if (failure != null) {
                mine.completeExceptionally(failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
            } else {
                mine.complete(image);
            }
        });
        return mine;
    }

    /** One GET, counted in the registry metrics under {@code image.openshift.io} (404: no such image; error: no answer). */
    private JsonNode get(String digest) {
        long start = System.nanoTime();
        try {
            JsonNode node = fetcher.apply(digest);
            stats.response(node == null ? 404 : 200, System.nanoTime() - start);
            return node;
        } catch (RuntimeException e) {
            stats.response(-1, System.nanoTime() - start);
            throw e;
        }
    }

    private ClusterImage read(String digest) {
        JsonNode node = get(digest);
        ClusterImage image = node == null ? null : read(node);
        if (held.size() >= MAX_HELD && !held.containsKey(digest)) {
            evictIdlest();
        }
        Held h = held.computeIfAbsent(digest, d -> new Held());
        h.image = image;
        h.fetchedNanos = System.nanoTime();
        h.usedNanos = h.fetchedNanos;
        return image;
    }

    /** Reads every held image again (and drops those unused for an hour); runs on its own thread. */
    void refresh() {
        long now = System.nanoTime();
        for (Map.Entry<String, Held> e : held.entrySet()) {
            Held h = e.getValue();
            if (now - h.usedNanos > IDLE.toNanos()) {
                held.remove(e.getKey(), h);
                continue;
            }
            if (h.image == null) {
                continue; // unknown digests are read again on demand once NEGATIVE has passed
            }
            try {
                JsonNode node = get(e.getKey());
                h.image = node == null ? null : read(node);
                h.fetchedNanos = System.nanoTime();
            } catch (RuntimeException ex) {
                // The held copy keeps serving; the next round tries again.
                LOG.fine(() -> "cannot refresh Image " + e.getKey() + ": " + ex.getMessage());
            }
        }
    }

    private void evictIdlest() {
        held.entrySet().stream().min(java.util.Comparator.comparingLong(e -> e.getValue().usedNanos))
                .ifPresent(e -> held.remove(e.getKey(), e.getValue()));
    }

    int size() {
        return held.size();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        refresher.shutdownNow();
        readers.shutdownNow();
    }
}
