package org.imagepolicy.webhook.audit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.imagepolicy.webhook.image.ImageLookup;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.registry.credentials.PullCredentials;

/**
 * Where an audit gets registry facts: a blocking call for one group of images. The command line adapts
 * serve's non-blocking resolver to it (Vert.x stays in the server, the registry client and the CLI).
 */
@FunctionalInterface
public interface Lookups {
    /** A resolution for every image asked about; failures are {@link Resolution.Failed}, never exceptions. */
    Map<ImageLookup, Resolution> resolve(List<ImageLookup> group);

    /**
     * The same with one object's own credentials, as the webhook would use them for it ({@code audit
     * --cluster}: its pod's pull secrets, its service account's, then the global ones); {@code null} for
     * the global ones. Sources that use no credentials ignore them.
     */
    default Map<ImageLookup, Resolution> resolve(List<ImageLookup> group, PullCredentials credentials) {
        return resolve(group);
    }

    /**
     * Whether answers depend on how the OpenShift image API names an image (its namespace, its kind), as
     * with {@code --image-api}; otherwise one registry answer serves every namespace that names the image.
     */
    default boolean readsClusterNames() {
        return false;
    }

    Lookups OFFLINE = group -> {
        Map<ImageLookup, Resolution> out = new HashMap<>();
        for (ImageLookup l : group) {
            out.put(l, Resolution.OFFLINE);
        }
        return out;
    };
}
