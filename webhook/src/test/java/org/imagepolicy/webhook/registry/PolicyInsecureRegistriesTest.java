package org.imagepolicy.webhook.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imagepolicy.webhook.registry.RegistryFixture.resolve;

import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.metrics.RegistryMetrics;
import org.imagepolicy.webhook.registry.credentials.CredentialSource;
import org.imagepolicy.webhook.registry.testing.ImagePusher;
import org.imagepolicy.webhook.registry.testing.LocalRegistry;
import org.imagepolicy.webhook.registry.testing.PushedImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Insecure registries a policy names, against Debian's docker-registry on loopback: they follow each reload in
 * both directions (a registry taken off the list is verified again, even where a connection made without
 * verification is still open), and wildcards cover subdomains by the registry's identity.
 */
@Execution(ExecutionMode.SAME_THREAD)
class PolicyInsecureRegistriesTest {
    static final Duration BUDGET = Duration.ofSeconds(5);
    @TempDir
    static Path dir;
    static Vertx vertx;
    static LocalRegistry plain;
    static LocalRegistry tls;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        plain = LocalRegistry.start(LocalRegistry.Variant.PLAIN, dir);
        tls = LocalRegistry.start(LocalRegistry.Variant.TLS, dir);
    }

    @AfterAll
    static void stop() {
        plain.close();
        tls.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private static RegistrySettings settings(Set<String> allowedAddresses) {
        return RegistryFixture.settings(Set.of(), null, allowedAddresses, Duration.ofSeconds(60), Duration.ofMinutes(10),
                CredentialSource.anonymous());
    }

    private static String failure(Resolution r) {
        assertThat(r).as("resolution").isInstanceOf(Resolution.Failed.class);
        return ((Resolution.Failed) r).reason();
    }

    private static String digest(Resolution r) {
        assertThat(r).as("resolution").isInstanceOf(Resolution.Resolved.class);
        return ((Resolution.Resolved) r).metadata().digest();
    }

    /** Names under lab.test resolve to loopback, as a lab's DNS would send them to its registry. */
    private static InetAddress[] labDns(String host) throws UnknownHostException {
        if (host.endsWith(".lab.test")) {
            return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
        }
        return InetAddress.getAllByName(host);
    }

    @Test
    void aTlsRegistryIsVerifiedAgainOnceThePolicyNoLongerNamesIt() throws Exception {
        PushedImage image = ImagePusher.to(tls).ociImage("reload/app").tag("1").push();
        // The registry's certificate is from a CA nobody trusts; its address is allowed, so only TLS decides.
        RegistryResolver resolver = RegistryResolver.create(vertx, settings(Set.of(tls.host())), new RegistryMetrics(), BUDGET);
        String ref = tls.host() + "/reload/app:1";
        assertThat(failure(resolve(resolver, ref, BUDGET))).contains("TLS with https://" + tls.host() + " failed");

        resolver.policyInsecureRegistries(List.of(tls.host()));
        assertThat(digest(resolve(resolver, ref, BUDGET))).as("the refused handshake is not remembered").isEqualTo(image.digest());

        resolver.policyInsecureRegistries(List.of());
        assertThat(failure(resolve(resolver, ref, BUDGET))).as("nor the answer read without verification, nor its connection")
                .contains("TLS with https://" + tls.host() + " failed");
    }

    @Test
    void aPlainHttpRegistryIsNoLongerAskedOverHttpOnceThePolicyDropsIt() throws Exception {
        PushedImage image = ImagePusher.to(plain).ociImage("reload/plain").tag("1").push();
        RegistryResolver resolver = RegistryResolver.create(vertx, settings(Set.of()), new RegistryMetrics(), BUDGET);
        String ref = plain.host() + "/reload/plain:1";
        resolver.policyInsecureRegistries(List.of(plain.host()));
        assertThat(digest(resolve(resolver, ref, BUDGET))).as("named one by one: insecure, and let past the address guard")
                .isEqualTo(image.digest());

        resolver.policyInsecureRegistries(List.of("registry.lab.example.net:5000"));
        plain.clearLog();
        assertThat(failure(resolve(resolver, ref, BUDGET))).contains("refusing to contact 127.0.0.1");
        assertThat(plain.requests()).as("nothing reached the registry over plain HTTP").isEmpty();
    }

    @Test
    void wildcardEntriesCoverSubdomainsOnThePortTheyNameButVouchForNoAddress() throws Exception {
        PushedImage image = ImagePusher.to(plain).ociImage("wild/app").tag("1").push();
        String registry = "mirror.lab.test:" + plain.port();
        String ref = registry + "/wild/app:1";
        RegistryResolver resolver = RegistryResolver.create(vertx, settings(Set.of(registry)), new RegistryMetrics(), BUDGET,
                CacheBudget.ofThisJvm(), PolicyInsecureRegistriesTest::labDns);
        assertThat(failure(resolve(resolver, ref, BUDGET))).as("not insecure: TLS, which a plain registry does not speak")
                .contains("TLS with https://" + registry + " failed");

        resolver.policyInsecureRegistries(List.of("*.lab.test:" + plain.port()));
        assertThat(digest(resolve(resolver, ref, BUDGET))).isEqualTo(image.digest());

        resolver.policyInsecureRegistries(List.of("*.test:" + plain.port()));
        assertThat(digest(resolve(resolver, ref, BUDGET))).as("one or more whole labels").isEqualTo(image.digest());

        for (String other : List.of("*.lab.test", "lab.test:" + plain.port(), "*.mirror.lab.test:" + plain.port())) {
            resolver.policyInsecureRegistries(List.of(other));
            assertThat(failure(resolve(resolver, ref, BUDGET))).as(other).contains("TLS with https://" + registry + " failed");
        }

        RegistryResolver unvouched = RegistryResolver.create(vertx, settings(Set.of()), new RegistryMetrics(), BUDGET,
                CacheBudget.ofThisJvm(), PolicyInsecureRegistriesTest::labDns);
        unvouched.policyInsecureRegistries(List.of("*.lab.test:" + plain.port()));
        assertThat(failure(resolve(unvouched, ref, BUDGET))).as("a wildcard lets no name reach an internal address")
                .contains("refusing to contact mirror.lab.test");
        unvouched.policyInsecureRegistries(List.of(registry));
        assertThat(digest(resolve(unvouched, ref, BUDGET))).as("the registry named one by one").isEqualTo(image.digest());
    }

    private static com.fasterxml.jackson.databind.JsonNode validate(org.imagepolicy.webhook.testing.RunningServer server, String image)
            throws Exception {
        String review = java.nio.file.Files.readString(org.imagepolicy.webhook.testing.Golden.DIR.resolve("pod-from-quay-denied/request.json"))
                .replace("quay.io/org/app:1", image);
        var r = server.post(server.client(java.net.http.HttpClient.Version.HTTP_2), "/validate", "application/json",
                java.net.http.HttpRequest.BodyPublishers.ofString(review));
        assertThat(r.statusCode()).isEqualTo(200);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("response");
    }

    private static String registriesConf(boolean insecure) {
        return "unqualified-search-registries = [\"registry.access.redhat.com\"]\n\n[[registry]]\nlocation = \"" + plain.host()
                + "\"\ninsecure = " + insecure + "\n";
    }

    @Test
    void serveFollowsTheInsecureRegistriesOfARegistriesConfInThePolicyDirectoryAcrossReloads() throws Exception {
        ImagePusher.to(plain).ociImage("serve/app").tag("1").label("com.example.approved", "true").push();
        Path policyDir = java.nio.file.Files.createDirectories(dir.resolve("serve-policy"));
        java.nio.file.Files.writeString(policyDir.resolve("approved.yaml"), """
                apiVersion: image.openshift.io/v1
                kind: ImagePolicyConfig
                executionRules:
                - name: approved-images
                  onResources: [{resource: pods}]
                  matchDockerImageLabels: [{key: com.example.approved, value: "true"}]
                """);
        Path conf = policyDir.resolve("registries.conf");
        java.nio.file.Files.writeString(conf, registriesConf(true));
        Path serverDir = java.nio.file.Files.createDirectories(dir.resolve("serve"));
        var settings = new org.imagepolicy.webhook.server.ServerSettings(List.of(policyDir), false, "127.0.0.1", 0, 0, null, null,
                serverDir.resolve("certs"), false, List.of(), Set.of(), Duration.ofMillis(100), Duration.ZERO, Duration.ofSeconds(10), 1,
                Duration.ofMillis(2500), settings(Set.of()), CacheBudget.ofThisJvm(), Duration.ZERO);
        var server = org.imagepolicy.webhook.testing.RunningServer.wrap(new org.imagepolicy.webhook.server.WebhookServer(settings), policyDir,
                serverDir.resolve("certs/ca.crt"));
        try {
            String image = plain.host() + "/serve/app:1";
            assertThat(validate(server, image).path("allowed").asBoolean()).as("insecure in registries.conf: read over HTTP").isTrue();

            java.nio.file.Files.writeString(conf, registriesConf(false));
            org.imagepolicy.webhook.testing.Await.until("the reload to take the registry off the insecure list", Duration.ofSeconds(20),
                    () -> check(() -> !validate(server, image).path("allowed").asBoolean()));
            assertThat(validate(server, image).path("status").path("message").asText()).contains("refusing to contact 127.0.0.1");

            java.nio.file.Files.writeString(conf, registriesConf(true));
            org.imagepolicy.webhook.testing.Await.until("the reload to put it back", Duration.ofSeconds(20),
                    () -> check(() -> validate(server, image).path("allowed").asBoolean()));
        } finally {
            server.close();
        }
    }

    private interface Check {
        boolean test() throws Exception;
    }

    private static boolean check(Check c) {
        try {
            return c.test();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
