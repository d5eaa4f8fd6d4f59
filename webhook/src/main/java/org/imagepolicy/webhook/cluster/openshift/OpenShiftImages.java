package org.imagepolicy.webhook.cluster.openshift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Logger;
import org.imagepolicy.webhook.cluster.ClusterWatch;
import org.imagepolicy.webhook.image.HostPattern;
import org.imagepolicy.webhook.metrics.RegistryMetrics;
import java.util.concurrent.CompletableFuture;
import org.imagepolicy.webhook.registry.ClusterImage;
import org.imagepolicy.webhook.registry.ImageApiIndex;
import org.imagepolicy.webhook.registry.ImageStreamRecord;
import org.imagepolicy.webhook.server.ResolverLayer;

/**
 * The OpenShift image API behind {@code serve --cluster --image-api}: image streams listed and watched with
 * the other informers (readiness waits for them), Images read on first use and refreshed in the background,
 * and the integrated registry's hostnames from the cluster image configuration. The resolver that reads them
 * is {@link org.imagepolicy.webhook.registry.ImageApiResolver}, beside the registry resolver.
 */
public final class OpenShiftImages implements ResolverLayer, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OpenShiftImages.class.getName());
    /** The documented bound on how late a new annotation of an Image is seen (plus one read of the held images). */
    public static final Duration REFRESH = Duration.ofSeconds(30);
    /** How long start-up waits to learn whether the API server serves the image API (well inside the chart's 30 s startup probe). */
    static final Duration CHECK_WAIT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final ImageStreams streams = new ImageStreams();
    private final RegistryHostnames hostnames = new RegistryHostnames();
    private final List<HostPattern> configured;
    private final Function<String, JsonNode> imageReader;
    private final Duration refresh;
    private SharedIndexInformer<GenericKubernetesResource> configInformer;
    /** One per server that asked (one in serve; tests run several servers on one cluster view). */
    private final List<ClusterImages> images = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The configuration has been applied once, or cannot be read (3.x): one-shot runs wait for either. */
    private final CompletableFuture<Void> configAnswered = new CompletableFuture<>();

    private OpenShiftImages(KubernetesClient client, List<HostPattern> configured, Function<String, JsonNode> imageReader, Duration refresh) {
        this.client = client;
        this.configured = List.copyOf(configured);
        this.imageReader = imageReader;
        this.refresh = refresh;
    }

    /**
     * Adds the ImageStream informer to {@code watch} and starts reading the cluster image configuration.
     *
     * @param configured integrated registry hostnames from {@code --integrated-registry} (the policy's own are the engine's)
     * @param refresh    how often held Images are read again: the bound on a new annotation's delay
     * @throws ImageApiUnavailableException when the API server answers that it does not serve {@code image.openshift.io/v1}
     */
    public static OpenShiftImages start(KubernetesClient client, ClusterWatch watch, List<HostPattern> configured, Duration refresh) {
        ImageApiCheck.require(client, CHECK_WAIT);
        OpenShiftImages o = new OpenShiftImages(client, configured, ClusterImages.through(client), refresh);
        watch.inform("imagestreams", client.genericKubernetesResources(ImageApi.IMAGE_STREAMS).inAnyNamespace().withLimit(500L),
                s -> o.streams.put(tree(client, s)), s -> o.streams.remove(s.getMetadata().getNamespace(), s.getMetadata().getName()),
                o.streams::size);
        o.configInformer = client.genericKubernetesResources(ImageApi.IMAGE_CONFIG).withName("cluster").runnableInformer(0);
        o.configInformer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource obj) {
                o.hostnames.update(tree(client, obj));
                o.configAnswered.complete(null);
            }

            @Override
            public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
                o.hostnames.update(tree(client, newObj));
            }

            @Override
            public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
                o.hostnames.clear();
            }
        });
        o.configInformer.exceptionHandler((started, t) -> {
            // 3.x clusters have no config.openshift.io: then only the configured names count. Not a readiness matter.
            LOG.fine(() -> "cannot read image.config.openshift.io/cluster: " + t.getMessage());
            o.configAnswered.complete(null);
            return true;
        });
        // Synced also when there is no object named cluster: then no event says so.
        o.configInformer.start().thenRun(() -> o.configAnswered.complete(null));
        return o;
    }

    private static JsonNode tree(KubernetesClient client, GenericKubernetesResource r) {
        try {
            return JSON.readTree(client.getKubernetesSerialization().asJson(r));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public ImageApiIndex imageApi(RegistryMetrics metrics) {
        ClusterImages held = new ClusterImages(imageReader, refresh, metrics.registry("image.openshift.io"));
        images.add(held);
        return new ImageApiIndex() {
            @Override
            public ImageStreamRecord stream(String namespace, String name) {
                return streams.get(namespace, name);
            }

            @Override
            public CompletableFuture<ClusterImage> image(String digest) {
                return held.image(digest);
            }

            @Override
            public List<HostPattern> integratedRegistries() {
                return allIntegrated();
            }
        };
    }

    @Override
    public List<HostPattern> integratedRegistries() {
        return hostnames.get();
    }

    /**
     * Completes when the cluster image configuration has been read once (its hostnames applied, or there is no
     * object named cluster) or found unreadable (3.x): {@code audit} and {@code explain} wait for it, so
     * they judge with the hostnames the webhook has.
     */
    public CompletableFuture<Void> hostnamesRead() {
        return configAnswered.copy(); // callers wait; only the informer completes it
    }

    private List<HostPattern> allIntegrated() {
        List<HostPattern> found = hostnames.get();
        if (found.isEmpty()) {
            return configured;
        }
        List<HostPattern> all = new ArrayList<>(configured);
        all.addAll(found);
        return all;
    }

    /** Reads every held Image again now (tests; the background does it every {@code refresh}). */
    public void refreshImages() {
        images.forEach(ClusterImages::refresh);
    }

    @Override
    public void close() {
        if (configInformer != null) {
            configInformer.stop();
        }
        images.forEach(ClusterImages::close);
    }
}
