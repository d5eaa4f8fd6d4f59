package org.imagepolicy.webhook.registry;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Sends one request to a registry or its blob storage, never blocking the event loop: the name is
 * resolved and checked on a worker, the connection goes to exactly the checked address (with the name
 * for SNI, Host and certificate checks), the body is capped, and the request is cut off at the deadline.
 */
final class RegistryTransport {
    private final Vertx vertx;
    /**
     * Requests at once on the one HTTP/2 connection to a registry. Go's HTTP/2 server, behind most
     * registries, allows 250 streams; 100 keeps well inside that and is still more than the HTTP/1.1
     * connections a registry sees from us, so a burst of new images on a slow registry does not queue.
     */
    static final int HTTP2_STREAMS_PER_REGISTRY = 100;

    /** TLS, HTTP/2 when the registry offers it by ALPN (all the big ones do), HTTP/1.1 otherwise. */
    private final HttpClient tls;
    /**
     * HTTP/1.1 only: plain HTTP for insecure registries (never an h2c upgrade the registry may not
     * expect), and TLS to registries whose HTTP/2 failed.
     */
    private final HttpClient http1;
    /** Registries whose HTTP/2 connection closed before a request could go out: asked over HTTP/1.1 since. */
    private final Set<String> http1Only = ConcurrentHashMap.newKeySet();
    private final RegistryTrust trust;
    private final AddressGuard guard;
    private final InsecureRegistries insecure;

    private final org.imagepolicy.webhook.metrics.RegistryMetrics metrics;

    RegistryTransport(Vertx vertx, RegistrySettings settings, InsecureRegistries insecure, RegistryTrust trust, AddressGuard guard,
            org.imagepolicy.webhook.metrics.RegistryMetrics metrics) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.insecure = insecure;
        this.trust = trust;
        this.guard = guard;
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(settings.maxConcurrentPerRegistry()).setHttp2MaxSize(1);
        this.tls = vertx.createHttpClient(options().setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(true)
                .setHttp2MultiplexingLimit(HTTP2_STREAMS_PER_REGISTRY), pool);
        this.http1 = vertx.createHttpClient(options(), pool);
    }

    private static HttpClientOptions options() {
        return new HttpClientOptions().setForceSni(true).setKeepAlive(true)
                .setConnectTimeout(5_000).setDecompressionSupported(false).setMaxRedirects(0);
    }

    Future<RegistryResponse> send(Target target, HttpMethod method, String uri, MultiMap headers, int maxBytes, long deadlineNanos) {
        long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (remainingMillis <= 0) {
            return Future.failedFuture(RegistryException.transientFailure("no time left to contact " + target.host()));
        }
        return vertx.executeBlocking(() -> guard.resolve(target.registryKey(), target.host()), false)
                .compose(address -> exchange(target, address, method, uri, headers, maxBytes, deadlineNanos));
    }

    private Future<RegistryResponse> exchange(Target target, InetAddress address, HttpMethod method, String uri, MultiMap headers,
            int maxBytes, long deadlineNanos) {
        long remainingMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
        RequestOptions options = new RequestOptions()
                .setMethod(method)
                .setHost(target.host())
                .setPort(target.port())
                .setURI(uri)
                .setServer(SocketAddress.inetSocketAddress(target.port(), address.getHostAddress()))
                .setSsl(target.tls())
                .setConnectTimeout(Math.min(remainingMillis, 5_000))
                .setIdleTimeout(remainingMillis)
                .setFollowRedirects(false);
        if (target.tls()) {
            options.setSslOptions(trust.options(target.registryKey(), insecure.contains(target.registryKey())));
        }
        options.setHeaders(headers);
        options.putHeader(io.vertx.core.http.HttpHeaders.USER_AGENT, UserAgent.VALUE);
        Promise<RegistryResponse> result = Promise.promise();
        long timer = vertx.setTimer(remainingMillis, id -> result.tryFail(
                RegistryException.transientFailure(target.host() + " did not answer in time")));
        // A registry that wants our client certificate is asked over HTTP/1.1: when it refuses the certificate
        // (TLS 1.3 says so after the handshake), Vert.x 5.0's HTTP/2 connection attempt waits out the deadline
        // instead of failing, where HTTP/1.1 fails at once with the TLS alert.
        boolean http2 = target.tls() && !http1Only.contains(target.registryKey()) && !trust.presentsClientCertificate(target.registryKey());
        (http2 ? tls : http1).request(options).onComplete(requested -> {
            if (requested.failed()) {
                if (http2 && closedBeforeUse(requested.cause()) && System.nanoTime() < deadlineNanos) {
                    // TLS 1.3 lets the client finish its handshake before the server has judged the client's
                    // certificate; a refusal then closes the HTTP/2 connection with nothing said, where HTTP/1.1
                    // reports the TLS alert. A registry whose HTTP/2 is broken fails the same way. Either way,
                    // HTTP/1.1 gives the answer, or the reason in words.
                    http1Only.add(target.registryKey());
                    exchange(target, address, method, uri, headers, maxBytes, deadlineNanos).onComplete(result::tryComplete, result::tryFail);
                    return;
                }
                result.tryFail(classify(target, requested.cause()));
                return;
            }
            HttpClientRequest request = requested.result();
            result.future().onFailure(e -> request.reset());
            request.send().onComplete(sent -> {
                if (sent.failed()) {
                    result.tryFail(classify(target, sent.cause()));
                    return;
                }
                var response = sent.result();
                String length = response.getHeader("Content-Length");
                if (length != null && parseLength(length) > maxBytes) {
                    result.tryFail(RegistryException.permanent(target.host() + " sent " + length + " bytes for " + uri
                            + ", more than the " + maxBytes + " allowed"));
                    return;
                }
                Buffer body = Buffer.buffer();
                response.handler(chunk -> {
                    if (body.length() + chunk.length() > maxBytes) {
                        result.tryFail(RegistryException.permanent(target.host() + " sent more than the " + maxBytes
                                + " bytes allowed for " + uri));
                        return;
                    }
                    body.appendBuffer(chunk);
                });
                response.exceptionHandler(e -> result.tryFail(classify(target, e)));
                response.endHandler(v -> result.tryComplete(new RegistryResponse(response.statusCode(), response.headers(), body.getBytes())));
            });
        });
        long started = System.nanoTime();
        return result.future().onComplete(done -> {
            vertx.cancelTimer(timer);
            metrics.registry(target.registryKey()).response(done.succeeded() ? done.result().status() : -1, System.nanoTime() - started);
        });
    }

    private static boolean closedBeforeUse(Throwable e) {
        return e instanceof HttpClosedException || (e instanceof io.vertx.core.VertxException && "Connection was closed".equals(e.getMessage()));
    }

    private static long parseLength(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Connection trouble is transient; a certificate that does not verify will not fix itself in seconds. */
    private static RegistryException classify(Target target, Throwable e) {
        if (e instanceof RegistryException) {
            return (RegistryException) e;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return RegistryException.tls("TLS with " + target.origin() + " failed: " + t.getMessage());
            }
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return RegistryException.transientFailure("cannot reach " + target.origin() + ": " + message);
    }
}
