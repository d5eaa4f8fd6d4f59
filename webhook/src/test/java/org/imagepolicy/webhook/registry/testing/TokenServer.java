package org.imagepolicy.webhook.registry.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import org.imagepolicy.certs.IssuedCertificate;
import org.imagepolicy.certs.Pem;

/**
 * A Docker registry token service (the "realm" of a {@code Bearer} challenge) on its own port, so the
 * realm is a different origin from the registry, as with Docker Hub or Quay.
 *
 * <p>{@code GET /token?service=S&scope=repository:NAME:pull[,push]} (scope may repeat) checks Basic
 * credentials and answers {@code {"token", "access_token", "expires_in", "issued_at"}}. Authenticated
 * callers get every action they ask for; anonymous callers get 401 unless
 * {@link #allowAnonymousPull(boolean)} lets them have {@code pull} only, as public registries do.
 */
public final class TokenServer implements AutoCloseable {
    /** How long issued tokens live; also what {@code expires_in} says. */
    public static final Duration TOKEN_LIFETIME = Duration.ofSeconds(300);

    /** What one call to the token endpoint asked for and got; {@code user} is null when anonymous or refused. */
    public record TokenRequest(String service, List<String> scopes, String user, int status) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final JwtSigner signer;
    private final String service;
    private final String username;
    private final String password;
    private final URI realm;
    private final List<TokenRequest> requests = new CopyOnWriteArrayList<>();
    private volatile boolean anonymousPull;
    private boolean closed;

    private TokenServer(HttpServer server, ExecutorService executor, JwtSigner signer, String service, String username,
            String password, URI realm) {
        this.server = server;
        this.executor = executor;
        this.signer = signer;
        this.service = service;
        this.username = username;
        this.password = password;
        this.realm = realm;
    }

    /**
     * Starts on 127.0.0.1 and a free port.
     *
     * @param service the audience tokens are for: the registry's {@code auth.token.service}
     * @param issuer the {@code iss} claim: the registry's {@code auth.token.issuer}
     * @param tlsCertificate served over HTTPS when given (clients then trust its issuer), plain HTTP when null
     */
    public static TokenServer start(String service, String issuer, String username, String password,
            IssuedCertificate tlsCertificate) {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        JwtSigner signer = new JwtSigner(issuer);
        ExecutorService executor = Tls.daemonPool("token-server");
        try {
            InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            HttpServer server;
            String scheme;
            if (tlsCertificate != null) {
                HttpsServer https = HttpsServer.create(loopback, 0);
                https.setHttpsConfigurator(new HttpsConfigurator(Tls.serverContext(tlsCertificate)));
                server = https;
                scheme = "https";
            } else {
                server = HttpServer.create(loopback, 0);
                scheme = "http";
            }
            server.setExecutor(executor);
            URI realm = URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + "/token");
            TokenServer tokens = new TokenServer(server, executor, signer, service, username, password, realm);
            server.createContext("/token", tokens::handle);
            server.start();
            return tokens;
        } catch (IOException e) {
            executor.shutdownNow();
            throw new IllegalStateException("cannot start the token server", e);
        }
    }

    /** The URL the registry names as {@code realm} in its Bearer challenges. */
    public URI realm() {
        return realm;
    }

    public String service() {
        return service;
    }

    /** The CA the registry trusts for token signatures ({@code auth.token.rootcertbundle}). */
    public X509Certificate signingAuthority() {
        return signer.authority().certificate();
    }

    public String signingAuthorityPem() {
        return Pem.encode(signingAuthority());
    }

    /** Whether anonymous callers get pull-only tokens (as on public registries) instead of 401. */
    public void allowAnonymousPull(boolean allow) {
        this.anonymousPull = allow;
    }

    /** Every call to the token endpoint, refused ones included. */
    public int tokenRequests() {
        return requests.size();
    }

    public List<TokenRequest> requests() {
        return List.copyOf(requests);
    }

    public void clearRequests() {
        requests.clear();
    }

    /**
     * Issues a token directly, without HTTP: for tests that need one with particular grants.
     *
     * @param scopes in the wire form {@code repository:NAME:pull,push}
     */
    public String issue(String subject, List<String> scopes) {
        return signer.sign(service, subject, grants(scopes, false), Instant.now(), TOKEN_LIFETIME);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) || !"/token".equals(exchange.getRequestURI().getPath())) {
                reply(exchange, 404, error("NOT_FOUND", "only GET /token is served here"));
                return;
            }
            String requestedService = null;
            List<String> scopes = new ArrayList<>();
            String query = exchange.getRequestURI().getRawQuery();
            if (query != null) {
                for (String pair : query.split("&")) {
                    int eq = pair.indexOf('=');
                    String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                    String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                    if (name.equals("service")) {
                        requestedService = value;
                    } else if (name.equals("scope")) {
                        // Some clients join several scopes with spaces in one parameter.
                        for (String scope : value.split(" ")) {
                            if (!scope.isBlank()) {
                                scopes.add(scope);
                            }
                        }
                    }
                }
            }

            Credentials credentials = credentials(exchange.getRequestHeaders().getFirst("Authorization"));
            boolean anonymous = credentials == Credentials.NONE;
            if (credentials == Credentials.WRONG || anonymous && !anonymousPull) {
                requests.add(new TokenRequest(requestedService, List.copyOf(scopes), null, 401));
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"local-token-server\"");
                reply(exchange, 401, error("UNAUTHORIZED", "valid Basic credentials are required"));
                return;
            }
            String user = anonymous ? null : username;
            if (requestedService != null && !requestedService.equals(service)) {
                requests.add(new TokenRequest(requestedService, List.copyOf(scopes), user, 400));
                reply(exchange, 400, error("UNSUPPORTED", "this token server only serves " + service));
                return;
            }
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            String token = signer.sign(service, anonymous ? "anonymous" : user, grants(scopes, anonymous), now, TOKEN_LIFETIME);
            ObjectNode body = JSON.createObjectNode();
            body.put("token", token);
            body.put("access_token", token);
            body.put("expires_in", TOKEN_LIFETIME.toSeconds());
            body.put("issued_at", now.toString());
            requests.add(new TokenRequest(requestedService, List.copyOf(scopes), user, 200));
            reply(exchange, 200, JSON.writeValueAsBytes(body));
        }
    }

    private enum Credentials { NONE, RIGHT, WRONG }

    private Credentials credentials(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Credentials.NONE;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Credentials.WRONG;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Credentials.WRONG;
        }
        // Both compared, always, so the answer time does not tell which half was wrong.
        boolean userMatches = constantTimeEquals(decoded.substring(0, colon), username);
        boolean passwordMatches = constantTimeEquals(decoded.substring(colon + 1), password);
        return userMatches & passwordMatches ? Credentials.RIGHT : Credentials.WRONG;
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** Scopes are {@code type:name:actions}; the name may itself contain ':' (a port), so split at both ends. */
    private static List<JwtSigner.Access> grants(List<String> scopes, boolean pullOnly) {
        List<JwtSigner.Access> access = new ArrayList<>();
        for (String scope : scopes) {
            int first = scope.indexOf(':');
            int last = scope.lastIndexOf(':');
            if (first < 0 || last == first) {
                continue;
            }
            List<String> actions = new ArrayList<>(List.of(scope.substring(last + 1).split(",")));
            if (pullOnly) {
                actions.retainAll(List.of("pull"));
            }
            access.add(new JwtSigner.Access(scope.substring(0, first), scope.substring(first + 1, last), actions));
        }
        return access;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static byte[] error(String code, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putArray("errors").addObject();
        error.put("code", code);
        error.put("message", message);
        return JSON.writeValueAsBytes(body);
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.stop(0);
        executor.shutdownNow();
    }
}
