package org.imagepolicy.webhook.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imagepolicy.webhook.registry.RegistryFixture.resolve;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.metrics.RegistryMetrics;
import org.imagepolicy.webhook.registry.testing.ImagePusher;
import org.imagepolicy.webhook.registry.testing.LocalRegistry;
import org.imagepolicy.webhook.registry.testing.LocalRegistry.Variant;
import org.imagepolicy.webhook.registry.testing.PushedImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * One registry is one cache entry and one credential lookup however its name is spelled: the real
 * registry on loopback sees one tag lookup for five spellings of its address, and a credential written
 * under yet another spelling opens it.
 */
@Execution(ExecutionMode.SAME_THREAD)
class RegistryIdentityTest {
    static final Duration BUDGET = Duration.ofSeconds(30); // generous: bcrypt on a busy machine; this tests identity, not speed
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

    static List<String> spellings(LocalRegistry registry) {
        int port = registry.port();
        return List.of("127.0.0.1:" + port, "127.0.0.1:0" + port, "[::ffff:7f00:1]:" + port, "0x7f.0.0.1:" + port, "127.1:" + port,
                "2130706433:" + port);
    }

    @Test
    void fiveSpellingsOfOneAddressAreOneCacheEntry() throws Exception {
        try (LocalRegistry plain = LocalRegistry.start(Variant.PLAIN, dir)) {
            PushedImage image = ImagePusher.to(plain).ociImage("one/app").tag("1").label("tier", "gold").push();
            RegistryResolver resolver = RegistryFixture.forRegistry(vertx, plain, dir, new RegistryMetrics());
            plain.clearLog();
            for (String registry : spellings(plain)) {
                Resolution r = resolve(resolver, registry + "/one/app:1", BUDGET);
                assertThat(r).as(registry).isInstanceOf(Resolution.Resolved.class);
                assertThat(((Resolution.Resolved) r).metadata().digest()).isEqualTo(image.digest());
            }
            assertThat(plain.count("GET", "/v2/one/app/manifests/1")).as("tag lookups for six spellings").isEqualTo(1);
            assertThat(plain.count("GET", "/v2/one/app/blobs/.*")).as("config fetches").isEqualTo(1);
        }
    }

    @Test
    void aCredentialWrittenUnderOneSpellingOpensEveryOther() throws Exception {
        try (LocalRegistry basic = LocalRegistry.start(Variant.BASIC, dir)) {
            ImagePusher.to(basic).ociImage("private/app").tag("1").label("tier", "gold").push();
            basic.clearLog();
            String keyedAs = "0x7f.0.0.1:0" + basic.port();
            RegistryResolver resolver = RegistryResolver.create(vertx, RegistryFixture.settings(Set.of(), RegistryFixture.certsD(dir, basic),
                    Set.of(), Duration.ofSeconds(60), Duration.ofMinutes(10),
                    RegistryFixture.credentials(keyedAs, basic.username(), basic.password())), new RegistryMetrics(), BUDGET);
            for (String registry : spellings(basic)) {
                Resolution r = resolve(resolver, registry + "/private/app:1", BUDGET);
                assertThat(r).as(registry + " with the credential keyed " + keyedAs).isInstanceOf(Resolution.Resolved.class);
            }
            assertThat(basic.requests()).filteredOn(r -> r.method().equals("GET") && r.path().equals("/v2/private/app/manifests/1"))
                    .as("one tag lookup answered, after the challenge that asked for the credential")
                    .extracting(r -> r.status()).containsExactly(401, 200);
        }
    }
}
