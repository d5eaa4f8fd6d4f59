package org.imagepolicy.webhook.server;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes connections that deliver no complete request for a while: a slowloris client trickling its
 * headers never reaches a request handler, so only the connection can be watched. A connection is
 * spared while one of its requests is being answered; idle keep-alive connections are closed too,
 * and the API server simply opens a new one.
 */
final class ConnectionGuard implements Handler<HttpConnection> {
    static final long QUIET_MILLIS = 30_000;

    /** What one connection is doing; touched only on its own event loop. */
    static final class Activity {
        long lastRequest = System.nanoTime();
        int open;
        boolean toldToGoAway;
    }

    private final Vertx vertx;
    private final long quietNanos;
    private final Map<HttpConnection, Activity> connections = new ConcurrentHashMap<>();

    ConnectionGuard(Vertx vertx, long quietMillis) {
        this.vertx = vertx;
        this.quietNanos = quietMillis * 1_000_000;
    }

    @Override
    public void handle(HttpConnection connection) {
        Activity activity = new Activity();
        connections.put(connection, activity);
        long timer = vertx.setPeriodic(Math.max(100, quietNanos / 3_000_000), id -> {
            if (activity.open == 0 && System.nanoTime() - activity.lastRequest > quietNanos) {
                connection.close();
            }
        });
        connection.closeHandler(v -> {
            vertx.cancelTimer(timer);
            connections.remove(connection);
        });
    }

    void started(HttpConnection connection) {
        Activity a = connections.get(connection);
        if (a != null) {
            a.open++;
            a.lastRequest = System.nanoTime();
        }
    }

    /** True the first time it is asked for a connection: the drain's first GOAWAY is sent once per connection. */
    boolean firstGoAway(HttpConnection connection) {
        Activity a = connections.get(connection);
        if (a == null || a.toldToGoAway) {
            return false;
        }
        a.toldToGoAway = true;
        return true;
    }

    void finished(HttpConnection connection) {
        Activity a = connections.get(connection);
        if (a != null) {
            a.open--;
            a.lastRequest = System.nanoTime();
        }
    }
}
