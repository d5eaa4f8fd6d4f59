package org.imagepolicy.webhook.server;

import io.vertx.core.Vertx;
import java.util.List;
import org.imagepolicy.webhook.image.HostPattern;
import org.imagepolicy.webhook.metrics.RegistryMetrics;
import org.imagepolicy.webhook.registry.ImageResolver;

/**
 * A source of image facts in front of the registries (the OpenShift image API), and the integrated
 * registry hostnames it learns from the cluster. The cluster package provides it; without one the
 * registries answer alone.
 */
public interface ResolverLayer {
    /** @param registries the resolver to hand on what this layer does not answer */
    ImageResolver over(Vertx vertx, ImageResolver registries, RegistryMetrics metrics);

    /** Integrated registry hostnames found in the cluster, added to the policy's and the command line's. */
    default List<HostPattern> integratedRegistries() {
        return List.of();
    }

    ResolverLayer NONE = (vertx, registries, metrics) -> registries;
}
