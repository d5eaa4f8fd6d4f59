package org.imagepolicy.webhook.server;

import io.vertx.core.Vertx;
import java.util.List;
import org.imagepolicy.webhook.image.HostPattern;
import org.imagepolicy.webhook.metrics.RegistryMetrics;
import org.imagepolicy.webhook.registry.ImageApiIndex;
import org.imagepolicy.webhook.registry.ImageApiResolver;
import org.imagepolicy.webhook.registry.ImageResolver;

/**
 * The OpenShift image API as a source of image facts in front of the registries, and the integrated
 * registry hostnames learnt from the cluster. The cluster package provides it; without one the
 * registries answer alone.
 */
public interface ResolverLayer {
    /** What the image API holds, or {@code null} for none; called once, when the server starts. */
    ImageApiIndex imageApi(RegistryMetrics metrics);

    /** Integrated registry hostnames found in the cluster, added to the policy's and the command line's. */
    default List<HostPattern> integratedRegistries() {
        return List.of();
    }

    /**
     * The resolver every front-end decides with: the image API in front of {@code registries}, or the
     * registries alone when this layer has none. {@code serve}, {@code audit}, {@code diff} and
     * {@code explain} all build theirs here, so a report never resolves a name the webhook would not.
     */
    default ImageResolver resolver(Vertx vertx, ImageResolver registries, RegistryMetrics metrics) {
        ImageApiIndex index = imageApi(metrics);
        return index == null ? registries : new ImageApiResolver(vertx, registries, index);
    }

    ResolverLayer NONE = metrics -> null;
}
