package org.imagepolicy.webhook.registry;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.imagepolicy.webhook.image.HostPattern;

/**
 * What the cluster's image API holds, as the cluster package keeps it: watched image streams, Images read on
 * first use, and the integrated registry's hostnames. Answers from memory; only a first read of an Image waits.
 */
public interface ImageApiIndex {
    /** The stream as last seen, or {@code null}. */
    ImageStreamRecord stream(String namespace, String name);

    /** The Image, completing with {@code null} when the cluster has none of that digest; exceptionally when it cannot be read. */
    CompletableFuture<ClusterImage> image(String digest);

    /** Every hostname of the integrated registry: configured and discovered. */
    List<HostPattern> integratedRegistries();
}
