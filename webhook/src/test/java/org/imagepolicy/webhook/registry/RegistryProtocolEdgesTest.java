package org.imagepolicy.webhook.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.imagepolicy.webhook.registry.RegistryFixture.resolve;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.metrics.RegistryMetrics;
import org.imagepolicy.webhook.registry.credentials.CredentialSource;
import org.imagepolicy.webhook.registry.testing.FaultProxy;
import org.imagepolicy.webhook.registry.testing.ImagePusher;
import org.imagepolicy.webhook.registry.testing.LocalRegistry;
import org.imagepolicy.webhook.testing.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Protocol corners the real registry never shows: a missing digest header, sha512, and the connection limit. */
class RegistryProtocolEdgesTest {
    @TempDir
    static Path dir;
    static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    static String sha256(byte[] b) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void aNewTagIsReadWithOneGetAndAKnownOneRefreshedWithHeadOrGetWhenHeadNamesNoDigest() throws Exception {
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{\"tier\":\"gold\"}}}".getBytes(StandardCharsets.UTF_8);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + sha256(config) + "\",\"size\":" + config.length + "},"
                + "\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
        AtomicInteger heads = new AtomicInteger();
        AtomicInteger getsByTag = new AtomicInteger();
        AtomicInteger getsByDigest = new AtomicInteger();
        AtomicInteger blobs = new AtomicInteger();
        HttpServer minimal = vertx.createHttpServer().requestHandler(req -> {
            String path = req.path();
            boolean head = req.method().name().equals("HEAD");
            if (path.endsWith("/manifests/1") || path.endsWith("/manifests/" + sha256Unchecked(manifest))) {
                (head ? heads : path.endsWith("/manifests/1") ? getsByTag : getsByDigest).incrementAndGet();
                // No Docker-Content-Digest: the digest is the hash of the bytes, which HEAD does not carry.
                req.response().putHeader("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                        .end(head ? Buffer.buffer() : Buffer.buffer(manifest));
            } else if (path.endsWith("/blobs/" + sha256Unchecked(config))) {
                blobs.incrementAndGet();
                req.response().end(Buffer.buffer(config));
            } else {
                req.response().setStatusCode(404).end();
            }
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
        String host = "127.0.0.1:" + minimal.actualPort();
        RegistryResolver resolver = RegistryResolver.create(vertx, RegistryFixture.settings(Set.of(host), null, Set.of(host),
                Duration.ofMillis(300), Duration.ofMinutes(10), CredentialSource.anonymous()), new RegistryMetrics(), Duration.ofSeconds(5));

        Resolution.Resolved r = (Resolution.Resolved) resolve(resolver, host + "/plain/app:1", Duration.ofSeconds(5));
        assertThat(r.metadata().digest()).isEqualTo(sha256(manifest));
        assertThat(r.metadata().labels()).containsEntry("tier", "gold");
        assertThat(List.of(heads.get(), getsByTag.get(), getsByDigest.get(), blobs.get()))
                .as("a tag never seen: its manifest by tag (the digest computed from it), then the config").containsExactly(0, 1, 0, 1);

        Await.holdsFor("the tag's time to live passing", Duration.ofMillis(400), () -> true);
        Resolution.Resolved again = (Resolution.Resolved) resolve(resolver, host + "/plain/app:1", Duration.ofSeconds(5));
        assertThat(again.metadata().digest()).isEqualTo(sha256(manifest));
        assertThat(List.of(heads.get(), getsByTag.get(), getsByDigest.get(), blobs.get()))
                .as("a known tag refreshed: HEAD, which named no digest, so GET by tag; the image itself stays cached")
                .containsExactly(1, 2, 0, 1);
        minimal.close();
    }

    static String sha256Unchecked(byte[] b) {
        try {
            return sha256(b);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void sha512AndSha384DigestsAreVerifiedToo() throws Exception {
        byte[] content = "content".getBytes(StandardCharsets.UTF_8);
        String sha512 = "sha512:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(content));
        Digests.verify(sha512, content, "a blob");
        assertThatThrownBy(() -> Digests.verify(sha512, "other".getBytes(StandardCharsets.UTF_8), "a blob"))
                .hasMessageContaining("does not match its digest");
        String sha384 = "sha384:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-384").digest(content));
        Digests.verify(sha384, content, "a blob");
        assertThatThrownBy(() -> Digests.verify("md5:abc", content, "a blob")).hasMessageContaining("unsupported digest algorithm");
    }

    @Test
    void noMoreThanTheConfiguredConnectionsReachOneRegistry() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(LocalRegistry.Variant.PLAIN, dir);
             FaultProxy proxy = FaultProxy.start(registry)) {
            ImagePusher.to(registry).ociImage("limit/app").tag("warm").push();
            RegistrySettings settings = new RegistrySettings(Set.of(proxy.host()), null, Set.of(proxy.host()), "linux/amd64",
                    Duration.ofSeconds(60), Duration.ofSeconds(15), Duration.ofMinutes(10), 3, CredentialSource.anonymous());
            RegistryResolver resolver = RegistryResolver.create(vertx, settings, new RegistryMetrics(), Duration.ofSeconds(20));
            resolve(resolver, proxy.host() + "/limit/app:warm", Duration.ofSeconds(5)); // learns that the proxy speaks plain HTTP
            proxy.mode(FaultProxy.Mode.STALL);
            for (int i = 0; i < 12; i++) {
                resolver.resolve(List.of(RegistryFixture.lookup(proxy.host() + "/limit/app:t" + i)), System.nanoTime() + 20_000_000_000L);
            }
            Await.until("the first requests to reach the stalled registry", Duration.ofSeconds(10), () -> proxy.stalled() >= 3);
            Await.holdsFor("no more than 3 at once", Duration.ofMillis(500), () -> proxy.stalled() <= 3);
            proxy.release();
        }
    }
}
