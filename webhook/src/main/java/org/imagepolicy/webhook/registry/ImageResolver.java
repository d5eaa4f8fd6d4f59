package org.imagepolicy.webhook.registry;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.imagepolicy.webhook.image.ImageLookup;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.registry.credentials.PullCredentials;

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

    /**
     * The same, with the credentials of one admission (its pod's pull secrets first) instead of the
     * webhook's global ones. Resolvers that use no credentials ignore them.
     */
    default Future<Map<ImageLookup, Resolution>> resolve(List<ImageLookup> lookups, PullCredentials credentials, long deadlineNanos) {
        return resolve(lookups, deadlineNanos);
    }

    ImageResolver OFFLINE = (lookups, deadline) -> {
        Map<ImageLookup, Resolution> out = new HashMap<>();
        for (ImageLookup l : lookups) {
            out.put(l, Resolution.OFFLINE);
        }
        return Future.succeededFuture(out);
    };
}
