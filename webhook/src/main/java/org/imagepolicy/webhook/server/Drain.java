package org.imagepolicy.webhook.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.concurrent.TimeUnit;

/**
 * The drain after SIGTERM. The API server keeps routing to a terminating pod until its endpoint is removed, and
 * reuses idle keep-alive connections to it; a connection closed under a request it already sent fails that
 * admission. So while the drain lasts every answer tells its client to leave: {@code Connection: close} on
 * HTTP/1.1 (the server closes right after the complete response), GOAWAY on HTTP/2. The client's next request
 * then opens a new connection, which goes to a ready replica.
 *
 * <p>HTTP/2 takes two GOAWAYs, as RFC 9113 section 6.8 advises: the first names the highest possible stream, so
 * streams the client opens while it is on the wire are still answered; the final one, a little later, names the
 * last stream really opened, and the connection closes once those are answered. A single GOAWAY naming the last
 * stream refuses whatever the client sent meanwhile, and clients that do not retry report those as failures.
 */
final class Drain {
    /** Many round trips inside a cluster: time enough for streams already sent to arrive. */
    static final long FINAL_GOAWAY_AFTER_MILLIS = 1_000;
    private final long streamGraceMillis;
    private volatile boolean draining;

    /** @param streamGraceMillis how long an HTTP/2 connection told to go away may finish the streams it has */
    Drain(long streamGraceMillis) {
        this.streamGraceMillis = streamGraceMillis;
    }

    void start() {
        draining = true;
    }

    boolean draining() {
        return draining;
    }

    /** Called just before a response ends. */
    void beforeAnswer(HttpServerRequest req) {
        if (draining && req.version() != HttpVersion.HTTP_2) {
            req.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
    }

    /**
     * Called just after a response ended, on the request's event loop. Vert.x keeps an HTTP/1.1 connection open
     * whatever the response's Connection header says, so it is closed here once the response is written.
     */
    void afterAnswer(HttpServerRequest req, Future<Void> written, ConnectionGuard guard) {
        if (!draining) {
            return;
        }
        if (req.version() != HttpVersion.HTTP_2) {
            written.onComplete(v -> req.connection().close());
        } else if (guard.firstGoAway(req.connection())) {
            HttpConnection connection = req.connection();
            connection.goAway(0, Integer.MAX_VALUE);
            Vertx.currentContext().owner().setTimer(FINAL_GOAWAY_AFTER_MILLIS,
                    id -> connection.shutdown(streamGraceMillis, TimeUnit.MILLISECONDS));
        }
    }
}
