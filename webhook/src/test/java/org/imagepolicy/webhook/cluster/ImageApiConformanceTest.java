package org.imagepolicy.webhook.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.imagepolicy.webhook.cluster.openshift.OpenShiftImages;
import org.imagepolicy.webhook.image.HostPattern;
import org.imagepolicy.webhook.registry.RegistrySettings;
import org.imagepolicy.webhook.registry.credentials.CredentialSource;
import org.imagepolicy.webhook.registry.testing.ImagePusher;
import org.imagepolicy.webhook.registry.testing.LocalRegistry;
import org.imagepolicy.webhook.testing.Await;
import org.imagepolicy.webhook.testing.RunningServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * §4 A and B against the OpenShift image API: fabric8's mock API server (CRUD mode) serves ImageStreams,
 * Images and the cluster image configuration; {@code serve --cluster --image-api} is what decides, over
 * HTTPS, with the shipped {@code policies/openshift-default.yaml} (A) and the B-series resolution config
 * through {@code /mutate}. A real registry stands in where the image API does not know an image.
 */
@EnableKubernetesMockClient(https = false, crud = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImageApiConformanceTest {
    static final String INTEGRATED = "integrated.registry";
    static final String GOOD_SHA = "sha256:" + "0".repeat(63) + "2";
    static final String BAD_SHA = "sha256:" + "0".repeat(63) + "3";
    static final String IMAGE1_SHA = "sha256:" + "0".repeat(63) + "1";
    static final String FRESH_SHA = "sha256:" + "0".repeat(63) + "4";
    static final String IMAGE1_REF = INTEGRATED + "/image1/image1@" + IMAGE1_SHA;
    static final String DENY = "images.openshift.io/deny-execution";
    static final String B_POLICY = """
            apiVersion: image.openshift.io/v1
            kind: ImagePolicyConfig
            resolveImages: RequiredRewrite
            resolutionRules:
            - {targetResource: {group: "", resource: "*"}, localNames: true, policy: RequiredRewrite}
            - {targetResource: {group: extensions, resource: "*"}, localNames: true, policy: RequiredRewrite}
            executionRules:
            - name: allow-all
              onResources: [{resource: pods}, {group: build.openshift.io, resource: builds}]
            """;
    /** §4 B's config with P = AttemptRewrite: B.24-26 as upstream runs them. */
    static final String B_ATTEMPT_POLICY = B_POLICY.replace("RequiredRewrite", "AttemptRewrite");
    /** §4 B.30: RequiredRewrite and one builds rule without a policy (upstream's test skips the defaulting that fills it in). */
    static final String B30_POLICY = """
            apiVersion: image.openshift.io/v1
            kind: ImagePolicyConfig
            resolveImages: RequiredRewrite
            resolutionRules:
            - targetResource: {group: build.openshift.io, resource: builds}
            executionRules:
            - name: allow-all
              onResources: [{resource: pods}, {group: build.openshift.io, resource: builds}]
            """;
    /**
     * §4 C's config: AttemptRewrite, no resolution rules, allow-all on pods plus a deny rule on index.docker.io; with
     * {@code skipControllerOwned: true}, upstream's owner skip (checked by default here, README "Where this differs").
     */
    static final String C_POLICY = """
            apiVersion: image.openshift.io/v1
            kind: ImagePolicyConfig
            resolveImages: AttemptRewrite
            resolutionRules: []
            skipControllerOwned: true
            executionRules:
            - name: allow-all
            - name: deny-index
              reject: true
              matchRegistries: [index.docker.io]
            """;
    static final String C_APP_SHA = "sha256:" + "0".repeat(63) + "5";
    static final String C_OWNED_SHA = "sha256:" + "0".repeat(63) + "6";
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    static KubernetesMockServer mock;
    static KubernetesClient client;
    @TempDir
    static Path dir;
    static MockApi api;
    static LocalRegistry registry;
    static ClusterWatch watch;
    static OpenShiftImages imagesA;
    static OpenShiftImages imagesB;
    static RunningServer serverA;
    static RunningServer serverB;
    static RunningServer serverBAttempt;
    static RunningServer serverB30;
    static RunningServer serverC;
    static HttpClient httpA;
    static final Map<RunningServer, HttpClient> CLIENTS = new java.util.concurrent.ConcurrentHashMap<>();
    static HttpClient httpB;

    @BeforeAll
    static void start() throws Exception {
        api = new MockApi(client);
        registry = LocalRegistry.start(LocalRegistry.Variant.TLS, dir);
        ImagePusher.to(registry).ociImage("team/flagged").tag("1").annotation(DENY, "true").push();

        ClusterFixture.namespace(api, "default", null);
        ClusterFixture.namespace(api, "exempt", "execution-denied");
        api.create(resource("config.openshift.io/v1", "Image", null, "cluster", Map.of(), Map.of(
                "status", Map.of("internalRegistryHostname", INTEGRATED, "externalRegistryHostnames", List.of("registry.apps.example.com")))));
        api.create(image(GOOD_SHA, INTEGRATED + "/repo/mysql@" + GOOD_SHA, Map.of(), Map.of("vendor", "good")));
        api.create(image(BAD_SHA, INTEGRATED + "/repo/mysql@" + BAD_SHA, Map.of(DENY, "true"), Map.of()));
        api.create(image(IMAGE1_SHA, IMAGE1_REF, Map.of(), null));
        api.create(image(FRESH_SHA, INTEGRATED + "/repo/fresh@" + FRESH_SHA, Map.of(), Map.of()));
        api.create(stream("repo", "mysql", false, INTEGRATED + "/repo/mysql", Map.of("goodtag", GOOD_SHA, "badtag", BAD_SHA)));
        api.create(stream("default", "test", true, INTEGRATED + ":5000/default/test", Map.of("other", IMAGE1_SHA)));
        api.create(stream("strict", "test", false, INTEGRATED + ":5000/strict/test", Map.of("other", IMAGE1_SHA)));
        api.create(stream("fallback", "test", true, INTEGRATED + ":5000/fallback/test", Map.of()));
        api.create(stream("fallback", "empty", true, "", Map.of()));
        api.create(stream("nolocal", "test", false, INTEGRATED + ":5000/nolocal/test", Map.of()));
        // §4 C: csuite/app has no tag and no repository yet (nothing resolves it); csuite/owned's Image is read by C.38 first
        api.create(image(C_APP_SHA, INTEGRATED + "/csuite/app@" + C_APP_SHA, Map.of(), Map.of()));
        api.create(image(C_OWNED_SHA, INTEGRATED + "/csuite/owned@" + C_OWNED_SHA, Map.of(), Map.of()));
        api.create(stream("csuite", "app", true, "", Map.of()));
        api.create(stream("csuite", "owned", true, INTEGRATED + "/csuite/owned", Map.of("v1", C_OWNED_SHA)));

        RegistrySettings registries = new RegistrySettings(Set.of(), ClusterFixture.certsD(dir, List.of(registry)), Set.of(), "linux/amd64",
                Duration.ofSeconds(60), Duration.ofSeconds(15), Duration.ofMinutes(10), 8, CredentialSource.anonymous());
        watch = ClusterWatch.start(client, new ClusterSettings(null, null, null), registries.credentials());
        List<HostPattern> configured = List.of(HostPattern.parse(registry.host()));
        // Refreshed by hand, so the cache cases (A.14, A.15) do not race the background refresh.
        imagesA = OpenShiftImages.start(client, watch, configured, Duration.ofHours(1));
        imagesB = OpenShiftImages.start(client, watch, configured, Duration.ofHours(1));
        Await.until("the informers' first list, image streams included", Duration.ofSeconds(20), watch::synced);
        assertThat(watch.waitingFor()).isEmpty();
        Await.until("the cluster image configuration", Duration.ofSeconds(20), () -> !imagesA.integratedRegistries().isEmpty());
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        String shipped = Files.readString(Path.of("..", "policies", "openshift-default.yaml"));
        serverA = RunningServer.startOnline(a, shipped, registries, Duration.ofSeconds(5), watch.context(), imagesA, configured);
        serverB = RunningServer.startOnline(b, B_POLICY, registries, Duration.ofSeconds(5), watch.context(), imagesB, configured);
        httpA = serverA.client(HttpClient.Version.HTTP_2);
        httpB = serverB.client(HttpClient.Version.HTTP_2);
        // The same image API behind three more policies; each server holds its own Images (none is read twice per server).
        serverBAttempt = RunningServer.startOnline(Files.createDirectories(dir.resolve("b-attempt")), B_ATTEMPT_POLICY, registries,
                Duration.ofSeconds(5), watch.context(), imagesB, configured);
        serverB30 = RunningServer.startOnline(Files.createDirectories(dir.resolve("b30")), B30_POLICY, registries, Duration.ofSeconds(5),
                watch.context(), imagesB, configured);
        serverC = RunningServer.startOnline(Files.createDirectories(dir.resolve("c")), C_POLICY, registries, Duration.ofSeconds(5),
                watch.context(), imagesB, configured);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {serverA == null ? null : serverA::close, serverB == null ? null : serverB::close,
                serverBAttempt == null ? null : serverBAttempt::close, serverB30 == null ? null : serverB30::close,
                serverC == null ? null : serverC::close, imagesA, imagesB, watch, registry}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    // ----- fixtures

    static GenericKubernetesResource resource(String apiVersion, String kind, String namespace, String name, Map<String, String> annotations,
            Map<String, Object> rest) {
        ObjectNode o = ClusterFixture.JSON.createObjectNode().put("apiVersion", apiVersion).put("kind", kind);
        ObjectNode meta = o.putObject("metadata").put("name", name);
        if (namespace != null) {
            meta.put("namespace", namespace);
        }
        if (!annotations.isEmpty()) {
            meta.set("annotations", ClusterFixture.JSON.valueToTree(annotations));
        }
        rest.forEach((k, v) -> o.set(k, ClusterFixture.JSON.valueToTree(v)));
        return SERIALIZATION.unmarshal(o.toString(), GenericKubernetesResource.class);
    }

    /** An Image as the API serves it; {@code labels == null} gives a {@code dockerImageMetadata} whose Config is null. */
    static GenericKubernetesResource image(String digest, String reference, Map<String, String> annotations, Map<String, String> labels) {
        Map<String, Object> metadata = new java.util.HashMap<>();
        metadata.put("kind", "DockerImage");
        metadata.put("apiVersion", "1.0");
        java.util.HashMap<String, Object> config = null;
        if (labels != null) {
            config = new java.util.HashMap<>();
            config.put("Labels", labels);
        }
        metadata.put("Config", config);
        return resource("image.openshift.io/v1", "Image", null, digest, annotations,
                Map.of("dockerImageReference", reference, "dockerImageMetadata", metadata));
    }

    static GenericKubernetesResource stream(String namespace, String name, boolean local, String repository, Map<String, String> tags) {
        List<Object> statusTags = new java.util.ArrayList<>();
        List<Object> specTags = new java.util.ArrayList<>();
        tags.forEach((tag, digest) -> {
            specTags.add(Map.of("name", tag, "referencePolicy", Map.of("type", "Source")));
            statusTags.add(Map.of("tag", tag, "items", List.of(Map.of("image", digest, "created", "2026-12-01T00:00:00Z",
                    "generation", 1, "dockerImageReference", INTEGRATED + "/" + namespace + "/" + name + "@" + digest))));
        });
        return resource("image.openshift.io/v1", "ImageStream", namespace, name, Map.of(), Map.of(
                "spec", Map.of("lookupPolicy", Map.of("local", local), "tags", specTags),
                "status", Map.of("dockerImageRepository", repository, "tags", statusTags)));
    }

    static ObjectNode pod(String namespace, String image, boolean init, Map<String, String> annotations) {
        ObjectNode pod = ClusterFixture.JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
        ObjectNode meta = pod.putObject("metadata").put("name", "web").put("namespace", namespace);
        meta.set("annotations", ClusterFixture.JSON.valueToTree(annotations));
        ObjectNode c = pod.putObject("spec").putArray(init ? "initContainers" : "containers").addObject().put("name", "app").put("image", image);
        if (init) {
            ((ObjectNode) pod.path("spec")).putArray("containers").addObject().put("name", "main").put("image", INTEGRATED + "/repo/mysql@" + GOOD_SHA);
        }
        return c == null ? null : pod;
    }

    static ObjectNode replicaSet(String namespace, String image, Map<String, String> templateAnnotations) {
        ObjectNode rs = ClusterFixture.JSON.createObjectNode().put("apiVersion", "extensions/v1beta1").put("kind", "ReplicaSet");
        rs.putObject("metadata").put("name", "rs").put("namespace", namespace);
        ObjectNode template = rs.putObject("spec").putObject("template");
        template.putObject("metadata").set("annotations", ClusterFixture.JSON.valueToTree(templateAnnotations));
        template.putObject("spec").putArray("containers").addObject().put("name", "app").put("image", image);
        return rs;
    }

    /** A Build with one strategy {@code from} (or {@code source.images[0].from} for "source.images"). */
    static ObjectNode build(String where, String kind, String name, String kindOfObject) {
        ObjectNode b = ClusterFixture.JSON.createObjectNode().put("apiVersion", "build.openshift.io/v1").put("kind", kindOfObject);
        b.putObject("metadata").put("name", "b").put("namespace", "default");
        ObjectNode spec = b.putObject("spec");
        ObjectNode from;
        if (where.equals("source.images")) {
            from = spec.putObject("source").putArray("images").addObject().putObject("from");
            spec.putObject("strategy").put("type", "Docker").putObject("dockerStrategy");
        } else {
            String type = Character.toUpperCase(where.charAt(0)) + where.substring(1, where.indexOf("Strategy"));
            from = spec.putObject("strategy").put("type", type).putObject(where).putObject("from");
        }
        from.put("kind", kind).put("name", name);
        return b;
    }

    static byte[] review(ObjectNode object, String group, String version, String resource) {
        ObjectNode review = ClusterFixture.JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request").put("uid", UUID.randomUUID().toString()).put("operation", "CREATE")
                .put("name", object.path("metadata").path("name").asText()).put("namespace", object.path("metadata").path("namespace").asText());
        request.putObject("kind").put("group", group).put("version", version).put("kind", object.path("kind").asText());
        request.putObject("resource").put("group", group).put("version", version).put("resource", resource);
        request.set("object", object);
        return review.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** An UPDATE whose old object is the same object (§4 B.29, G.85). */
    static byte[] unchangedUpdate(ObjectNode object, String group, String version, String resource) throws Exception {
        ObjectNode review = (ObjectNode) ClusterFixture.JSON.readTree(review(object, group, version, resource));
        ObjectNode request = (ObjectNode) review.path("request");
        request.put("operation", "UPDATE").set("oldObject", object.deepCopy());
        return review.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code path} ("/validate" or "/mutate") of one of the servers; the response part of the review. */
    static JsonNode on(RunningServer server, String path, byte[] review) throws Exception {
        HttpClient http = CLIENTS.computeIfAbsent(server, s -> s.client(HttpClient.Version.HTTP_2));
        HttpResponse<String> r = server.post(http, path, "application/json", HttpRequest.BodyPublishers.ofByteArray(review));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ClusterFixture.JSON.readTree(r.body()).path("response");
    }

    static JsonNode validateA(byte[] review) throws Exception {
        HttpResponse<String> r = serverA.validate(httpA, review);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ClusterFixture.JSON.readTree(r.body()).path("response");
    }

    static JsonNode mutateB(byte[] review) throws Exception {
        HttpResponse<String> r = serverB.post(httpB, "/mutate", "application/json", HttpRequest.BodyPublishers.ofByteArray(review));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ClusterFixture.JSON.readTree(r.body()).path("response");
    }

    static JsonNode podA(String image) throws Exception {
        return validateA(review(pod("default", image, false, Map.of()), "", "v1", "pods"));
    }

    static void assertAllowed(JsonNode response) {
        assertThat(response.path("allowed").asBoolean()).as(response.toString()).isTrue();
    }

    static void assertDenied(JsonNode response, String... contains) {
        assertThat(response.path("allowed").asBoolean()).as(response.toString()).isFalse();
        assertThat(response.path("status").path("message").asText()).contains(contains);
    }

    static JsonNode patch(JsonNode response) throws Exception {
        assertAllowed(response);
        if (!response.has("patch")) {
            return ClusterFixture.JSON.createArrayNode();
        }
        return ClusterFixture.JSON.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
    }

    static void assertPatched(JsonNode response, String path, String value) throws Exception {
        JsonNode p = patch(response);
        assertThat(p).as(p.toString()).hasSize(1);
        assertThat(p.get(0).path("op").asText()).isEqualTo("replace");
        assertThat(p.get(0).path("path").asText()).isEqualTo(path);
        assertThat(p.get(0).path("value").isTextual() ? p.get(0).path("value").asText() : p.get(0).path("value").toString()).isEqualTo(value);
    }

    static void assertUnchanged(JsonNode response) throws Exception {
        JsonNode p = patch(response);
        assertThat(p).as(p.toString()).isEmpty();
    }

    // ----- §4 A: the shipped openshift-default.yaml, images from the cluster

    @Test
    @Order(1)
    @DisplayName("§4 A.1 pod index.docker.io/mysql:latest: not in the image API, the registry cannot be reached, the rule is skipped: allowed")
    void a1_externalTag() throws Exception {
        assertAllowed(podA("index.docker.io/mysql:latest"));
    }

    @Test
    @Order(1)
    @DisplayName("§4 A.2 pod index.docker.io/mysql@goodSHA: the cluster's Image good, no annotation: allowed")
    void a2_goodDigest() throws Exception {
        assertAllowed(podA("index.docker.io/mysql@" + GOOD_SHA));
    }

    @Test
    @Order(1)
    @DisplayName("§4 A.3 pod integrated.registry/repo/mysql@goodSHA: allowed")
    void a3_integratedGoodDigest() throws Exception {
        assertAllowed(podA(INTEGRATED + "/repo/mysql@" + GOOD_SHA));
    }

    @Test
    @Order(1)
    @DisplayName("§4 A.4 pod integrated.registry/repo/mysql:missingtag: no such tag, the rule is skipped: allowed")
    void a4_missingTag() throws Exception {
        assertAllowed(podA(INTEGRATED + "/repo/mysql:missingtag"));
    }

    @Test
    @Order(1)
    @DisplayName("§4 A.5 pod integrated.registry/repo/mysql:goodtag resolves through the image stream to good: allowed")
    void a5_goodTag() throws Exception {
        assertAllowed(podA(INTEGRATED + "/repo/mysql:goodtag"));
    }

    @Test
    @Order(1)
    @DisplayName("§4 A.6 pod integrated.registry/repo/mysql:badtag resolves to the deny-execution Image: denied, saying the image API answered")
    void a6_badTag() throws Exception {
        assertDenied(podA(INTEGRATED + "/repo/mysql:badtag"), "execution-denied", "judged on the image API: image stream tag repo/mysql:badtag");
    }

    @Test
    @Order(1)
    @DisplayName("§4 A.7 pod index.docker.io/mysql@badSHA: the cluster's Image bad: denied")
    void a7_badDigest() throws Exception {
        assertDenied(podA("index.docker.io/mysql@" + BAD_SHA), "execution-denied", "the cluster's Image " + BAD_SHA);
    }

    @Test
    @Order(1)
    @DisplayName("§4 A.8 the bad image as an init container: denied")
    void a8_badInit() throws Exception {
        assertDenied(validateA(review(pod("default", "index.docker.io/mysql@" + BAD_SHA, true, Map.of()), "", "v1", "pods")),
                "spec.initContainers[0].image");
    }

    @Test
    @Order(1)
    @DisplayName("§4 A.9-12 Build with the bad image in source.images, dockerStrategy, sourceStrategy, customStrategy: denied")
    void a9to12_buildsWithBadImage() throws Exception {
        for (String where : List.of("source.images", "dockerStrategy", "sourceStrategy", "customStrategy")) {
            assertDenied(validateA(review(build(where, "DockerImage", "index.docker.io/mysql@" + BAD_SHA, "Build"), "build.openshift.io", "v1",
                    "builds")), "execution-denied");
        }
    }

    @Test
    @Order(1)
    @DisplayName("§4 A.9-12 (image API) Build whose from is an ImageStreamTag of the bad image: denied")
    void a9_buildFromBadImageStreamTag() throws Exception {
        ObjectNode b = build("sourceStrategy", "ImageStreamTag", "mysql:badtag", "Build");
        ((ObjectNode) b.path("spec").path("strategy").path("sourceStrategy").path("from")).put("namespace", "repo");
        assertDenied(validateA(review(b, "build.openshift.io", "v1", "builds")), "execution-denied");
    }

    @Test
    @Order(1)
    @DisplayName("§4 A.13 BuildConfig with the bad image in source.images: allowed (buildconfigs are not covered)")
    void a13_buildConfigNotCovered() throws Exception {
        assertAllowed(validateA(review(build("source.images", "DockerImage", "index.docker.io/mysql@" + BAD_SHA, "BuildConfig"),
                "build.openshift.io", "v1", "buildconfigs")));
    }

    @Test
    @Order(1)
    @DisplayName("§4 A.16 namespace with ignore-rules: execution-denied: the bad image is allowed")
    void a16_namespaceOptOut() throws Exception {
        assertAllowed(validateA(review(pod("exempt", "index.docker.io/mysql@" + BAD_SHA, false, Map.of()), "", "v1", "pods")));
    }

    @Test
    @Order(2)
    @DisplayName("§4 A.14 good is annotated deny-execution after it was cached: the pod is still allowed until the held Images are read again")
    void a14_annotationAfterCacheIsNotSeenYet() throws Exception {
        assertAllowed(podA("index.docker.io/mysql@" + GOOD_SHA)); // held since the first admission
        api.replace(image(GOOD_SHA, INTEGRATED + "/repo/mysql@" + GOOD_SHA, Map.of(DENY, "true"), Map.of("vendor", "good")));
        assertAllowed(podA("index.docker.io/mysql@" + GOOD_SHA));
    }

    @Test
    @Order(3)
    @DisplayName("§4 A.15 after the refresh (every 30 s in serve; here by hand) the same pod is denied: the shipped policy sees the new annotation")
    void a15_annotationSeenAfterRefresh() throws Exception {
        imagesA.refreshImages();
        assertDenied(podA("index.docker.io/mysql@" + GOOD_SHA), "execution-denied");
        assertDenied(podA(INTEGRATED + "/repo/mysql:goodtag"), "execution-denied");
    }

    @Test
    @Order(4)
    @DisplayName("image API: an integrated-registry image the image API does not know goes to the registry, and the denial says so")
    void unknownIntegratedImageFallsBackToTheRegistry() throws Exception {
        assertDenied(podA(registry.host() + "/team/flagged:1"), "execution-denied", "judged on registry " + registry.host(),
                "which the image API does not know");
    }

    @Test
    @Order(4)
    @DisplayName("image API: a null Config in dockerImageMetadata is read as no labels, not a crash")
    void nullConfigIsNoLabels() throws Exception {
        assertAllowed(podA(IMAGE1_REF));
    }

    @Test
    @Order(5)
    @DisplayName("image API: after sync, admissions of a held image stream tag make no API request")
    void noApiRequestOnTheAdmissionPath() throws Exception {
        int start = mock.getRequestCount();
        assertThat(start).as("the informers' lists and the first reads were counted").isPositive();
        assertAllowed(podA(INTEGRATED + "/repo/fresh@" + FRESH_SHA)); // no admission used it before: one GET images/<digest>
        assertThat(mock.getRequestCount() - start).as("the first use of an Image reads it once").isEqualTo(1);
        assertAllowed(validateA(review(pod("default", "test:other", false, Map.of()), "", "v1", "pods")));
        int before = mock.getRequestCount();
        for (int i = 0; i < 20; i++) {
            assertAllowed(validateA(review(pod("default", "test:other", false, Map.of()), "", "v1", "pods")));
            assertDenied(podA(INTEGRATED + "/repo/mysql:badtag"), "execution-denied");
        }
        assertThat(mock.getRequestCount() - before).as("requests at the mock API server during 40 admissions").isZero();
    }

    // ----- §4 B: RequiredRewrite with localNames rules, through /mutate

    @Test
    @DisplayName("§4 B.17 RequiredRewrite, integrated digest unknown and an external tag that cannot be looked up: denied, one field error each")
    void b17_requiredFailuresDeny() throws Exception {
        ObjectNode p = pod("default", "myregistry.com/mysql/mysql:latest", true, Map.of());
        ((ObjectNode) p.path("spec").path("containers").get(0)).put("image", INTEGRATED + "/test/mysql@sha256:" + "0".repeat(63) + "9");
        assertDenied(mutateB(review(p, "", "v1", "pods")), "spec.initContainers[0].image", "spec.containers[0].image", "could not be resolved");
    }

    @Test
    @DisplayName("§4 B.18 RequiredRewrite, image1 exists: a pod with integrated.registry/test/mysql@image1 is allowed, unchanged")
    void b18_byDigestUnchanged() throws Exception {
        assertUnchanged(mutateB(review(pod("default", INTEGRATED + "/test/mysql@" + IMAGE1_SHA, false, Map.of()), "", "v1", "pods")));
    }

    @Test
    @DisplayName("§4 B.19 same as B.18 as an init container: allowed, unchanged")
    void b19_byDigestInitUnchanged() throws Exception {
        ObjectNode p = pod("default", INTEGRATED + "/test/mysql@" + IMAGE1_SHA, true, Map.of());
        ((ObjectNode) p.path("spec").path("containers").get(0)).put("image", INTEGRATED + "/test/mysql@" + IMAGE1_SHA);
        assertUnchanged(mutateB(review(p, "", "v1", "pods")));
    }

    @Test
    @DisplayName("§4 B.20 ISTag default/test:other (local lookup) to image1: pod test:other is rewritten to image1's pull spec")
    void b20_localNameRewritten() throws Exception {
        assertPatched(mutateB(review(pod("default", "test:other", false, Map.of()), "", "v1", "pods")), "/spec/containers/0/image",
                IMAGE1_REF);
    }

    @Test
    @DisplayName("§4 B.21 the same in an extensions ReplicaSet template: rewritten the same way")
    void b21_replicaSetRewritten() throws Exception {
        assertPatched(mutateB(review(replicaSet("default", "test:other", Map.of()), "extensions", "v1beta1", "replicasets")),
                "/spec/template/spec/containers/0/image", IMAGE1_REF);
    }

    @Test
    @DisplayName("§4 B.23 stream with local lookup off, template annotated resolve-names: \"*\": rewritten")
    void b23_resolveNamesForcesLocal() throws Exception {
        assertPatched(mutateB(review(replicaSet("strict", "test:other", Map.of("alpha.image.policy.openshift.io/resolve-names", "*")),
                "extensions", "v1beta1", "replicasets")), "/spec/template/spec/containers/0/image", IMAGE1_REF);
    }

    @Test
    @DisplayName("§4 B.23 (contrast) the same without the annotation: not resolved locally, and RequiredRewrite denies")
    void b23_withoutAnnotationNotLocal() throws Exception {
        JsonNode r = mutateB(review(replicaSet("strict", "test:other", Map.of()), "extensions", "v1beta1", "replicasets"));
        assertThat(r.path("allowed").asBoolean()).as(r.toString()).isFalse();
    }

    @Test
    @DisplayName("§4 B.24 tag missing, stream local with a repository: rewritten to the tag form on the stream's repository")
    void b24_streamFallback() throws Exception {
        assertPatched(mutateB(review(replicaSet("fallback", "test:other", Map.of()), "extensions", "v1beta1", "replicasets")),
                "/spec/template/spec/containers/0/image", INTEGRATED + ":5000/fallback/test:other");
    }

    @Test
    @DisplayName("§4 B.26 tag missing, stream local but without a repository: not resolved (RequiredRewrite denies; upstream's Attempt leaves it)")
    void b26_streamWithoutRepository() throws Exception {
        JsonNode r = mutateB(review(replicaSet("fallback", "empty:other", Map.of()), "extensions", "v1beta1", "replicasets"));
        assertThat(r.path("allowed").asBoolean()).as(r.toString()).isFalse();
    }

    @Test
    @DisplayName("§4 B.27 Build sourceStrategy.from DockerImage by digest: allowed, unchanged")
    void b27_buildByDigestUnchanged() throws Exception {
        assertUnchanged(mutateB(review(build("sourceStrategy", "DockerImage", INTEGRATED + "/test/mysql@" + IMAGE1_SHA, "Build"),
                "build.openshift.io", "v1", "builds")));
    }

    @Test
    @DisplayName("§4 B.28 Build customStrategy.from ImageStreamTag test:other: from becomes {kind: DockerImage, name: image1's pull spec}")
    void b28_buildImageStreamTagRewritten() throws Exception {
        assertPatched(mutateB(review(build("customStrategy", "ImageStreamTag", "test:other", "Build"), "build.openshift.io", "v1", "builds")),
                "/spec/strategy/customStrategy/from", "{\"kind\":\"DockerImage\",\"name\":\"" + IMAGE1_REF + "\"}");
    }

    @Test
    @DisplayName("§4 B.33 Build dockerStrategy.from ImageStreamImage test@image1: rewritten to {DockerImage, image1's pull spec}")
    void b33_buildImageStreamImageRewritten() throws Exception {
        assertPatched(mutateB(review(build("dockerStrategy", "ImageStreamImage", "test@" + IMAGE1_SHA, "Build"), "build.openshift.io", "v1",
                "builds")), "/spec/strategy/dockerStrategy/from", "{\"kind\":\"DockerImage\",\"name\":\"" + IMAGE1_REF + "\"}");
    }

    @Test
    @DisplayName("§4 B.34 Build customStrategy.from DockerImage test:other (a local name): rewritten to the digest form")
    void b34_buildLocalNameRewritten() throws Exception {
        assertPatched(mutateB(review(build("customStrategy", "DockerImage", "test:other", "Build"), "build.openshift.io", "v1", "builds")),
                "/spec/strategy/customStrategy/from", "{\"kind\":\"DockerImage\",\"name\":\"" + IMAGE1_REF + "\"}");
    }

    @Test
    @DisplayName("§2.3 ImageStreamTag without a tag and ImageStreamImage without a digest: the reference's own error")
    void malformedStreamReferences() throws Exception {
        assertDenied(mutateB(review(build("customStrategy", "ImageStreamTag", "test", "Build"), "build.openshift.io", "v1", "builds")),
                "references of kind ImageStreamTag must be of the form NAME:TAG");
        assertDenied(mutateB(review(build("customStrategy", "ImageStreamImage", "test", "Build"), "build.openshift.io", "v1", "builds")),
                "references of kind ImageStreamImage must be of the form NAME@DIGEST");
    }

    @Test
    @DisplayName("§4 B.24 (upstream's AttemptRewrite) tag missing, stream local with a repository: rewritten to the tag form")
    void b24_streamFallbackUnderAttemptRewrite() throws Exception {
        assertPatched(on(serverBAttempt, "/mutate", review(replicaSet("fallback", "test:other", Map.of()), "extensions", "v1beta1",
                "replicasets")), "/spec/template/spec/containers/0/image", INTEGRATED + ":5000/fallback/test:other");
    }

    @Test
    @DisplayName("§4 B.25 AttemptRewrite, tag missing, stream with a repository but local lookup off: allowed, unchanged")
    void b25_streamNotLocalUnchanged() throws Exception {
        assertUnchanged(on(serverBAttempt, "/mutate", review(replicaSet("nolocal", "test:other", Map.of()), "extensions", "v1beta1",
                "replicasets")));
    }

    @Test
    @DisplayName("§4 B.26 AttemptRewrite, tag missing, stream local but without a repository: allowed, unchanged")
    void b26_streamWithoutRepositoryUnderAttemptRewrite() throws Exception {
        assertUnchanged(on(serverBAttempt, "/mutate", review(replicaSet("fallback", "empty:other", Map.of()), "extensions", "v1beta1",
                "replicasets")));
    }

    @Test
    @DisplayName("§4 B.29 Build UPDATE where old equals new: allowed, unchanged, and the references are not visited")
    void b29_unchangedBuildUpdateNotVisited() throws Exception {
        ObjectNode resolvable = build("customStrategy", "ImageStreamTag", "test:other", "Build");
        assertUnchanged(mutateB(unchangedUpdate(resolvable, "build.openshift.io", "v1", "builds")));
        // Not visited, rather than visited and not rewritten: a reference RequiredRewrite denies on CREATE passes unchanged.
        ObjectNode unresolvable = build("customStrategy", "ImageStreamTag", "nosuchstream:tag", "Build");
        assertDenied(mutateB(review(unresolvable, "build.openshift.io", "v1", "builds")), "spec.strategy.customStrategy.from",
                "image stream default/nosuchstream not found");
        assertUnchanged(mutateB(unchangedUpdate(unresolvable, "build.openshift.io", "v1", "builds")));
        assertAllowed(on(serverB, "/validate", unchangedUpdate(unresolvable, "build.openshift.io", "v1", "builds")));
    }

    @Test
    @DisplayName("§4 B.30 (differs from upstream's test, which skips defaulting) a builds rule without a policy takes resolveImages"
            + " (RequiredRewrite), so the ImageStreamTag from is rewritten, as upstream does once its defaulting has run")
    void b30_ruleWithoutPolicyIsDefaulted() throws Exception {
        JsonNode created = on(serverB30, "/mutate", review(build("customStrategy", "ImageStreamTag", "test:other", "Build"),
                "build.openshift.io", "v1", "builds"));
        assertPatched(created, "/spec/strategy/customStrategy/from", "{\"kind\":\"DockerImage\",\"name\":\"" + IMAGE1_REF + "\"}");
        // ... and the defaulted RequiredRewrite is required: what does not resolve is denied
        assertDenied(on(serverB30, "/mutate", review(build("customStrategy", "ImageStreamTag", "nosuchstream:tag", "Build"),
                "build.openshift.io", "v1", "builds")), "spec.strategy.customStrategy.from");
    }

    static ObjectNode cPod(String namespace, String image, boolean controllerOwned) {
        ObjectNode p = pod(namespace, image, false, Map.of());
        ((com.fasterxml.jackson.databind.node.ArrayNode) p.path("spec").path("containers")).addObject().put("name", "second").put("image", image);
        if (controllerOwned) {
            ((ObjectNode) p.path("metadata")).putArray("ownerReferences").addObject().put("apiVersion", "apps/v1").put("kind", "ReplicaSet")
                    .put("name", "web-1").put("uid", "4c8e0a0c-0000-4000-8000-000000000001").put("controller", true);
        }
        return p;
    }

    @Test
    @Order(6)
    @DisplayName("§4 C.35 AttemptRewrite: a pod on index.docker.io is denied by the deny rule in both phases, though the image API knows its Image")
    void c35_denyRegistryWhateverTheImageApiSays() throws Exception {
        byte[] review = review(pod("csuite", "index.docker.io/mysql@" + GOOD_SHA, false, Map.of()), "", "v1", "pods");
        assertDenied(on(serverC, "/mutate", review), "spec.containers[0].image", "deny-index");
        assertDenied(on(serverC, "/validate", review), "spec.containers[0].image", "deny-index");
    }

    @Test
    @Order(6)
    @DisplayName("§4 C.36 two containers app:v1: the image API cannot resolve it at admission (allowed, unchanged); once the tag is"
            + " imported it resolves, and the validate phase still leaves the pod as it is")
    void c36_resolutionFailsThenWorksValidateDoesNotRewrite() throws Exception {
        byte[] review = review(cPod("csuite", "app:v1", false), "", "v1", "pods");
        assertUnchanged(on(serverC, "/mutate", review));
        api.replace(stream("csuite", "app", true, INTEGRATED + "/csuite/app", Map.of("v1", C_APP_SHA)));
        Await.until("the tag imported: /mutate now rewrites app:v1", Duration.ofSeconds(20), () -> patchOf(serverC, review).size() == 2);
        JsonNode validated = on(serverC, "/validate", review);
        assertAllowed(validated);
        assertThat(validated.has("patch")).as(validated.toString()).isFalse();
        assertThat(validated.path("warnings").toString()).doesNotContain("changed after admission");
    }

    private static JsonNode patchOf(RunningServer server, byte[] review) {
        try {
            return patch(on(server, "/mutate", review));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @Order(7)
    @DisplayName("§4 C.37 with skipControllerOwned: true a controller-owned pod is allowed, unchanged, with no resolution at all"
            + " (no request at the API server)")
    void c37_controllerOwnedNotResolved() throws Exception {
        int before = mock.getRequestCount();
        assertUnchanged(on(serverC, "/mutate", review(cPod("csuite", "owned:v1", true), "", "v1", "pods")));
        assertThat(mock.getRequestCount() - before).as("owned:v1's Image was never read: resolving it would GET images/<digest>").isZero();
    }

    @Test
    @Order(8)
    @DisplayName("§4 C.38 the owner reference removed: both containers are rewritten to the image stream's digest; validate leaves the pod as is")
    void c38_ownerRemovedRewritten() throws Exception {
        byte[] review = review(cPod("csuite", "owned:v1", false), "", "v1", "pods");
        int before = mock.getRequestCount();
        JsonNode p = patch(on(serverC, "/mutate", review));
        assertThat(mock.getRequestCount() - before).as("the Image read once, for both containers").isEqualTo(1);
        String pinned = INTEGRATED + "/csuite/owned@" + C_OWNED_SHA;
        assertThat(p).as(p.toString()).hasSize(2);
        assertThat(p.findValuesAsText("path")).containsExactlyInAnyOrder("/spec/containers/0/image", "/spec/containers/1/image");
        assertThat(p.findValuesAsText("value")).containsExactly(pinned, pinned);
        JsonNode validated = on(serverC, "/validate", review);
        assertAllowed(validated);
        assertThat(validated.has("patch")).isFalse();
    }

    @Test
    @Order(9)
    @DisplayName("§4 C.39 after C.38 a later plug-in sets container 0 back to the tag: validate neither rewrites nor fails (changed after admission)")
    void c39_tagPutBackAfterAdmissionNotFailed() throws Exception {
        ObjectNode p = cPod("csuite", "owned:v1", false);
        ((ObjectNode) p.path("spec").path("containers").get(1)).put("image", INTEGRATED + "/csuite/owned@" + C_OWNED_SHA);
        JsonNode validated = on(serverC, "/validate", review(p, "", "v1", "pods"));
        assertAllowed(validated);
        assertThat(validated.has("patch")).isFalse();
        assertThat(validated.toString()).doesNotContain("changed after admission");
    }
}
