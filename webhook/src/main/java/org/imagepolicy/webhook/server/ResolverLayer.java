package org.imagepolicy.webhook.server;

import java.util.List;
import org.imagepolicy.webhook.image.HostPattern;
import org.imagepolicy.webhook.metrics.RegistryMetrics;
import org.imagepolicy.webhook.registry.ImageApiIndex;

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

    ResolverLayer NONE = metrics -> null;
}
