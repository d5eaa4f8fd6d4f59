package org.imagepolicy.webhook.registry.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import org.imagepolicy.certs.IssuedCertificate;

/**
 * An HTTPS server that only redirects, standing in for the CDN or object storage a registry hands its
 * blobs to: {@code /hop/1} answers 307 to {@code /hop/2}, and so on, and the last hop answers 307 to a
 * final destination (typically a registry's own blob URL, which then serves the bytes). So a test builds
 * a redirect chain of any length that ends somewhere real.
 *
 * <p>It is HTTPS because a registry client may follow blob redirects to HTTPS only; it runs on its own
 * port, so to a client it is another host than the registry. It records every request with its headers,
 * which is how a test proves what a client sends to a host that is not the registry (no credentials).
 */
public final class HttpsRedirector implements AutoCloseable {

    /** A request as it arrived. */
    public record Request(String method, String path, Map<String, List<String>> headers) {
        public Request {
            Map<String, List<String>> copy = new HashMap<>();
            headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
            headers = Map.copyOf(copy);
        }

        /** The first value of a header, whatever the case of its name. */
        public Optional<String> header(String name) {
            return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name) && !h.getValue().isEmpty())
                    .map(h -> h.getValue().get(0)).findFirst();
        }
    }

    private final HttpsServer server;
    private final ExecutorService executor;
    private final int hops;
    private final URI destination;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private HttpsRedirector(HttpsServer server, ExecutorService executor, int hops, URI destination) {
        this.server = server;
        this.executor = executor;
        this.hops = hops;
        this.destination = destination;
    }

    /**
     * Starts on 127.0.0.1 and a free port.
     *
     * @param serving the certificate to serve (for 127.0.0.1); clients must trust its issuer
     * @param hops how many redirects this server answers in a row, at least 1
     * @param destination where the last one points
     */
    public static HttpsRedirector start(IssuedCertificate serving, int hops, URI destination) {
        if (hops < 1) {
            throw new IllegalArgumentException("a redirector answers at least one redirect, not " + hops);
        }
        Objects.requireNonNull(destination, "destination");
        ExecutorService executor = Tls.daemonPool("https-redirector");
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(Tls.serverContext(serving)));
            server.setExecutor(executor);
            HttpsRedirector redirector = new HttpsRedirector(server, executor, hops, destination);
            server.createContext("/", redirector::handle);
            server.start();
            return redirector;
        } catch (IOException e) {
            executor.shutdownNow();
            throw new IllegalStateException("cannot start the HTTPS redirector", e);
        }
    }

    /** {@code 127.0.0.1:PORT}: to a registry client, the registry key of this host, which certs.d must name. */
    public String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Where the chain starts: {@code https://127.0.0.1:PORT/hop/1}. */
    public URI entry() {
        return hop(1);
    }

    /** Every request that arrived, in order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private URI hop(int n) {
        return URI.create("https://" + host() + "/hop/" + n);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            requests.add(new Request(exchange.getRequestMethod(), path, exchange.getRequestHeaders()));
            exchange.getRequestBody().readAllBytes();
            int n = hopNumber(path);
            if (n < 1 || n > hops) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            // Absolute locations, as storage services send them.
            exchange.getResponseHeaders().set("Location", (n < hops ? hop(n + 1) : destination).toString());
            exchange.sendResponseHeaders(307, -1);
        }
    }

    private static int hopNumber(String path) {
        if (!path.matches("/hop/[1-9][0-9]{0,5}")) {
            return -1;
        }
        return Integer.parseInt(path.substring("/hop/".length()));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
