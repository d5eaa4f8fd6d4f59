package org.imagepolicy.webhook.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imagepolicy.webhook.registry.RegistryFixture.resolve;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import org.imagepolicy.certs.CertificateAuthority;
import org.imagepolicy.certs.IssuedCertificate;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.metrics.RegistryMetrics;
import org.imagepolicy.webhook.registry.credentials.CredentialSource;
import org.imagepolicy.webhook.registry.testing.ClientCertificates;
import org.imagepolicy.webhook.registry.testing.ImagePusher;
import org.imagepolicy.webhook.registry.testing.LocalRegistry;
import org.imagepolicy.webhook.registry.testing.LocalRegistry.Variant;
import org.imagepolicy.webhook.registry.testing.PushedImage;
import org.imagepolicy.webhook.testing.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A registry that requires a client certificate (distribution's {@code http.tls.clientcas}): the webhook
 * presents the {@code .cert}/{@code .key} pair of the registry's certs.d directory, and without one the
 * lookup fails with a TLS reason that carries no key material.
 */
@Execution(ExecutionMode.SAME_THREAD)
class RegistryClientCertificateTest {
    static final Duration BUDGET = Duration.ofSeconds(5);
    @TempDir
    static Path dir;
    static Vertx vertx;
    static LocalRegistry registry;
    static PushedImage image;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        registry = LocalRegistry.start(Variant.MTLS, dir);
        image = ImagePusher.to(registry).ociImage("mtls/app").tag("1").label("tier", "gold").push();
    }

    @AfterAll
    static void stop() {
        registry.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** certs.d with the registry's CA, and the client pair when given; the registry is named by it. */
    static RegistryResolver resolver(String name, IssuedCertificate client) throws Exception {
        Path certsD = Files.createDirectories(dir.resolve("certs.d-" + name));
        Path own = Files.createDirectories(certsD.resolve(registry.host()));
        Files.writeString(own.resolve("ca.crt"), registry.caPem());
        if (client != null) {
            Files.writeString(own.resolve("client.cert"), client.certificatePem());
            Files.writeString(own.resolve("client.key"), client.privateKeyPem());
        }
        RegistrySettings settings = RegistryFixture.settings(Set.of(), certsD, Set.of(), Duration.ofSeconds(60), Duration.ofMinutes(10),
                CredentialSource.anonymous());
        return RegistryResolver.create(vertx, settings, new RegistryMetrics(), Duration.ofSeconds(5));
    }

    String app() {
        return registry.host() + "/mtls/app:1";
    }

    static String failure(Resolution r) {
        assertThat(r).isInstanceOf(Resolution.Failed.class);
        return ((Resolution.Failed) r).reason();
    }

    /** Neither the PEM nor any line of the key's base64 body, nor its encoded bytes, may appear. */
    static void assertNoKeyMaterial(String reason, IssuedCertificate client) {
        assertThat(reason).doesNotContain("PRIVATE KEY");
        if (client != null) {
            for (String line : client.privateKeyPem().split("\n")) {
                if (!line.startsWith("-----") && line.length() >= 16) {
                    assertThat(reason).doesNotContain(line);
                }
            }
            assertThat(reason).doesNotContain(Base64.getEncoder().encodeToString(client.privateKey().getEncoded()));
        }
    }

    @Test
    void theClientCertificateFromCertsDIsPresentedAndTheImageResolves() throws Exception {
        IssuedCertificate client = ClientCertificates.issue(registry.clientAuthority(), "image-policy-webhook", Duration.ofHours(1));
        registry.clearLog();

        Resolution r = resolve(resolver("with-pair", client), app(), BUDGET);

        assertThat(r).as("resolution").isInstanceOf(Resolution.Resolved.class);
        Resolution.Resolved resolved = (Resolution.Resolved) r;
        assertThat(resolved.metadata().digest()).isEqualTo(image.digest());
        assertThat(resolved.metadata().labels()).containsEntry("tier", "gold");
        // The registry served the lookups itself: the handshake with the client certificate succeeded.
        assertThat(registry.count("GET", "/v2/mtls/app/manifests/1")).isEqualTo(1);
        assertThat(registry.count("GET", "/v2/mtls/app/blobs/" + image.configDigest())).isEqualTo(1);
    }

    @Test
    void withoutAClientCertificateTheLookupFailsWithATlsReason() throws Exception {
        registry.clearLog();

        String reason = failure(resolve(resolver("ca-only", null), app(), BUDGET));

        assertThat(reason).startsWith("TLS with https://" + registry.host() + " failed");
        assertNoKeyMaterial(reason, null);
        // It was the missing certificate the registry refused, and no request got past the handshake.
        Await.until("the registry to log the refused handshake", Duration.ofSeconds(5),
                () -> registry.log().contains("client didn't provide a certificate"));
        assertThat(registry.requests()).isEmpty();
    }

    @Test
    void aClientCertificateFromAnotherCaIsRefusedAndItsKeyNeverAppearsInTheReason() throws Exception {
        CertificateAuthority stranger = CertificateAuthority.generate("not the registry's client CA", Duration.ofHours(1));
        IssuedCertificate client = ClientCertificates.issue(stranger, "image-policy-webhook", Duration.ofHours(1));
        registry.clearLog();

        String reason = failure(resolve(resolver("stranger-pair", client), app(), BUDGET));

        assertThat(reason).startsWith("TLS with https://" + registry.host() + " failed");
        assertNoKeyMaterial(reason, client);
        assertThat(registry.requests()).isEmpty();
    }
}
