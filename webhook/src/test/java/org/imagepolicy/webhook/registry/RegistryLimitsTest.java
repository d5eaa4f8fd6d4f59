package org.imagepolicy.webhook.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imagepolicy.webhook.registry.RegistryFixture.resolve;

import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.metrics.RegistryMetrics;
import org.imagepolicy.webhook.registry.testing.ImagePusher;
import org.imagepolicy.webhook.registry.testing.LocalRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry cannot make the webhook read without bound: configs over 8 MiB are refused. */
class RegistryLimitsTest {
    @TempDir
    static Path dir;
    static Vertx vertx;
    static LocalRegistry registry;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        registry = LocalRegistry.start(LocalRegistry.Variant.PLAIN, dir);
    }

    @AfterAll
    static void stop() {
        registry.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aConfigBlobOverTheCapIsRefused() throws Exception {
        ImagePusher push = ImagePusher.to(registry);
        byte[] huge = new byte[RegistrySettings.MAX_CONFIG_BYTES + 1024];
        new Random(7).nextBytes(huge);
        String config = push.pushBlob("limits/app", huge);
        String layer = push.pushBlob("limits/app", "layer".getBytes(StandardCharsets.UTF_8));
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + config + "\",\"size\":" + huge.length
                + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + layer + "\",\"size\":5}]}";
        push.pushManifest("limits/app", "huge", "application/vnd.oci.image.manifest.v1+json", manifest.getBytes(StandardCharsets.UTF_8));

        Resolution r = resolve(RegistryFixture.forRegistry(vertx, registry, dir, new RegistryMetrics()), registry.host() + "/limits/app:huge",
                Duration.ofSeconds(5));
        assertThat(r).isInstanceOf(Resolution.Failed.class);
        assertThat(((Resolution.Failed) r).reason()).contains("more than the " + RegistrySettings.MAX_CONFIG_BYTES + " allowed");
    }
}
