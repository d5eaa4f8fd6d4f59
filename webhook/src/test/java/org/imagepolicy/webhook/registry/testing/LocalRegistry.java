package org.imagepolicy.webhook.registry.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.imagepolicy.certs.CertificateAuthority;
import org.imagepolicy.certs.IssuedCertificate;
import org.imagepolicy.certs.Pem;
import org.imagepolicy.certs.ServingCertSpec;

/**
 * A real CNCF distribution registry (Debian's {@code docker-registry}, 2.8.2) on 127.0.0.1 and a free
 * port, storing into a temporary directory, in one of five set-ups:
 * <ul>
 * <li>{@link Variant#PLAIN}: HTTP, no authentication;
 * <li>{@link Variant#TLS}: HTTPS with a certificate for localhost and 127.0.0.1 from a fresh CA;
 * <li>{@link Variant#BASIC}: HTTPS and htpasswd (bcrypt) authentication for one generated user;
 * <li>{@link Variant#TOKEN}: HTTPS and bearer-token authentication delegated to a {@link TokenServer}
 * on another port (its realm is another origin), which knows the same generated user;
 * <li>{@link Variant#MTLS}: HTTPS that requires a client certificate from a second, separate CA
 * ({@link #clientAuthority()}); the harness presents its own ({@link #clientCertificate()}).
 * </ul>
 * The registry's access log is captured, so tests can assert which requests reached it
 * ({@link #requests()}, {@link #count}). Close it: the process is stopped, and a JVM shutdown hook and
 * a stdin watchdog make sure it never outlives the test JVM.
 */
public final class LocalRegistry implements AutoCloseable {

    public enum Variant {
        PLAIN(false, false, false), TLS(true, false, false), BASIC(true, true, false), TOKEN(true, true, false),
        MTLS(true, false, true);

        private final boolean tls;
        private final boolean authenticated;
        private final boolean clientCertificates;

        Variant(boolean tls, boolean authenticated, boolean clientCertificates) {
            this.tls = tls;
            this.authenticated = authenticated;
            this.clientCertificates = clientCertificates;
        }

        public boolean tls() {
            return tls;
        }

        public boolean authenticated() {
            return authenticated;
        }

        /** Whether the registry refuses TLS clients without a certificate from its client CA. */
        public boolean clientCertificates() {
            return clientCertificates;
        }
    }

    static final Path DEFAULT_BINARY = Path.of("/usr/bin/docker-registry");
    static final String MISSING_BINARY = "install Debian's docker-registry package (`apt-get install docker-registry`)";

    /** What the registry expects in tokens; the token server issues exactly these. */
    public static final String TOKEN_SERVICE = "local-registry";
    public static final String TOKEN_ISSUER = "local-token-server";
    public static final String USERNAME = "tester";

    /** Requests the harness makes itself (readiness probes, log markers) carry this agent and are hidden. */
    static final String HARNESS_AGENT = "local-registry-harness";

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration LOG_SYNC_TIMEOUT = Duration.ofSeconds(10);
    private static final int PORT_ATTEMPTS = 3;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Runs the registry under sh so that it dies with the JVM even when the JVM is killed without
     * running shutdown hooks: the watcher blocks reading the stdin pipe the JVM holds, and when that
     * pipe closes (on {@link #close()}, or because the JVM is gone) it kills the registry. The shell
     * exits with the registry, so an early death (a port clash, a bad config) is seen at once.
     */
    private static final String WATCHDOG = String.join("\n",
            "exec 3<&0",
            "\"$0\" serve \"$1\" </dev/null &",
            "child=$!",
            "( read -r _ <&3; kill \"$child\" 2>/dev/null ) >/dev/null 2>&1 &",
            "watcher=$!",
            "wait \"$child\"; status=$?",
            "kill \"$watcher\" 2>/dev/null",
            "exit $status");

    private final Variant variant;
    private final Path directory;
    private final int port;
    private final Process process;
    private final CapturedOutput stdout;
    private final CapturedOutput stderr;
    private final CertificateAuthority authority;
    private final Path caFile;
    private final String password;
    private final TokenServer tokenServer;
    private final CertificateAuthority clientAuthority;
    private final IssuedCertificate clientCertificate;
    private final HttpClient harnessClient;
    private volatile int logStart;
    private volatile boolean closed;

    private LocalRegistry(Variant variant, Path directory, int port, Process process, CapturedOutput stdout,
            CapturedOutput stderr, CertificateAuthority authority, Path caFile, String password, TokenServer tokenServer,
            CertificateAuthority clientAuthority, IssuedCertificate clientCertificate) {
        this.variant = variant;
        this.directory = directory;
        this.port = port;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.authority = authority;
        this.caFile = caFile;
        this.password = password;
        this.tokenServer = tokenServer;
        this.clientAuthority = clientAuthority;
        this.clientCertificate = clientCertificate;
        this.harnessClient = Tls.client(clientTls());
    }

    /** Starts a registry and returns once it answers {@code GET /v2/}; throws with its log if it does not. */
    public static LocalRegistry start(Variant variant, Path workDir) {
        return start(variant, workDir, DEFAULT_BINARY);
    }

    static LocalRegistry start(Variant variant, Path workDir, Path binary) {
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(binary + " is missing: " + MISSING_BINARY);
        }
        Path directory;
        try {
            directory = Files.createTempDirectory(workDir, "registry-" + variant.name().toLowerCase(Locale.ROOT) + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the registry directory under " + workDir, e);
        }
        Setup setup = Setup.write(variant, directory);
        try {
            IllegalStateException lastClash = null;
            for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
                int port = freePort();
                Path config = setup.writeConfig(port);
                LocalRegistry registry = launch(variant, directory, port, binary, config, setup);
                try {
                    registry.awaitReady();
                    return registry;
                } catch (PortClash clash) {
                    // Another process took the port between our probe and the registry's bind: try another.
                    registry.stopProcess();
                    lastClash = new IllegalStateException(clash.getMessage());
                } catch (RuntimeException | Error e) {
                    registry.close();
                    throw e;
                }
            }
            throw lastClash;
        } catch (RuntimeException | Error e) {
            setup.close();
            throw e;
        }
    }

    private static LocalRegistry launch(Variant variant, Path directory, int port, Path binary, Path config, Setup setup) {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", WATCHDOG, binary.toString(), config.toString())
                .directory(directory.toFile());
        // REGISTRY_* variables override the config file; an inherited one would silently change the set-up.
        builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_"));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        ProcessReaper.register(process);
        CapturedOutput out = new CapturedOutput("registry-" + port + "-stdout", process.getInputStream());
        CapturedOutput err = new CapturedOutput("registry-" + port + "-stderr", process.getErrorStream());
        return new LocalRegistry(variant, directory, port, process, out, err, setup.authority, setup.caFile,
                setup.password, setup.tokenServer, setup.clientAuthority, setup.clientCertificate);
    }

    private static final class PortClash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PortClash(String message) {
            super(message);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        String listening = "listening on 127.0.0.1:" + port;
        if (!stderr.awaitLine(line -> line.contains(listening), STARTUP_TIMEOUT)) {
            throw startupFailure("it never logged \"" + listening + "\"");
        }
        // "listening" is logged just before Serve(); probe until the HTTP layer really answers.
        while (true) {
            try {
                HttpResponse<Void> response = harnessClient.send(
                        harnessRequest("/v2/").timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                int status = response.statusCode();
                if (status == 200 || status == 401) {
                    break;
                }
                throw startupFailure("GET /v2/ answered " + status);
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw startupFailure("GET /v2/ failed: " + e);
                }
                // Connection refused comes back at once; a short pause keeps this from spinning a core.
                LockSupport.parkNanos(10_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw startupFailure("interrupted");
            }
        }
        clearLog();
    }

    private RuntimeException startupFailure(String why) {
        try {
            // Its output can end a moment before the JDK notices the exit; the status belongs in the message.
            process.waitFor(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String log = log();
        if (log.contains("address already in use")) {
            return new PortClash("port " + port + " was taken: " + log);
        }
        return new IllegalStateException("the " + variant + " registry on port " + port + " did not start: " + why
                + (process.isAlive() ? "" : " (it exited with " + exitValue() + ")") + "\n--- registry log ---\n" + log);
    }

    private String exitValue() {
        try {
            return Integer.toString(process.exitValue());
        } catch (IllegalThreadStateException e) {
            return "?";
        }
    }

    public Variant variant() {
        return variant;
    }

    /** {@code 127.0.0.1:PORT}, the registry part of an image reference. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT} or {@code https://127.0.0.1:PORT}, without a trailing slash. */
    public URI base() {
        return URI.create((variant.tls() ? "https://" : "http://") + host());
    }

    public String username() {
        requireAuthenticated();
        return USERNAME;
    }

    public String password() {
        requireAuthenticated();
        return password;
    }

    /** The PEM file of the CA that issued the registry's (and the token server's) certificate. */
    public Path caCertificate() {
        requireTls();
        return caFile;
    }

    public String caPem() {
        requireTls();
        return Pem.encode(authority.certificate());
    }

    public X509Certificate ca() {
        requireTls();
        return authority.certificate();
    }

    /**
     * A TLS client context trusting only this registry's CA, and for {@link Variant#MTLS} presenting
     * {@link #clientCertificate()}; {@code null} for {@link Variant#PLAIN}.
     */
    public SSLContext clientTls() {
        if (authority == null) {
            return null;
        }
        return clientCertificate == null ? Tls.trusting(authority.certificate())
                : Tls.presenting(clientCertificate, authority.certificate());
    }

    /**
     * A new serving certificate for localhost and 127.0.0.1 from this registry's CA, for servers that
     * stand in for its companions (blob storage, say): a client trusting the registry trusts them too.
     */
    public IssuedCertificate issueServingCertificate() {
        requireTls();
        return authority.issue(Setup.servingSpec());
    }

    /**
     * The CA an {@link Variant#MTLS} registry accepts client certificates from (its {@code http.tls.clientcas}),
     * separate from the CA of its serving certificate. Issue more with {@link ClientCertificates}.
     */
    public CertificateAuthority clientAuthority() {
        requireClientCertificates();
        return clientAuthority;
    }

    /** The client certificate (clientAuth) the harness itself presents to an {@link Variant#MTLS} registry. */
    public IssuedCertificate clientCertificate() {
        requireClientCertificates();
        return clientCertificate;
    }

    /** A fresh HTTP/1.1 client that trusts this registry and follows no redirects. */
    public HttpClient newHttpClient() {
        return Tls.client(clientTls());
    }

    /** The token server of a {@link Variant#TOKEN} registry. */
    public TokenServer tokenServer() {
        if (tokenServer == null) {
            throw new IllegalStateException("only a TOKEN registry has a token server, this one is " + variant);
        }
        return tokenServer;
    }

    /** Where the registry stores blobs and manifests. */
    public Path storage() {
        return directory.resolve("data");
    }

    /**
     * The requests the registry logged since start or the last {@link #clearLog()}, in order.
     *
     * <p>The registry writes a log line after each response, through a pipe we read on another thread,
     * so a line can lag behind the response a test already holds. Before answering, this sends a marker
     * request and waits until its line arrives: lines of requests that completed earlier are then in.
     */
    public List<LoggedRequest> requests() {
        syncLog();
        return AccessLog.parseAll(stdout.linesFrom(logStart)).stream()
                .filter(entry -> !entry.userAgent().equals(HARNESS_AGENT))
                .map(AccessLog.Entry::request)
                .collect(Collectors.toUnmodifiableList());
    }

    /** The User-Agent of each request {@link #requests()} lists, in the same order, as the registry logged it. */
    public List<String> userAgents() {
        syncLog();
        return AccessLog.parseAll(stdout.linesFrom(logStart)).stream()
                .map(AccessLog.Entry::userAgent)
                .filter(agent -> !agent.equals(HARNESS_AGENT))
                .collect(Collectors.toUnmodifiableList());
    }

    /** The protocol of each request {@link #requests()} lists ({@code HTTP/1.1}, {@code HTTP/2.0}), in the same order. */
    public List<String> protocols() {
        syncLog();
        return AccessLog.parseAll(stdout.linesFrom(logStart)).stream()
                .filter(entry -> !entry.userAgent().equals(HARNESS_AGENT))
                .map(AccessLog.Entry::protocol)
                .collect(Collectors.toUnmodifiableList());
    }

    /** How many logged requests have this method and a path matching the whole regular expression. */
    public long count(String method, String pathRegex) {
        Pattern path = Pattern.compile(pathRegex);
        return requests().stream()
                .filter(r -> r.method().equals(method) && path.matcher(r.path()).matches())
                .count();
    }

    /** Forgets every request logged so far, including lines still on their way through the pipe. */
    public void clearLog() {
        syncLog();
        logStart = stdout.size();
    }

    /** Everything the registry printed, stdout (access log) first, then stderr (its own log). */
    public String log() {
        return String.join("\n", stdout.lines()) + "\n" + String.join("\n", stderr.lines());
    }

    private void syncLog() {
        String marker = "/_harness/log-sync/" + UUID.randomUUID();
        try {
            // Not a registry route: answered 404 without authentication, but logged like any request.
            harnessClient.send(harnessRequest(marker).timeout(LOG_SYNC_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new IllegalStateException("the registry did not answer the log marker request; log:\n" + log(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while syncing the registry log", e);
        }
        if (!stdout.awaitLine(line -> line.contains(marker), LOG_SYNC_TIMEOUT)) {
            throw new IllegalStateException("the registry did not log the marker request " + marker + "; log:\n" + log());
        }
    }

    private HttpRequest.Builder harnessRequest(String path) {
        return HttpRequest.newBuilder(base().resolve(path)).header("User-Agent", HARNESS_AGENT).GET();
    }

    private void requireAuthenticated() {
        if (!variant.authenticated()) {
            throw new IllegalStateException("a " + variant + " registry has no user; use BASIC or TOKEN");
        }
    }

    private void requireTls() {
        if (!variant.tls()) {
            throw new IllegalStateException("a PLAIN registry has no CA; use TLS, BASIC, TOKEN or MTLS");
        }
    }

    private void requireClientCertificates() {
        if (!variant.clientCertificates()) {
            throw new IllegalStateException("a " + variant + " registry takes no client certificates; use MTLS");
        }
    }

    /** The wrapper shell and the registry under it, as they are now: for tests that check cleanup. */
    List<ProcessHandle> processes() {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(process.toHandle());
        process.descendants().forEach(all::add);
        return all;
    }

    /** Stops the registry (and its token server); safe to call twice. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stopProcess();
        } finally {
            if (tokenServer != null) {
                tokenServer.close();
            }
        }
    }

    private void stopProcess() {
        // Taken before the shell exits: afterwards its children are re-parented and out of sight.
        List<ProcessHandle> tree = processes();
        try {
            // Closing stdin is the watchdog's cue: it kills the registry and the shell exits with it.
            process.getOutputStream().close();
        } catch (IOException e) {
            // Already closed: the forcible path below still runs.
        }
        try {
            for (ProcessHandle handle : tree) {
                try {
                    handle.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    handle.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            tree.forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        } finally {
            ProcessReaper.unregister(process);
        }
        stdout.awaitEnd(STOP_TIMEOUT);
        stderr.awaitEnd(STOP_TIMEOUT);
    }

    @Override
    public String toString() {
        return "LocalRegistry[" + variant + " " + base() + "]";
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    /** The files and companions of one registry that do not depend on its port. */
    private static final class Setup implements AutoCloseable {
        private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

        final Variant variant;
        final Path directory;
        final CertificateAuthority authority;
        final Path caFile;
        final String password;
        final TokenServer tokenServer;
        final CertificateAuthority clientAuthority;
        final IssuedCertificate clientCertificate;

        private Setup(Variant variant, Path directory, CertificateAuthority authority, Path caFile, String password,
                TokenServer tokenServer, CertificateAuthority clientAuthority, IssuedCertificate clientCertificate) {
            this.variant = variant;
            this.directory = directory;
            this.authority = authority;
            this.caFile = caFile;
            this.password = password;
            this.tokenServer = tokenServer;
            this.clientAuthority = clientAuthority;
            this.clientCertificate = clientCertificate;
        }

        static Setup write(Variant variant, Path directory) {
            try {
                Files.createDirectories(directory.resolve("data"));
                CertificateAuthority authority = null;
                Path caFile = null;
                if (variant.tls()) {
                    authority = CertificateAuthority.generate("local registry CA", Duration.ofDays(1));
                    IssuedCertificate serving = authority.issue(servingSpec());
                    Files.writeString(directory.resolve("tls.crt"), serving.chainPem());
                    Files.writeString(directory.resolve("tls.key"), serving.privateKeyPem());
                    caFile = directory.resolve("ca.crt");
                    Files.writeString(caFile, Pem.encode(authority.certificate()));
                }
                String password = variant.authenticated() ? newPassword() : null;
                if (variant == Variant.BASIC) {
                    Files.writeString(directory.resolve("htpasswd"), htpasswdLine(USERNAME, password));
                }
                TokenServer tokens = null;
                if (variant == Variant.TOKEN) {
                    // Same CA as the registry: a client configured with one CA file reaches both.
                    tokens = TokenServer.start(TOKEN_SERVICE, TOKEN_ISSUER, USERNAME, password,
                            authority.issue(servingSpec()));
                    Files.writeString(directory.resolve("token-signing-ca.crt"), tokens.signingAuthorityPem());
                }
                CertificateAuthority clientAuthority = null;
                IssuedCertificate clientCertificate = null;
                if (variant.clientCertificates()) {
                    // A CA of its own: trusting the serving CA must not be what admits a client.
                    clientAuthority = CertificateAuthority.generate("local registry client CA", Duration.ofDays(1));
                    Files.writeString(directory.resolve("client-ca.crt"), Pem.encode(clientAuthority.certificate()));
                    clientCertificate = ClientCertificates.issue(clientAuthority, HARNESS_AGENT, Duration.ofDays(1));
                }
                return new Setup(variant, directory, authority, caFile, password, tokens, clientAuthority, clientCertificate);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the registry files into " + directory, e);
            }
        }

        static ServingCertSpec servingSpec() {
            return new ServingCertSpec(List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1));
        }

        /**
         * bcrypt as distribution's htpasswd reader wants it (Go's x/crypto/bcrypt takes $2a$, $2b$ and
         * $2y$). Cost 4 is the minimum both sides allow: the registry checks it on every request.
         */
        static String htpasswdLine(String user, String password) {
            byte[] salt = new byte[16];
            RANDOM.nextBytes(salt);
            return user + ":" + OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 4) + "\n";
        }

        private static String newPassword() {
            byte[] bytes = new byte[18];
            RANDOM.nextBytes(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }

        /**
         * Only the features a test needs, and nothing that reaches out: no notifications, no proxy
         * (pull-through cache), no redis, no reporting, no debug server, no health checks.
         */
        Path writeConfig(int port) {
            Map<String, Object> log = new LinkedHashMap<>();
            log.put("level", "info");
            log.put("formatter", "text");
            log.put("accesslog", Map.of("disabled", false));
            log.put("fields", Map.of("service", "local-registry"));

            Map<String, Object> storage = new LinkedHashMap<>();
            storage.put("filesystem", Map.of("rootdirectory", directory.resolve("data").toString()));
            storage.put("delete", Map.of("enabled", true));
            // The purger would only log and scan; tests finish long before its first run anyway.
            storage.put("maintenance", Map.of("uploadpurging", Map.of("enabled", false)));

            Map<String, Object> http = new LinkedHashMap<>();
            http.put("addr", "127.0.0.1:" + port);
            // A fixed secret avoids the "generated random secret" warning; it signs upload state only.
            http.put("secret", "local-registry-" + port);
            if (variant.tls()) {
                Map<String, Object> tls = new LinkedHashMap<>();
                tls.put("certificate", directory.resolve("tls.crt").toString());
                tls.put("key", directory.resolve("tls.key").toString());
                if (variant.clientCertificates()) {
                    // Distribution then requires and verifies a client certificate (Go's RequireAndVerifyClientCert).
                    tls.put("clientcas", List.of(directory.resolve("client-ca.crt").toString()));
                }
                http.put("tls", tls);
            }

            Map<String, Object> config = new LinkedHashMap<>();
            config.put("version", "0.1");
            config.put("log", log);
            config.put("storage", storage);
            config.put("http", http);
            if (variant == Variant.BASIC) {
                config.put("auth", Map.of("htpasswd", Map.of(
                        "realm", "local-registry",
                        "path", directory.resolve("htpasswd").toString())));
            } else if (variant == Variant.TOKEN) {
                config.put("auth", Map.of("token", Map.of(
                        "realm", tokenServer.realm().toString(),
                        "service", TOKEN_SERVICE,
                        "issuer", TOKEN_ISSUER,
                        "rootcertbundle", directory.resolve("token-signing-ca.crt").toString())));
            }
            Path file = directory.resolve("config.yml");
            try {
                Files.write(file, YAML.writeValueAsBytes(config));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
            return file;
        }

        @Override
        public void close() {
            if (tokenServer != null) {
                tokenServer.close();
            }
        }
    }
}
