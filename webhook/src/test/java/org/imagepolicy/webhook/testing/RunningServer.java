package org.imagepolicy.webhook.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.imagepolicy.certs.Pem;
import org.imagepolicy.webhook.server.ServerSettings;
import org.imagepolicy.webhook.server.WebhookServer;

/**
 * A real webhook on loopback: HTTPS with a real certificate on a free port, and clients that trust only
 * the CAs a test names. Policy and certificate files are polled every 100 ms so reload tests are quick.
 */
public final class RunningServer implements AutoCloseable {
    public final WebhookServer server;
    public final Path policy;
    private final SSLContext tls;

    private RunningServer(WebhookServer server, Path policy, SSLContext tls) {
        this.server = server;
        this.policy = policy;
        this.tls = tls;
    }

    /** Starts a server built from settings a test chose, trusting {@code ca}. */
    public static RunningServer wrap(WebhookServer server, Path policy, Path ca) throws Exception {
        server.start();
        return new RunningServer(server, policy, trusting(List.of(ca)));
    }

    /** Starts on a generated certificate kept in {@code dir}. */
    public static RunningServer start(Path dir, String policyText) throws Exception {
        return start(dir, policyText, null, null, List.of(dir.resolve("certs/ca.crt")));
    }

    public static RunningServer start(Path dir, String policyText, Path cert, Path key, List<Path> trustedCas) throws Exception {
        return start(dir, policyText, cert, key, trustedCas, List.of(), Set.of());
    }

    /** Online: registry lookups through the given settings. */
    public static RunningServer startOnline(Path dir, String policyText, org.imagepolicy.webhook.registry.RegistrySettings registry,
            Duration decisionTimeout) throws Exception {
        return startOnline(dir, policyText, registry, decisionTimeout, org.imagepolicy.webhook.server.RequestContext.NONE);
    }

    /** Online, with the cluster's request context, a resolver layer (the image API) and extra integrated registries. */
    public static RunningServer startOnline(Path dir, String policyText, org.imagepolicy.webhook.registry.RegistrySettings registry,
            Duration decisionTimeout, org.imagepolicy.webhook.server.RequestContext context, org.imagepolicy.webhook.server.ResolverLayer layer,
            List<org.imagepolicy.webhook.image.HostPattern> integrated) throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, policyText);
        ServerSettings settings = new ServerSettings(List.of(policy), false, "127.0.0.1", 0, 0, null, null, dir.resolve("certs"),
                false, integrated, Set.of(), Duration.ofMillis(100), Duration.ZERO, Duration.ofSeconds(10), 1, decisionTimeout, registry,
                org.imagepolicy.webhook.registry.CacheBudget.ofThisJvm(), Duration.ZERO);
        WebhookServer server = new WebhookServer(settings, context, layer);
        server.start();
        return new RunningServer(server, policy, trusting(List.of(dir.resolve("certs/ca.crt"))));
    }

    /** Online, with what the cluster says about each request (serve --cluster). */
    public static RunningServer startOnline(Path dir, String policyText, org.imagepolicy.webhook.registry.RegistrySettings registry,
            Duration decisionTimeout, org.imagepolicy.webhook.server.RequestContext context) throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, policyText);
        ServerSettings settings = new ServerSettings(List.of(policy), false, "127.0.0.1", 0, 0, null, null, dir.resolve("certs"),
                false, List.of(), Set.of(), Duration.ofMillis(100), Duration.ZERO, Duration.ofSeconds(10), 1, decisionTimeout, registry,
                org.imagepolicy.webhook.registry.CacheBudget.ofThisJvm(), Duration.ZERO);
        WebhookServer server = new WebhookServer(settings, context);
        server.start();
        return new RunningServer(server, policy, trusting(List.of(dir.resolve("certs/ca.crt"))));
    }

    /** Offline, with {@code serve --shutdown-delay}: close() then drains for that long before it stops. */
    public static RunningServer startWithShutdownDelay(Path dir, String policyText, Duration shutdownDelay) throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, policyText);
        ServerSettings settings = new ServerSettings(List.of(policy), false, "127.0.0.1", 0, 0, null, null, dir.resolve("certs"),
                true, List.of(), Set.of(), Duration.ofMillis(100), shutdownDelay, Duration.ofSeconds(10), 2, Duration.ofMillis(2500), null,
                org.imagepolicy.webhook.registry.CacheBudget.ofThisJvm(), Duration.ZERO);
        WebhookServer server = new WebhookServer(settings);
        server.start();
        return new RunningServer(server, policy, trusting(List.of(dir.resolve("certs/ca.crt"))));
    }

    /** With {@code serve --integrated-registry} and {@code --exempt-namespace} values. */
    public static RunningServer start(Path dir, String policyText, Path cert, Path key, List<Path> trustedCas,
            List<org.imagepolicy.webhook.image.HostPattern> integrated, Set<String> exempt) throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, policyText);
        ServerSettings settings = new ServerSettings(List.of(policy), false, "127.0.0.1", 0, 0, cert, key, dir.resolve("certs"),
                true, integrated, exempt, Duration.ofMillis(100), Duration.ZERO, Duration.ofSeconds(10), 1, Duration.ofMillis(2500), null,
                org.imagepolicy.webhook.registry.CacheBudget.ofThisJvm(), Duration.ZERO);
        WebhookServer server = new WebhookServer(settings);
        server.start();
        return new RunningServer(server, policy, trusting(trustedCas));
    }

    public static SSLContext trusting(List<Path> cas) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (Path ca : cas) {
            for (X509Certificate c : Pem.readCertificates(Files.readString(ca))) {
                store.setCertificateEntry("ca" + i++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    public SSLContext tls() {
        return tls;
    }

    public HttpClient client(HttpClient.Version version) {
        return HttpClient.newBuilder().sslContext(tls).version(version).connectTimeout(Duration.ofSeconds(20)).build();
    }

    public URI uri(String path) {
        return URI.create("https://localhost:" + server.port() + path);
    }

    public HttpResponse<String> post(HttpClient client, String path, String contentType, HttpRequest.BodyPublisher body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).POST(body);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> validate(HttpClient client, byte[] review) throws IOException, InterruptedException {
        return post(client, "/validate", "application/json", HttpRequest.BodyPublishers.ofByteArray(review));
    }

    public HttpResponse<String> health(String path) throws IOException, InterruptedException {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.healthPort() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public static InputStream stream(byte[] data) {
        return new java.io.ByteArrayInputStream(data);
    }

    @Override
    public void close() {
        server.close();
    }
}
