package org.imagepolicy.webhook.server;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.BooleanSupplier;
import org.imagepolicy.webhook.metrics.Metrics;

/** The plain-HTTP port for the kubelet and Prometheus: liveness, readiness and metrics. */
final class HealthHandler implements Handler<HttpServerRequest> {
    private final BooleanSupplier ready;
    private final Metrics metrics;

    HealthHandler(BooleanSupplier ready, Metrics metrics) {
        this.ready = ready;
        this.metrics = metrics;
    }

    @Override
    public void handle(HttpServerRequest req) {
        switch (req.path()) {
            case "/healthz":
            case "/livez":
                req.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain").end("ok\n");
                break;
            case "/readyz":
                boolean ok = ready.getAsBoolean();
                req.response().setStatusCode(ok ? 200 : 503).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain")
                        .end(ok ? "ready\n" : "not ready: starting, shutting down, or waiting for the cluster's first sync (the log says which)\n");
                break;
            case "/metrics":
                req.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8").end(metrics.render());
                break;
            default:
                req.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain")
                        .end("not found; try /healthz, /readyz or /metrics\n");
        }
    }
}
