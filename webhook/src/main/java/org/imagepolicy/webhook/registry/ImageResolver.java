package org.imagepolicy.webhook.registry;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.imagepolicy.webhook.image.ImageLookup;
import org.imagepolicy.webhook.image.Resolution;

/**
 * Where facts about images come from. The registry resolver is the real one; the offline one answers
 * "offline" at once; an ImageStreamTag resolver through the OpenShift image API plugs in here later.
 */
public interface ImageResolver {

    /**
     * A resolution for every lookup by the deadline, never later: a lookup still running then is answered
     * with a failure that says so, and the policy's rules for failed resolution decide.
     */
    Future<Map<ImageLookup, Resolution>> resolve(List<ImageLookup> lookups, long deadlineNanos);

    ImageResolver OFFLINE = (lookups, deadline) -> {
        Map<ImageLookup, Resolution> out = new HashMap<>();
        for (ImageLookup l : lookups) {
            out.put(l, Resolution.OFFLINE);
        }
        return Future.succeededFuture(out);
    };
}
