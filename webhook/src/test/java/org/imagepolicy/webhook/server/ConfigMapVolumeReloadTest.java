package org.imagepolicy.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.imagepolicy.webhook.testing.Await;
import org.imagepolicy.webhook.testing.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart mounts the policy ConfigMap as a directory. The kubelet updates such a volume the way its AtomicWriter
 * does: the files are symlinks through {@code ..data}, which is itself a symlink to a timestamped directory, and an
 * update writes a new timestamped directory, swaps {@code ..data} with one rename, then deletes the old directory.
 * The server must see that swap, and must not read the hidden entries as policy files.
 */
class ConfigMapVolumeReloadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUAY_ONLY = "apiVersion: v1\nkind: ImagePolicyConfig\nexecutionRules:\n- name: quay-only\n"
            + "  onResources: [{resource: pods}]\n  matchRegistries: [quay.io]\n";
    private static final String DOCKER_HUB_TOO = QUAY_ONLY.replace("[quay.io]", "[quay.io, docker.io]");

    @Test
    void aSwapOfTheDataSymlinkReloadsThePolicy(@TempDir Path dir) throws Exception {
        Path volume = dir.resolve("policy");
        Files.createDirectories(volume);
        writeVersion(volume, "..2026_12_02_02_00_00.000000001", QUAY_ONLY);
        Files.createSymbolicLink(volume.resolve("..data"), Path.of("..2026_12_02_02_00_00.000000001"));
        Files.createSymbolicLink(volume.resolve("policy.yaml"), Path.of("..data/policy.yaml"));

        ServerSettings settings = new ServerSettings(List.of(volume), true, "127.0.0.1", 0, 0, null, null, dir.resolve("certs"), true,
                List.of(), Set.of(), Duration.ofMillis(100), Duration.ZERO, Duration.ofSeconds(10), 1, Duration.ofMillis(2500), null,
                org.imagepolicy.webhook.registry.CacheBudget.ofThisJvm(), Duration.ZERO);
        try (RunningServer running = RunningServer.wrap(new WebhookServer(settings), volume, dir.resolve("certs/ca.crt"))) {
            HttpClient client = running.client(HttpClient.Version.HTTP_1_1);
            assertThat(allowed(running, client)).as("docker.io under the first policy").isFalse();

            // What the kubelet does on a ConfigMap edit.
            writeVersion(volume, "..2026_12_02_02_01_00.000000002", DOCKER_HUB_TOO);
            Files.createSymbolicLink(volume.resolve("..data_tmp"), Path.of("..2026_12_02_02_01_00.000000002"));
            Files.move(volume.resolve("..data_tmp"), volume.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
            Files.delete(volume.resolve("..2026_12_02_02_00_00.000000001/policy.yaml"));
            Files.delete(volume.resolve("..2026_12_02_02_00_00.000000001"));

            Await.until("the swapped policy serving", Duration.ofSeconds(10), () -> {
                try {
                    return allowed(running, client);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    private static void writeVersion(Path volume, String name, String policy) throws Exception {
        Files.createDirectories(volume.resolve(name));
        Files.writeString(volume.resolve(name).resolve("policy.yaml"), policy);
    }

    private static boolean allowed(RunningServer running, HttpClient client) throws Exception {
        String review = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u1\",\"operation\":\"CREATE\","
                + "\"namespace\":\"team\",\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},"
                + "\"resource\":{\"group\":\"\",\"version\":\"v1\",\"resource\":\"pods\"},\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
                + "\"metadata\":{\"name\":\"p\",\"namespace\":\"team\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"docker.io/library/nginx:1\"}]}}}}";
        var response = running.validate(client, review.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body()).path("response").path("allowed").asBoolean();
    }
}
