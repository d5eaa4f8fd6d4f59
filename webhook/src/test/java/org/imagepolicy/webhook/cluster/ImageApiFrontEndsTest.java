package org.imagepolicy.webhook.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.imagepolicy.webhook.cli.Main;
import org.imagepolicy.webhook.cluster.openshift.OpenShiftImages;
import org.imagepolicy.webhook.registry.RegistrySettings;
import org.imagepolicy.webhook.registry.credentials.CredentialSource;
import org.imagepolicy.webhook.testing.Await;
import org.imagepolicy.webhook.testing.RunningServer;
import org.imagepolicy.webhook.testing.MockKubeconfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audit}, {@code diff} and {@code explain} with {@code --cluster --image-api} judge what the webhook
 * judges: fabric8's CRUD mock API server serves an ImageStream whose tag {@code bad} points at an Image
 * annotated {@code images.openshift.io/deny-execution=true}, the cluster image configuration naming the
 * integrated registry, and workloads that reach that Image by a local name, an integrated-registry name and
 * an ImageStreamTag. The same objects go to {@code serve --cluster --image-api} over HTTPS, and the report
 * must say what the webhook says.
 */
@EnableKubernetesMockClient(https = false, crud = true)
class ImageApiFrontEndsTest {
    static final String NS = "shop";
    static final String INTEGRATED = "image-registry.openshift-image-registry.svc:5000";
    static final String DENY = "images.openshift.io/deny-execution";
    static final String BAD_SHA = "sha256:" + "b".repeat(64);
    static final String GOOD_SHA = "sha256:" + "a".repeat(64);
    static final String POLICY = """
            apiVersion: image.openshift.io/v1
            kind: ImagePolicyConfig
            executionRules:
            - name: execution-denied
              reject: true
              onResources:
              - resource: pods
              - group: apps
                resource: deployments
              - group: build.openshift.io
                resource: builds
              matchImageAnnotations:
              - key: images.openshift.io/deny-execution
                value: "true"
              skipOnResolutionFailure: true
            """;
    /** The policy before the edit diff judges: no rule, everything admitted. */
    static final String NO_RULES = """
            apiVersion: image.openshift.io/v1
            kind: ImagePolicyConfig
            """;
    /** Workloads by name, and the image each names. */
    static final Map<String, String> DEPLOYMENTS = Map.of("local-bad", "app:bad", "integrated-bad", INTEGRATED + "/" + NS + "/app:bad",
            "local-good", "app:good");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ResourceDefinitionContext BUILDS = new ResourceDefinitionContext.Builder().withGroup("build.openshift.io")
            .withVersion("v1").withKind("Build").withPlural("builds").withNamespaced(true).build();

    static KubernetesMockServer mock;
    static KubernetesClient client;
    @TempDir
    static Path dir;
    static Path kubeconfig;
    static Path policy;
    static Path noRules;

    @BeforeAll
    static void fill() throws Exception {
        MockApi api = new MockApi(client);
        ClusterFixture.namespace(api, NS, null);
        ClusterFixture.serviceAccount(api, NS, "default");
        api.create(resource("config.openshift.io/v1", "Image", null, "cluster", Map.of(), Map.of(
                "status", Map.of("internalRegistryHostname", INTEGRATED))));
        api.create(image(BAD_SHA, Map.of(DENY, "true")));
        api.create(image(GOOD_SHA, Map.of()));
        api.create(resource("image.openshift.io/v1", "ImageStream", NS, "app", Map.of(), Map.of(
                "spec", Map.of("lookupPolicy", Map.of("local", true), "tags", List.of(
                        Map.of("name", "bad", "referencePolicy", Map.of("type", "Source")),
                        Map.of("name", "good", "referencePolicy", Map.of("type", "Source")))),
                "status", Map.of("dockerImageRepository", INTEGRATED + "/" + NS + "/app", "tags", List.of(tag("bad", BAD_SHA), tag("good", GOOD_SHA))))));
        DEPLOYMENTS.forEach((name, image) -> api.create(new DeploymentBuilder().withNewMetadata().withNamespace(NS).withName(name).endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("app").withImage(image).endContainer().endSpec()
                .endTemplate().endSpec().build()));
        api.create(resource("build.openshift.io/v1", "Build", NS, "from-stream", Map.of(), Map.of("spec", Map.of("strategy", Map.of(
                "type", "Source", "sourceStrategy", Map.of("from", Map.of("kind", "ImageStreamTag", "name", "app:bad")))))));

        kubeconfig = MockKubeconfig.write(dir, client.getMasterUrl(), "auditor");
        policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);
        noRules = Files.writeString(dir.resolve("no-rules.yaml"), NO_RULES);
    }

    @AfterAll
    static void stop() {
        // the extension closes the mock server and its client
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

    static GenericKubernetesResource image(String digest, Map<String, String> annotations) {
        return resource("image.openshift.io/v1", "Image", null, digest, annotations, Map.of(
                "dockerImageReference", INTEGRATED + "/" + NS + "/app@" + digest,
                "dockerImageMetadata", Map.of("kind", "DockerImage", "apiVersion", "1.0", "Config", Map.of("Labels", Map.of()))));
    }

    static Map<String, Object> tag(String tag, String digest) {
        return Map.of("tag", tag, "items", List.of(Map.of("image", digest, "created", "2026-12-01T00:00:00Z", "generation", 1,
                "dockerImageReference", INTEGRATED + "/" + NS + "/app@" + digest)));
    }

    record Run(int exit, String out, String err) {
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    static List<String> cluster(String command, String... more) {
        List<String> args = new ArrayList<>(List.of(command, "--cluster", "--kubeconfig", kubeconfig.toString(), "--namespace", NS,
                "--lookup-timeout", "20s", "--quiet"));
        args.addAll(List.of(more));
        return args;
    }

    /** The report's one reference of each object, by kind and name: {@code Deployment local-bad}. */
    static Map<String, JsonNode> references(Path report) throws Exception {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode r : ClusterFixture.JSON.readTree(report.toFile()).path("results")) {
            assertThat(r.path("references")).as(r.toString()).hasSize(1);
            out.put(r.path("kind").asText() + " " + r.path("name").asText(), r.path("references").get(0));
        }
        return out;
    }

    // ----- audit

    @Test
    void auditWithTheImageApiDeniesWhatResolvesToAnImageAnnotatedDenyExecution() throws Exception {
        Path json = dir.resolve("audit.json");
        Run run = cli(cluster("audit", "--image-api", "--policy", policy.toString(), "-o", "json=" + json).toArray(String[]::new));
        assertThat(run.exit()).as(run.err()).isEqualTo(1);

        Map<String, JsonNode> refs = references(json);
        assertThat(refs).containsOnlyKeys("Deployment local-bad", "Deployment integrated-bad", "Deployment local-good", "Build from-stream");
        for (String denied : List.of("Deployment local-bad", "Deployment integrated-bad", "Build from-stream")) {
            JsonNode ref = refs.get(denied);
            assertThat(ref.path("outcome").asText()).as(denied + ": " + ref).isEqualTo("fail");
            assertThat(ref.path("rule").asText()).as(denied).isEqualTo("execution-denied");
            assertThat(ref.path("message").asText()).as(denied).contains("image API: image stream tag " + NS + "/app:bad")
                    .contains(BAD_SHA).contains("execution-denied");
        }
        assertThat(refs.get("Deployment local-good").path("outcome").asText()).as(refs.get("Deployment local-good").toString()).isEqualTo("pass");
    }

    @Test
    void offlineTheImageApiStillAnswersBecauseItIsTheClusterNotARegistry() throws Exception {
        Path json = dir.resolve("audit-offline.json");
        Run run = cli(cluster("audit", "--image-api", "--offline", "--policy", policy.toString(), "-o", "json=" + json).toArray(String[]::new));
        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        Map<String, JsonNode> refs = references(json);
        assertThat(refs.get("Deployment local-bad").path("outcome").asText()).isEqualTo("fail");
        assertThat(refs.get("Build from-stream").path("outcome").asText()).isEqualTo("fail");
    }

    @Test
    void withoutTheImageApiTheSameAuditCannotSeeTheAnnotationAndSaysWhy() throws Exception {
        Path json = dir.resolve("audit-without.json");
        Run run = cli(cluster("audit", "--offline", "--policy", policy.toString(), "-o", "json=" + json).toArray(String[]::new));
        assertThat(run.exit()).as(run.err()).isEqualTo(0);
        Map<String, JsonNode> refs = references(json);
        assertThat(refs.values()).allSatisfy(ref -> assertThat(ref.path("outcome").asText()).as(ref.toString()).isNotEqualTo("fail"));

        // Not offline: the ImageStreamTag is answered by the registry resolver, which says the image API was not read.
        Path build = Files.writeString(dir.resolve("build.yaml"), """
                apiVersion: build.openshift.io/v1
                kind: Build
                metadata: {name: from-stream, namespace: shop}
                spec:
                  strategy:
                    type: Source
                    sourceStrategy:
                      from: {kind: ImageStreamTag, name: "app:bad"}
                """);
        Path files = dir.resolve("audit-files.json");
        Run fromFiles = cli("audit", "--quiet", "--policy", policy.toString(), "-o", "json=" + files, build.toString());
        assertThat(fromFiles.exit()).as(fromFiles.err()).isEqualTo(0);
        JsonNode unresolved = references(files).get("Build from-stream");
        assertThat(unresolved.path("outcome").asText()).as("the rule skips what it cannot resolve, as the webhook's does").isEqualTo("pass");
        assertThat(unresolved.path("message").asText()).startsWith("allowed without judging the image")
                .contains("OpenShift image API, which was not read here").contains("--cluster --image-api");
    }

    @Test
    void theImageApiNeedsTheCluster() {
        Run audit = cli("audit", "--image-api", "--policy", policy.toString(), dir.resolve("policy.yaml").toString());
        assertThat(audit.exit()).isEqualTo(2);
        assertThat(audit.err()).contains("--image-api").contains("needs --cluster").contains("image stream references are reported as unresolved");
        Run review = cli("review", "--image-api", "--policy", policy.toString(), "-");
        assertThat(review.exit()).isEqualTo(2);
        assertThat(review.err()).contains("reads none").contains("audit --cluster --image-api");
        Run test = cli("test", "--image-api", dir.toString());
        assertThat(test.exit()).isEqualTo(2);
        assertThat(test.err()).contains("reads none");
        Run explain = cli("explain", "--image-api", "--policy", policy.toString(), "app:bad");
        assertThat(explain.exit()).isEqualTo(2);
        assertThat(explain.err()).contains("needs --cluster");
    }

    // ----- diff and explain

    @Test
    void diffWithTheImageApiReportsTheNewlyDeniedWorkloads() throws Exception {
        Path json = dir.resolve("diff.json");
        Run run = cli(cluster("diff", "--image-api", "--policy", noRules.toString(), "--against", policy.toString(), "-o", "json=" + json)
                .toArray(String[]::new));
        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        Map<String, JsonNode> refs = references(json);
        for (String denied : List.of("Deployment local-bad", "Deployment integrated-bad", "Build from-stream")) {
            assertThat(refs.get(denied).path("change").asText()).as(denied + ": " + refs.get(denied)).isEqualTo("newly_denied");
        }
        JsonNode good = refs.get("Deployment local-good");
        assertThat(good.path("outcome").asText()).as(good.toString()).isEqualTo("pass");
        assertThat(good.path("change").asText()).as("judged now, on an Image without the annotation").isEqualTo("reason_changed");
    }

    @Test
    void explainWithTheImageApiShowsWhichImageAnsweredAndDenies() {
        Run run = cli("explain", "--policy", policy.toString(), "--resource", "deployments", "--namespace", NS, "--cluster",
                "--kubeconfig", kubeconfig.toString(), "--image-api", "app:bad");
        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.out()).contains("answered by the image API: image stream tag " + NS + "/app:bad").contains(DENY + "=true")
                .contains("execution-denied");

        Run without = cli("explain", "--policy", policy.toString(), "--resource", "deployments", "--namespace", NS, "--offline", "app:bad");
        assertThat(without.exit()).as(without.out() + without.err()).isEqualTo(0);
    }

    // ----- one engine: the webhook and the audit agree

    @Test
    void theWebhookAndTheAuditAgreeOnEveryObject() throws Exception {
        Path json = dir.resolve("agree.json");
        Run run = cli(cluster("audit", "--image-api", "--policy", policy.toString(), "-o", "json=" + json).toArray(String[]::new));
        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        Map<String, JsonNode> audited = references(json);

        RegistrySettings registries = new RegistrySettings(Set.of(), null, Set.of(), "linux/amd64", Duration.ofSeconds(60), Duration.ofSeconds(15),
                Duration.ofMinutes(10), 8, CredentialSource.anonymous());
        try (ClusterWatch watch = ClusterWatch.start(client, new ClusterSettings(null, null, null), registries.credentials());
                OpenShiftImages images = OpenShiftImages.start(client, watch, List.of(), OpenShiftImages.REFRESH)) {
            Await.until("the informers' first list", Duration.ofSeconds(20), watch::synced);
            Await.until("the cluster image configuration", Duration.ofSeconds(20), () -> !images.integratedRegistries().isEmpty());
            try (RunningServer server = RunningServer.startOnline(Files.createDirectories(dir.resolve("serve")), POLICY, registries,
                    Duration.ofSeconds(5), watch.context(), images, List.of())) {
                HttpClient http = server.client(HttpClient.Version.HTTP_2);
                List<HasMetadata> objects = new ArrayList<>(client.apps().deployments().inNamespace(NS).list().getItems());
                objects.addAll(client.genericKubernetesResources(BUILDS).inNamespace(NS).list().getItems());
                assertThat(objects).hasSize(audited.size());
                int denied = 0;
                for (HasMetadata o : objects) {
                    String key = o.getKind() + " " + o.getMetadata().getName();
                    byte[] review = o.getKind().equals("Build") ? ClusterFixture.review(o, "build.openshift.io", "v1", "builds")
                            : ClusterFixture.review(o, "apps", "v1", "deployments");
                    HttpResponse<String> r = server.validate(http, review);
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    JsonNode response = ClusterFixture.JSON.readTree(r.body()).path("response");
                    JsonNode ref = audited.get(key);
                    boolean allowed = response.path("allowed").asBoolean();
                    assertThat(allowed).as(key + ": webhook " + response + ", audit " + ref).isEqualTo(!ref.path("outcome").asText().equals("fail"));
                    if (!allowed) {
                        denied++;
                        assertThat(response.path("status").path("message").asText()).as(key).contains(ref.path("message").asText());
                    }
                }
                assertThat(denied).as("the three workloads that reach the annotated Image").isEqualTo(3);
            }
        }
    }
}
