package org.imagepolicy.webhook.server;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.imagepolicy.webhook.image.ImageLookup;
import org.imagepolicy.webhook.image.ImageMetadata;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.registry.ImageResolver;

/**
 * Admissions the webhook sends itself before it says it is ready. A rollout sends live traffic to a new
 * replica the moment {@code /readyz} answers, and a JVM that has not yet compiled the decode, decide,
 * encode and TLS paths answers its first seconds of it from the interpreter, at tens of milliseconds.
 * So, for a short time before readiness, a private listener on loopback with the same TLS options and the
 * same handler code takes pods, workload controllers and builds over HTTP/2 and HTTP/1.1, with the live
 * policy.
 *
 * <p>Nothing of it leaves the process: every lookup is answered from here (an image with no labels,
 * the shape of a cache hit) so no registry is contacted, the decisions go to a log that writes nothing
 * and to metrics nobody reads, and the listener is closed before readiness.
 */
final class WarmUp {
    static final List<String> REVIEWS = List.of("pod-1", "pod-3", "pod-10", "deployment", "cronjob", "build");
    /** Requests kept in flight by each of the two clients: enough to exercise concurrency, few enough to leave a core for the JIT. */
    private static final int IN_FLIGHT = 8;

    /** A cache hit for every image: the path a warm webhook takes, with no registry behind it. */
    static final ImageResolver RESOLVER = (lookups, deadline) -> {
        Map<ImageLookup, Resolution> out = new HashMap<>();
        for (ImageLookup l : lookups) {
            String digest = l.digest() != null ? l.digest() : "sha256:" + "0".repeat(64);
            out.put(l, new Resolution.Resolved(new ImageMetadata(digest, Map.of(), Map.of()), false, null));
        }
        return Future.succeededFuture(out);
    };

    private final Vertx vertx;
    private final List<Buffer> reviews;

    private WarmUp(Vertx vertx, List<Buffer> reviews) {
        this.vertx = vertx;
        this.reviews = reviews;
    }

    static WarmUp load(Vertx vertx) {
        List<Buffer> reviews = new ArrayList<>();
        for (String name : REVIEWS) {
            try (InputStream in = WarmUp.class.getResourceAsStream("/warm-up/" + name + ".json")) {
                if (in == null) {
                    throw new IllegalStateException("the jar lacks /warm-up/" + name + ".json");
                }
                reviews.add(Buffer.buffer(in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new WarmUp(vertx, reviews);
    }

    /**
     * Listens on a free loopback port with {@code options}, sends admissions to {@code handler} for
     * {@code duration}, closes everything and answers with how many were answered 200.
     */
    Future<Long> run(HttpServerOptions options, Handler<io.vertx.core.http.HttpConnection> connections, Handler<HttpServerRequest> handler,
            Duration duration) {
        HttpServer server = vertx.createHttpServer(new HttpServerOptions(options).setHost("127.0.0.1").setPort(0))
                .connectionHandler(connections).requestHandler(handler);
        return server.listen().compose(s -> {
            HttpClient h2 = client(HttpVersion.HTTP_2);
            HttpClient h1 = client(HttpVersion.HTTP_1_1);
            long until = System.nanoTime() + duration.toNanos();
            AtomicLong answered = new AtomicLong();
            List<Future<Void>> chains = new ArrayList<>();
            for (int i = 0; i < IN_FLIGHT; i++) {
                chains.add(chain(h2, s.actualPort(), i, until, answered));
                chains.add(chain(h1, s.actualPort(), i + 1, until, answered));
            }
            return Future.join(chains).eventually(() -> Future.join(h2.close(), h1.close()))
                    .eventually(server::close)
                    .map(v -> answered.get());
        });
    }

    private HttpClient client(HttpVersion version) {
        HttpClientOptions options = new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false)
                .setProtocolVersion(version).setUseAlpn(version == HttpVersion.HTTP_2).setKeepAlive(true);
        if (io.vertx.core.net.OpenSSLEngineOptions.isAvailable()) {
            // The server speaks BoringSSL; the client does too, so the warm-up does not also load and warm the JDK's TLS.
            options.setSslEngineOptions(new io.vertx.core.net.OpenSSLEngineOptions());
        }
        return vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(IN_FLIGHT).setHttp2MaxSize(1));
    }

    /** One request at a time, each after the previous answer, until the time is up; failures end the chain, not the start. */
    private Future<Void> chain(HttpClient client, int port, int first, long until, AtomicLong answered) {
        Promise<Void> done = Promise.promise();
        send(client, port, first, until, answered, done);
        return done.future();
    }

    private void send(HttpClient client, int port, int n, long until, AtomicLong answered, Promise<Void> done) {
        if (System.nanoTime() >= until) {
            done.tryComplete();
            return;
        }
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                .setURI("/validate").putHeader("Content-Type", "application/json");
        client.request(request)
                .compose(r -> r.send(reviews.get(n % reviews.size())))
                .compose(response -> response.body().map(body -> response.statusCode()))
                .onComplete(result -> {
                    if (result.failed()) {
                        done.tryComplete();
                        return;
                    }
                    if (result.result() == 200) {
                        answered.incrementAndGet();
                    }
                    send(client, port, n + 1, until, answered, done);
                });
    }
}
