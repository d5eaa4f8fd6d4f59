package org.imagepolicy.webhook.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import org.imagepolicy.webhook.cluster.ClusterSettings;
import org.imagepolicy.webhook.cluster.ClusterWatch;
import org.imagepolicy.webhook.cluster.KubernetesClients;
import org.imagepolicy.webhook.cluster.openshift.OpenShiftImages;
import org.imagepolicy.webhook.image.HostPattern;
import org.imagepolicy.webhook.registry.credentials.CredentialSource;
import org.imagepolicy.webhook.server.ResolverLayer;

/**
 * The cluster as {@code serve --cluster} reads it, opened the same way by every command that takes
 * {@code --cluster} ({@code serve}, {@code audit}, {@code diff}, {@code explain}): one client, the informers
 * for pull secrets, service accounts and namespaces, and with {@code --image-api} the OpenShift image API
 * layer the resolver puts in front of the registries ({@link ResolverLayer#resolver}).
 */
final class LiveCluster implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LiveCluster.class.getName());

    private final KubernetesClient client;
    private final ClusterWatch watch;
    private final OpenShiftImages images;

    private LiveCluster(KubernetesClient client, ClusterWatch watch, OpenShiftImages images) {
        this.client = client;
        this.watch = watch;
        this.images = images;
    }

    /**
     * Starts the informers (and the image API's) and returns at once; they sync in the background.
     *
     * @param integrated {@code --integrated-registry} names, which the image API also treats as the cluster's registry
     */
    static LiveCluster open(ClusterSettings settings, CredentialSource files, boolean imageApi, List<HostPattern> integrated)
            throws IOException {
        KubernetesClient client = KubernetesClients.create(settings);
        ClusterWatch watch = null;
        try {
            watch = ClusterWatch.start(client, settings, files);
            OpenShiftImages images = null;
            if (imageApi) {
                images = OpenShiftImages.start(client, watch, integrated, OpenShiftImages.REFRESH);
                LOG.info("resolving image streams and cluster images through " + client.getMasterUrl() + " (image.openshift.io/v1)");
            }
            return new LiveCluster(client, watch, images);
        } catch (RuntimeException e) {
            if (watch != null) {
                watch.close();
            }
            client.close();
            throw e;
        }
    }

    KubernetesClient client() {
        return client;
    }

    ClusterWatch watch() {
        return watch;
    }

    /** The image API, or {@link ResolverLayer#NONE} without {@code --image-api}. */
    ResolverLayer layer() {
        return images == null ? ResolverLayer.NONE : images;
    }

    /** For {@code serve}, which closes it on shutdown; {@code null} without {@code --image-api}. */
    OpenShiftImages images() {
        return images;
    }

    /**
     * For the one-shot commands, which judge from one complete view: blocks until every informer has listed
     * once and, with the image API, the cluster image configuration has been read (or found missing).
     */
    void awaitSynced(Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        watch.awaitSynced(timeout);
        if (images == null) {
            return;
        }
        try {
            images.hostnamesRead().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException("could not read image.config.openshift.io/cluster from the API server within " + timeout.toSeconds() + "s");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause()); // never: the future is only ever completed normally
        }
    }

    /** The integrated registry's names as the webhook's engine has them: the configured ones, then the cluster's. */
    List<HostPattern> integrated(List<HostPattern> configured) {
        List<HostPattern> all = new ArrayList<>(configured);
        all.addAll(layer().integratedRegistries());
        return all;
    }

    @Override
    public void close() {
        if (images != null) {
            images.close();
        }
        watch.close();
        client.close();
    }
}
