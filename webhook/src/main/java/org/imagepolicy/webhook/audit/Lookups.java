package org.imagepolicy.webhook.audit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.imagepolicy.webhook.image.ImageLookup;
import org.imagepolicy.webhook.image.Resolution;

/**
 * Where an audit gets registry facts: a blocking call for one group of images. The command line adapts
 * serve's non-blocking resolver to it (Vert.x stays in the server, the registry client and the CLI).
 */
@FunctionalInterface
public interface Lookups {
    /** A resolution for every image asked about; failures are {@link Resolution.Failed}, never exceptions. */
    Map<ImageLookup, Resolution> resolve(List<ImageLookup> group);

    Lookups OFFLINE = group -> {
        Map<ImageLookup, Resolution> out = new HashMap<>();
        for (ImageLookup l : group) {
            out.put(l, Resolution.OFFLINE);
        }
        return out;
    };
}
