package org.imagepolicy.webhook.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.imagepolicy.webhook.cli.Main;
import org.imagepolicy.webhook.registry.testing.ImagePusher;
import org.imagepolicy.webhook.registry.testing.LocalRegistry;
import org.imagepolicy.webhook.registry.testing.PushedImage;
import org.imagepolicy.webhook.testing.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code review} looks images up as {@code serve} does, with the same flags, and shows the pinning patch with --mutate. */
class ReviewCommandRegistryTest {

    @Test
    void reviewDecidesOnRealImagesAndShowsThePatch(@TempDir Path dir) throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(LocalRegistry.Variant.PLAIN, dir)) {
            PushedImage image = ImagePusher.to(registry).ociImage("team/api").tag("1").label("com.example.approved", "true").push();
            Path policy = dir.resolve("policy.yaml");
            Files.writeString(policy, "apiVersion: v1\nkind: ImagePolicyConfig\nresolveImages: AttemptRewrite\nexecutionRules:\n"
                    + "- name: approved\n  matchDockerImageLabels: [{key: com.example.approved, value: \"true\"}]\n");
            Path review = dir.resolve("review.json");
            Files.writeString(review, Files.readString(Golden.DIR.resolve("pod-from-quay-denied/request.json"))
                    .replace("quay.io/org/app:1", registry.host() + "/team/api:1"));

            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "review", "--policy", policy.toString(),
                    "--insecure-registry", registry.host(), "--mutate", review.toString());
            assertThat(exit).as(err.toString()).isZero();
            JsonNode response = new ObjectMapper().readTree(out.toString()).path("response");
            assertThat(response.path("allowed").asBoolean()).isTrue();
            assertThat(new String(Base64.getDecoder().decode(response.path("patch").asText()), StandardCharsets.UTF_8))
                    .contains(registry.host() + "/team/api@" + image.digest());

            StringWriter offline = new StringWriter();
            Main.run(new PrintWriter(offline, true), new PrintWriter(new StringWriter(), true), "review", "--policy", policy.toString(),
                    "--offline", review.toString());
            assertThat(new ObjectMapper().readTree(offline.toString()).path("response").path("allowed").asBoolean())
                    .as("offline, the label cannot be read, so the allow rule cannot match").isFalse();
        }
    }

    @Test
    void registryAuthAndRegistryCertsFlagsAreUsed(@TempDir Path dir) throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(LocalRegistry.Variant.BASIC, dir)) {
            PushedImage image = ImagePusher.to(registry).ociImage("private/api").tag("1").label("com.example.approved", "true").push();
            Path certs = RegistryFixture.certsD(dir, registry);
            Path auth = dir.resolve("config.json");
            Files.writeString(auth, "{\"auths\": {\"" + registry.host() + "\": {\"auth\": \"" + Base64.getEncoder().encodeToString(
                    (registry.username() + ":" + registry.password()).getBytes(StandardCharsets.UTF_8)) + "\"}}}");
            Path policy = dir.resolve("policy.yaml");
            Files.writeString(policy, "apiVersion: v1\nkind: ImagePolicyConfig\nexecutionRules:\n"
                    + "- name: approved\n  matchDockerImageLabels: [{key: com.example.approved, value: \"true\"}]\n");
            Path review = dir.resolve("review.json");
            Files.writeString(review, Files.readString(Golden.DIR.resolve("pod-from-quay-denied/request.json"))
                    .replace("quay.io/org/app:1", registry.host() + "/private/api:1"));

            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "review", "--policy", policy.toString(),
                    "--registry-auth", auth.toString(), "--registry-certs", certs.toString(), review.toString());
            assertThat(exit).as(err.toString()).isZero();
            assertThat(new ObjectMapper().readTree(out.toString()).path("response").path("allowed").asBoolean()).as(out.toString()).isTrue();
            assertThat(out.toString() + err).doesNotContain(registry.password());
            assertThat(image.digest()).isNotBlank();
        }
    }
}
