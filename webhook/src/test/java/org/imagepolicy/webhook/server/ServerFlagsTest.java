package org.imagepolicy.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.imagepolicy.webhook.image.HostPattern;
import org.imagepolicy.webhook.testing.Golden;
import org.imagepolicy.webhook.testing.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve --integrated-registry} and {@code --exempt-namespace} add to the policy, and survive a reload. */
class ServerFlagsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ONLY_INTEGRATED = """
            apiVersion: v1
            kind: ImagePolicyConfig
            integratedRegistryHostnames: [image-registry.openshift-image-registry.svc:5000]
            executionRules:
            - name: integrated-only
              matchIntegratedRegistry: true
            """;

    static boolean allowed(RunningServer server, String image, String namespace) throws Exception {
        String review = Files.readString(Golden.DIR.resolve("pod-from-quay-denied/request.json"))
                .replace("quay.io/org/app:1", image).replace("\"team-a\"", "\"" + namespace + "\"");
        var r = server.validate(server.client(HttpClient.Version.HTTP_2), review.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body()).path("response").path("allowed").asBoolean();
    }

    @Test
    void flagsExtendThePolicyAndAReloadKeepsThem(@TempDir Path dir) throws Exception {
        try (RunningServer server = RunningServer.start(dir, ONLY_INTEGRATED, null, null, List.of(dir.resolve("certs/ca.crt")),
                List.of(HostPattern.parse("*.apps.example.com")), Set.of("kube-system"))) {
            assertThat(allowed(server, "image-registry.openshift-image-registry.svc:5000/team-a/app:1", "team-a")).isTrue();
            assertThat(allowed(server, "registry.apps.example.com/team-a/app:1", "team-a")).as("--integrated-registry").isTrue();
            assertThat(allowed(server, "quay.io/org/app:1", "team-a")).isFalse();
            assertThat(allowed(server, "quay.io/org/app:1", "kube-system")).as("--exempt-namespace").isTrue();

            Files.writeString(server.policy, ONLY_INTEGRATED.replace("integrated-only", "integrated-only-v2"));
            org.imagepolicy.webhook.testing.Await.until("the reload", java.time.Duration.ofSeconds(10),
                    () -> server.server.metrics().render().contains("image_policy_policy_reloads_total{result=\"success\"} 2"));
            assertThat(allowed(server, "registry.apps.example.com/team-a/app:1", "team-a")).isTrue();
            assertThat(allowed(server, "quay.io/org/app:1", "kube-system")).isTrue();
        }
    }
}
