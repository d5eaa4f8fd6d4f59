package org.imagepolicy.webhook.registry.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A plain-HTTP reverse proxy in front of a registry that misbehaves on demand, so registry clients can
 * be tested against stalls, resets, errors, rate limits, corrupt blobs and redirects. Clients always
 * speak plain HTTP to it; it speaks the registry's scheme upstream (HTTPS trusting the registry's CA).
 *
 * <p>It forwards method, path, query, headers and body, and sets {@code X-Forwarded-Host} and
 * {@code X-Forwarded-Proto} so the registry builds upload {@code Location}s that point back at the proxy
 * rather than around it. Every request is counted on arrival, whatever the mode, so a test can prove how
 * many requests a client made ({@link #count}), and with which headers ({@link ProxiedRequest#header});
 * the registry's own access log ({@link LocalRegistry#count}) shows how many got through.
 *
 * <p>Faults apply to every request, or with {@link #mode(Mode, String)} only to paths matching a
 * pattern (say, manifests), the rest passing through; a client's {@code GET /v2/} ping then still works.
 */
public final class FaultProxy implements AutoCloseable {

    public enum Mode {
        /** Forward unchanged. */
        PASS,
        /** Hold the request, never answering, until {@link #release()} (then forward it) or close (then drop it). */
        STALL,
        /** Close the connection without any response. */
        RESET,
        /** Answer 500 with a registry-style error body. */
        STATUS_500,
        /** Answer 429 with {@code Retry-After} ({@link #retryAfterSeconds(int)}, default 1). */
        STATUS_429,
        /** Forward, but flip one byte in the body of {@code GET /v2/.../blobs/...} answers. */
        TAMPER_BLOBS,
        /** Answer 307 with the location set by {@link #redirectTo(URI)} or {@link #redirectToSamePathOn}. */
        REDIRECT_TO
    }

    /** What to do, to which paths (null: all), and where redirects go. */
    private record Rule(Mode mode, Pattern paths, URI location, boolean keepPath) {
        Mode modeFor(String path) {
            return paths == null || paths.matcher(path).matches() ? mode : Mode.PASS;
        }
    }

    /** A request as it arrived, with its headers, and the mode that was applied to it. */
    public record ProxiedRequest(String method, String path, Mode mode, Map<String, List<String>> headers) {
        public ProxiedRequest {
            Map<String, List<String>> copy = new java.util.HashMap<>();
            headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
            headers = Map.copyOf(copy);
        }

        /** The first value of a header, whatever the case of its name. */
        public java.util.Optional<String> header(String name) {
            return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name) && !h.getValue().isEmpty())
                    .map(h -> h.getValue().get(0)).findFirst();
        }
    }

    /** How long a stalled request is held at most, so a forgotten stall cannot hang a build. */
    static final Duration MAX_STALL = Duration.ofMinutes(2);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BLOB_PATH = Pattern.compile("/v2/.+/blobs/[^/]+");

    /** Hop-by-hop headers, and those the JDK client sets itself and refuses from callers. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "x-forwarded-host",
            "x-forwarded-proto");
    private static final Set<String> NOT_RETURNED = Set.of("connection", "content-length", "keep-alive",
            "transfer-encoding", "date");

    private final URI upstream;
    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient client;
    private final List<ProxiedRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger stalled = new AtomicInteger();
    private final AtomicReference<CountDownLatch> stallGate = new AtomicReference<>(new CountDownLatch(1));
    /** Replaced whole, so a request never sees one switch's mode with another's paths or location. */
    private volatile Rule rule = new Rule(Mode.PASS, null, null, false);
    private volatile int retryAfterSeconds = 1;
    private volatile boolean closed;

    private FaultProxy(URI upstream, HttpServer server, ExecutorService executor, SSLContext upstreamTls) {
        this.upstream = upstream;
        this.server = server;
        this.executor = executor;
        this.client = Tls.client(upstreamTls);
    }

    /**
     * In front of a registry of any variant: HTTPS ones are reached trusting their CA (and, for MTLS,
     * presenting the harness's client certificate), while clients of the proxy still speak plain HTTP.
     */
    public static FaultProxy start(LocalRegistry registry) {
        return start(registry.base(), registry.clientTls());
    }

    /** In front of any plain-HTTP server, e.g. {@code http://127.0.0.1:5000}. */
    public static FaultProxy start(URI upstream) {
        return start(upstream, null);
    }

    /**
     * In front of any server.
     *
     * @param upstreamTls the trust for an {@code https} upstream, or {@code null} for a plain one
     */
    public static FaultProxy start(URI upstream, SSLContext upstreamTls) {
        ExecutorService executor = Tls.daemonPool("fault-proxy");
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            // A thread per exchange: stalled requests each hold one, the others keep flowing.
            server.setExecutor(executor);
            String origin = upstream.toString().replaceAll("/+$", "");
            FaultProxy proxy = new FaultProxy(URI.create(origin), server, executor, upstreamTls);
            server.createContext("/", proxy::handle);
            server.start();
            return proxy;
        } catch (IOException e) {
            executor.shutdownNow();
            throw new IllegalStateException("cannot start the fault proxy", e);
        }
    }

    /** {@code 127.0.0.1:PORT}, the registry part of image references that go through the proxy. */
    public String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public URI base() {
        return URI.create("http://" + host());
    }

    public Mode mode() {
        return rule.mode();
    }

    /** Applies a mode to every request. */
    public void mode(Mode mode) {
        mode(mode, null);
    }

    /**
     * Applies a mode to requests whose path matches the whole regular expression; others pass.
     * Switching away from {@link Mode#STALL} does not release requests already held.
     */
    public void mode(Mode mode, String pathRegex) {
        if (mode == Mode.REDIRECT_TO) {
            throw new IllegalArgumentException("use redirectTo or redirectToSamePathOn, which also set the location");
        }
        rule = new Rule(Objects.requireNonNull(mode, "mode"), compile(pathRegex), null, false);
    }

    private static Pattern compile(String pathRegex) {
        return pathRegex == null ? null : Pattern.compile(pathRegex);
    }

    /** The {@code Retry-After} that {@link Mode#STATUS_429} answers with. */
    public void retryAfterSeconds(int seconds) {
        this.retryAfterSeconds = seconds;
    }

    /** Switches to {@link Mode#REDIRECT_TO} for every request, answering 307 with exactly this location. */
    public void redirectTo(URI location) {
        redirect(location, false, null);
    }

    /** Like {@link #redirectTo(URI)}, for requests whose path matches; others pass. */
    public void redirectTo(URI location, String pathRegex) {
        redirect(location, false, pathRegex);
    }

    /**
     * Switches to {@link Mode#REDIRECT_TO}, answering 307 with the request's own path and query on
     * another origin (e.g. the registry itself), as registries that hand blobs to a CDN or S3 do.
     */
    public void redirectToSamePathOn(URI origin, String pathRegex) {
        redirect(origin, true, pathRegex);
    }

    private void redirect(URI location, boolean keepPath, String pathRegex) {
        rule = new Rule(Mode.REDIRECT_TO, compile(pathRegex), Objects.requireNonNull(location, "location"), keepPath);
    }

    /** Lets every request held so far continue to the registry; later ones stall again while in STALL. */
    public void release() {
        stallGate.getAndSet(new CountDownLatch(1)).countDown();
    }

    /** How many requests are being held right now. */
    public int stalled() {
        return stalled.get();
    }

    /** Every request that arrived, in order. */
    public List<ProxiedRequest> requests() {
        return List.copyOf(requests);
    }

    /** How many arrived with this method and a path matching the whole regular expression. */
    public long count(String method, String pathRegex) {
        Pattern path = Pattern.compile(pathRegex);
        return requests.stream().filter(r -> r.method().equals(method) && path.matcher(r.path()).matches()).count();
    }

    public void clearRequests() {
        requests.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            Rule current = rule;
            Mode applied = current.modeFor(path);
            requests.add(new ProxiedRequest(method, path, applied, exchange.getRequestHeaders()));
            byte[] body = exchange.getRequestBody().readAllBytes();
            switch (applied) {
                case PASS -> forward(exchange, body, false);
                case TAMPER_BLOBS -> forward(exchange, body, method.equals("GET") && BLOB_PATH.matcher(path).matches());
                case STALL -> {
                    if (holdUntilReleased()) {
                        forward(exchange, body, false);
                    }
                    // Else: closing the exchange unanswered drops the connection, as RESET does.
                }
                case RESET -> {
                    // Closing an exchange before sendResponseHeaders closes the connection: no status line at all.
                }
                case STATUS_500 -> error(exchange, 500, "UNKNOWN", "fault proxy: injected internal server error");
                case STATUS_429 -> {
                    exchange.getResponseHeaders().set("Retry-After", Integer.toString(retryAfterSeconds));
                    error(exchange, 429, "TOOMANYREQUESTS", "fault proxy: injected rate limit");
                }
                case REDIRECT_TO -> {
                    URI target = current.location();
                    String location = current.keepPath()
                            ? target.resolve(exchange.getRequestURI().getRawPath()
                                    + (exchange.getRequestURI().getRawQuery() == null ? ""
                                            : "?" + exchange.getRequestURI().getRawQuery())).toString()
                            : target.toString();
                    exchange.getResponseHeaders().set("Location", location);
                    exchange.sendResponseHeaders(307, -1);
                }
            }
        }
    }

    /** @return true when released, false when the proxy closed or the bound ran out */
    private boolean holdUntilReleased() {
        CountDownLatch gate = stallGate.get();
        stalled.incrementAndGet();
        try {
            return gate.await(MAX_STALL.toMillis(), TimeUnit.MILLISECONDS) && !closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            stalled.decrementAndGet();
        }
    }

    private void forward(HttpExchange exchange, byte[] body, boolean tamper) throws IOException {
        URI incoming = exchange.getRequestURI();
        URI target = URI.create(upstream + incoming.getRawPath() + (incoming.getRawQuery() == null ? ""
                : "?" + incoming.getRawQuery()));
        String method = exchange.getRequestMethod();
        HttpRequest.BodyPublisher publisher = body.length == 0 && !hasBody(exchange.getRequestHeaders())
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(target).method(method, publisher)
                .timeout(Duration.ofSeconds(30));
        for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            if (!NOT_FORWARDED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                header.getValue().forEach(value -> request.header(header.getKey(), value));
            }
        }
        request.header("X-Forwarded-Host", host());
        request.header("X-Forwarded-Proto", "http");

        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            error(exchange, 502, "UNKNOWN", "fault proxy: upstream failed: " + e);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        byte[] answer = response.body();
        if (tamper && response.statusCode() == 200 && answer.length > 0) {
            answer[answer.length / 2] ^= 0x01;
        }
        Headers headers = exchange.getResponseHeaders();
        response.headers().map().forEach((name, values) -> {
            if (!NOT_RETURNED.contains(name.toLowerCase(Locale.ROOT))) {
                headers.put(name, values);
            }
        });
        if (method.equals("HEAD")) {
            // The JDK server sends no body for HEAD and wants -1, but the client needs the length of
            // what a GET would return, so it is copied as a header.
            response.headers().firstValue("Content-Length").ifPresent(length -> headers.set("Content-Length", length));
            exchange.sendResponseHeaders(response.statusCode(), -1);
            return;
        }
        exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
        exchange.getResponseBody().write(answer);
    }

    private static boolean hasBody(Headers headers) {
        String length = headers.getFirst("Content-Length");
        return length != null || headers.containsKey("Transfer-Encoding");
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        ObjectNode json = JSON.createObjectNode();
        ObjectNode entry = json.putArray("errors").addObject();
        entry.put("code", code);
        entry.put("message", message);
        byte[] body = JSON.writeValueAsBytes(json);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    /** Stops the proxy; held requests are dropped unanswered. */
    @Override
    public void close() {
        closed = true;
        stallGate.get().countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
