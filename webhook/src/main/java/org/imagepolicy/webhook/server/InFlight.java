package org.imagepolicy.webhook.server;

import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests received and not yet answered, so shutdown can wait for them: a request counts from its
 * headers until its response ends or its connection drops, whichever comes first.
 */
final class InFlight {
    private final AtomicInteger count = new AtomicInteger();

    void track(HttpServerRequest req, ConnectionGuard guard) {
        count.incrementAndGet();
        guard.started(req.connection());
        boolean[] done = {false};
        Runnable finish = () -> {
            if (!done[0]) {
                done[0] = true;
                count.decrementAndGet();
                guard.finished(req.connection());
            }
        };
        // Both callbacks run on the request's event loop, so the flag needs no synchronization.
        req.response().endHandler(v -> finish.run());
        req.response().closeHandler(v -> finish.run());
    }

    int count() {
        return count.get();
    }
}
