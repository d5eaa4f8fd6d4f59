package org.imagepolicy.bench;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.KeyCertOptions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A registry's front door for the load harness: forwards every request to the registry behind it, after a
 * delay, failing a share of them, or not at all while "down" (its port then refuses connections, as a
 * stopped registry's does). Non-blocking, so a 200 ms registry costs the harness no threads.
 *
 * <p>With a certificate it listens on TLS and offers HTTP/2 and HTTP/1.1 by ALPN, as real registries do
 * (Debian's docker-registry over TLS too): a client that speaks HTTP/2 multiplexes its lookups on one
 * connection. The registry behind it is always reached over plain HTTP/1.1.
 */
final class BenchProxy {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "upgrade");

    private final Vertx vertx;
    private final HttpClient upstream;
    private final int upstreamPort;
    private final long delayMillis;
    private final int failPercent;
    private final KeyCertOptions certificate;
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private int port;
    private HttpServer server;

    private BenchProxy(Vertx vertx, int upstreamPort, long delayMillis, int failPercent, KeyCertOptions certificate) {
        this.vertx = vertx;
        this.certificate = certificate;
        this.upstreamPort = upstreamPort;
        this.delayMillis = delayMillis;
        this.failPercent = failPercent;
        this.upstream = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(256));
    }

    static BenchProxy start(Vertx vertx, int upstreamPort, long delayMillis, int failPercent) {
        return start(vertx, upstreamPort, delayMillis, failPercent, null);
    }

    /** @param certificate null for plain HTTP/1.1; otherwise TLS with h2 and http/1.1 offered by ALPN */
    static BenchProxy start(Vertx vertx, int upstreamPort, long delayMillis, int failPercent, KeyCertOptions certificate) {
        BenchProxy proxy = new BenchProxy(vertx, upstreamPort, delayMillis, failPercent, certificate);
        proxy.listen(0).await();
        return proxy;
    }

    int port() {
        return port;
    }

    long forwarded() {
        return forwarded.get();
    }

    long failed() {
        return failed.get();
    }

    /** Down: the port refuses connections. Up: it listens again, on the same port. */
    synchronized Future<Void> down(boolean down) {
        if (down && server != null) {
            HttpServer closing = server;
            server = null;
            return closing.close();
        }
        if (!down && server == null) {
            return listen(port).mapEmpty();
        }
        return Future.succeededFuture();
    }

    private synchronized Future<HttpServer> listen(int wanted) {
        HttpServerOptions options = new HttpServerOptions();
        if (certificate != null) {
            if (io.vertx.core.net.OpenSSLEngineOptions.isAvailable()) {
                // BoringSSL, as the webhook's own server: the JDK's TLS on a cold JVM would make the proxy the slow part.
                options.setSslEngineOptions(new io.vertx.core.net.OpenSSLEngineOptions());
            }
            options.setSsl(true).setUseAlpn(true).setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
                    .setKeyCertOptions(certificate);
        }
        return vertx.createHttpServer(options).requestHandler(this::handle).listen(wanted, "127.0.0.1").onSuccess(s -> {
            synchronized (this) {
                server = s;
                port = s.actualPort();
            }
        });
    }

    private void handle(HttpServerRequest request) {
        if (failPercent > 0 && ThreadLocalRandom.current().nextInt(100) < failPercent) {
            failed.incrementAndGet();
            if (ThreadLocalRandom.current().nextBoolean()) {
                request.response().setStatusCode(500).putHeader("Content-Type", "application/json")
                        .end("{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"bench proxy: injected failure\"}]}");
            } else {
                request.connection().close(); // a reset: no status line at all
            }
            return;
        }
        request.body().onSuccess(body -> {
            if (delayMillis > 0) {
                vertx.setTimer(delayMillis, t -> forward(request, body));
            } else {
                forward(request, body);
            }
        });
    }

    private void forward(HttpServerRequest request, io.vertx.core.buffer.Buffer body) {
        RequestOptions options = new RequestOptions().setMethod(request.method()).setHost("127.0.0.1").setPort(upstreamPort)
                .setURI(request.uri());
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        copy(request.headers(), headers);
        options.setHeaders(headers);
        upstream.request(options).compose(out -> out.send(body))
                .compose(response -> response.body().map(answerBody -> {
                    var answer = request.response().setStatusCode(response.statusCode());
                    copy(response.headers(), answer.headers());
                    if (request.method() == HttpMethod.HEAD) {
                        answer.end(); // the registry's Content-Length stays: clients read sizes from HEAD
                    } else {
                        answer.headers().remove("Content-Length");
                        answer.end(answerBody);
                    }
                    forwarded.incrementAndGet();
                    return answerBody;
                }))
                .onFailure(e -> {
                    System.err.println("bench proxy: " + request.method() + " " + request.uri() + ": " + e);
                    request.response().setStatusCode(502).end("bench proxy: " + e.getMessage());
                });
    }

    private static void copy(MultiMap from, MultiMap to) {
        from.forEach(h -> {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
                to.add(h.getKey(), h.getValue());
            }
        });
    }
}
