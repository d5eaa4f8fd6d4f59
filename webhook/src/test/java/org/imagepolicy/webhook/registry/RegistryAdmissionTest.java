package org.imagepolicy.webhook.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import org.imagepolicy.webhook.registry.credentials.CredentialSource;
import org.imagepolicy.webhook.registry.testing.ImagePusher;
import org.imagepolicy.webhook.registry.testing.LocalRegistry;
import org.imagepolicy.webhook.registry.testing.PushedImage;
import org.imagepolicy.webhook.testing.Golden;
import org.imagepolicy.webhook.testing.RunningServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path over HTTPS: a policy on image labels and annotations, real images in a real registry,
 * /validate deciding on what the images say about themselves, and /mutate pinning them.
 */
class RegistryAdmissionTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static LocalRegistry registry;
    static RunningServer server;
    static PushedImage approved;
    static PushedImage quarantined;

    @BeforeAll
    static void start() throws Exception {
        registry = LocalRegistry.start(LocalRegistry.Variant.PLAIN, dir);
        ImagePusher push = ImagePusher.to(registry);
        approved = push.ociImage("team/api").tag("1.0").label("com.example.approved", "true").push();
        push.ociImage("team/tool").tag("1.0").push();
        quarantined = push.ociImage("team/old").tag("1.0").label("com.example.approved", "true")
                .annotation("security.example.com/quarantined", "true").push();
        String policy = """
                apiVersion: image.openshift.io/v1
                kind: ImagePolicyConfig
                resolveImages: AttemptRewrite
                executionRules:
                - name: approved-images
                  onResources: [{resource: pods}]
                  matchDockerImageLabels: [{key: com.example.approved, value: "true"}]
                - name: quarantine
                  reject: true
                  onResources: [{resource: pods}]
                  matchImageAnnotations: [{key: security.example.com/quarantined, value: "true"}]
                """;
        RegistrySettings settings = RegistryFixture.settings(Set.of(registry.host()), null, Set.of(registry.host()), Duration.ofSeconds(60),
                Duration.ofMinutes(10), CredentialSource.anonymous());
        server = RunningServer.startOnline(dir, policy, settings, Duration.ofMillis(2500));
    }

    @AfterAll
    static void stop() {
        server.close();
        registry.close();
    }

    static JsonNode post(String path, String image) throws Exception {
        String review = Files.readString(Golden.DIR.resolve("pod-from-quay-denied/request.json")).replace("quay.io/org/app:1", image);
        HttpResponse<String> r = server.post(server.client(HttpClient.Version.HTTP_2), path, "application/json",
                HttpRequest.BodyPublishers.ofString(review));
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body()).path("response");
    }

    @Test
    void labelsAndAnnotationsOfTheRealImagesDecide() throws Exception {
        assertThat(post("/validate", registry.host() + "/team/api:1.0").path("allowed").asBoolean()).isTrue();

        JsonNode unlabelled = post("/validate", registry.host() + "/team/tool:1.0");
        assertThat(unlabelled.path("allowed").asBoolean()).isFalse();
        assertThat(unlabelled.path("status").path("message").asText()).contains("approved-images")
                .contains("matchDockerImageLabels [com.example.approved=true]");

        JsonNode bad = post("/validate", registry.host() + "/team/old:1.0");
        assertThat(bad.path("allowed").asBoolean()).isFalse();
        assertThat(bad.path("status").path("message").asText()).contains("matches deny rule \"quarantine\"");

        JsonNode missing = post("/validate", registry.host() + "/team/api:nope");
        assertThat(missing.path("allowed").asBoolean()).isFalse();
        assertThat(missing.path("status").path("message").asText())
                .contains("resolving the image failed: " + registry.host() + "/team/api:nope was not found in the registry");
    }

    @Test
    void mutatePinsTheDigestAndValidateAcceptsThePinnedImage() throws Exception {
        JsonNode mutated = post("/mutate", registry.host() + "/team/api:1.0");
        assertThat(mutated.path("allowed").asBoolean()).isTrue();
        assertThat(mutated.path("patchType").asText()).isEqualTo("JSONPatch");
        String patch = new String(Base64.getDecoder().decode(mutated.path("patch").asText()), StandardCharsets.UTF_8);
        String pinned = registry.host() + "/team/api@" + approved.digest();
        assertThat(patch).isEqualTo("[{\"op\":\"replace\",\"path\":\"/spec/containers/0/image\",\"value\":\"" + pinned + "\"}]");

        assertThat(post("/validate", pinned).path("allowed").asBoolean()).isTrue();
        assertThat(post("/mutate", pinned).has("patch")).as("a pinned image is not patched again").isFalse();
        assertThat(post("/validate", registry.host() + "/team/api:1.0").has("patch")).as("/validate never mutates").isFalse();
        assertThat(post("/mutate", registry.host() + "/team/old:1.0").has("patch")).as("a denied image is not pinned").isFalse();
    }

    @Test
    void fiftyConcurrentAdmissionsOfOneUncachedImageMakeOneTagLookup() throws Exception {
        ImagePusher.to(registry).ociImage("team/herd").tag("1").label("com.example.approved", "true").push();
        registry.clearLog();
        java.util.List<java.util.concurrent.CompletableFuture<JsonNode>> answers = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(50);
        try {
            for (int i = 0; i < 50; i++) {
                answers.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return post("/validate", registry.host() + "/team/herd:1");
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                }, pool));
            }
            for (var a : answers) {
                assertThat(a.get(30, java.util.concurrent.TimeUnit.SECONDS).path("allowed").asBoolean()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(registry.count("GET", "/v2/team/herd/manifests/1")).as("one manifest by tag for every waiting admission").isEqualTo(1);
        assertThat(registry.count("GET", "/v2/team/herd/manifests/.*")).as("and no second fetch by digest").isEqualTo(1);
    }

    @Test
    void registryMetricsArePublished() throws Exception {
        post("/validate", registry.host() + "/team/api:1.0");
        assertThat(server.health("/metrics").body())
                .contains("image_policy_registry_request_duration_seconds_count{registry=\"" + registry.host() + "\"}")
                .contains("image_policy_registry_cache_hits_total{registry=\"" + registry.host() + "\"}")
                .containsPattern("image_policy_registry_responses_total\\{registry=\"" + java.util.regex.Pattern.quote(registry.host())
                        + "\",status=\"200\"\\} [1-9]")
                .contains("image_policy_registry_breaker_open{registry=\"" + registry.host() + "\",state=\"closed\"} 0")
                .containsPattern("image_policy_registry_cache_entries\\{cache=\"tags\"\\} [1-9]")
                .containsPattern("image_policy_registry_cache_entries\\{cache=\"images\"\\} [1-9]");
    }
}
