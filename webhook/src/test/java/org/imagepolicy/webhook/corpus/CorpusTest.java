package org.imagepolicy.webhook.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.imagepolicy.webhook.admission.AdmissionInput;
import org.imagepolicy.webhook.admission.AdmissionReviewCodec;
import org.imagepolicy.webhook.admission.Decision;
import org.imagepolicy.webhook.admission.ImageFacts;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.policy.GroupResource;
import org.imagepolicy.webhook.policy.PolicyParser;
import org.imagepolicy.webhook.testing.RunningServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 541 real files of {@code shared/corpus}: every AdmissionReview gets a well-formed answer over real
 * HTTPS, and every workload object in every manifest gets a decision from the engine, never an exception.
 */
class CorpusTest {
    /** Covers every resource, with a Warn rule too, so every path of the decision runs. */
    static final String POLICY = """
            apiVersion: image.openshift.io/v1
            kind: ImagePolicyConfig
            executionRules:
            - name: known-registries
              onResources: [{resource: pods}, {resource: podtemplates}, {resource: replicationcontrollers},
                {group: apps, resource: deployments}, {group: apps, resource: replicasets}, {group: apps, resource: statefulsets},
                {group: apps, resource: daemonsets}, {group: extensions, resource: deployments}, {group: extensions, resource: daemonsets},
                {group: extensions, resource: replicasets}, {group: batch, resource: jobs}, {group: batch, resource: cronjobs},
                {resource: deploymentconfigs}, {resource: builds}, {resource: buildconfigs}]
              matchRegistries: [docker.io, quay.io, ghcr.io, registry.k8s.io, "*.redhat.io", registry.access.redhat.com, gcr.io]
            - name: argo-is-watched
              reject: true
              enforcement: Warn
              onResources: [{group: apps, resource: deployments}, {group: apps, resource: statefulsets}]
              matchRepositories: ["quay.io/argoproj/**"]
            """;

    @TempDir
    static Path dir;
    static RunningServer running;

    @BeforeAll
    static void start() throws Exception {
        running = RunningServer.start(dir, POLICY);
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    @Test
    void everyAdmissionReviewAndAdmissionRequestGetsAWellFormedAnswerOverHttps() throws Exception {
        HttpClient client = running.client(HttpClient.Version.HTTP_2);
        Map<String, Integer> answers = new TreeMap<>();
        int reviews = 0;
        int bare = 0;
        for (CorpusDocuments.Document doc : CorpusDocuments.documents()) {
            JsonNode node = doc.node();
            boolean isReview = "AdmissionReview".equals(node.path("kind").asText());
            boolean isBareRequest = !isReview && node.has("uid") && node.has("operation") && node.path("kind").isObject();
            if (!isReview && !isBareRequest) {
                continue;
            }
            JsonNode review = node;
            if (isBareRequest) {
                bare++;
                HttpResponse<String> asIs = running.validate(client, CorpusDocuments.JSON.writeValueAsBytes(node));
                assertThat(asIs.statusCode()).as(doc.name()).isEqualTo(400);
                assertThat(asIs.body()).as(doc.name()).contains("this is a bare AdmissionRequest; wrap it");
                ObjectNode wrapped = CorpusDocuments.JSON.createObjectNode().put("apiVersion", AdmissionReviewCodec.V1).put("kind", "AdmissionReview");
                wrapped.set("request", node);
                review = wrapped;
            } else {
                reviews++;
            }
            HttpResponse<String> r = running.validate(client, CorpusDocuments.JSON.writeValueAsBytes(review));
            assertThat(r.statusCode()).as("%s: %s", doc.name(), r.body()).isEqualTo(200);
            JsonNode answer = CorpusDocuments.JSON.readTree(r.body());
            assertThat(answer.path("apiVersion").asText()).as(doc.name()).isEqualTo(review.path("apiVersion").asText());
            assertThat(answer.path("kind").asText()).isEqualTo("AdmissionReview");
            assertThat(answer.path("response").path("uid").asText()).as(doc.name()).isEqualTo(review.path("request").path("uid").asText());
            boolean allowed = answer.path("response").path("allowed").asBoolean();
            if (!allowed) {
                assertThat(answer.path("response").path("status").path("message").asText()).as(doc.name()).isNotBlank();
            }
            answers.merge(review.path("request").path("operation").asText() + (allowed ? " allowed" : " denied"), 1, Integer::sum);
        }
        assertThat(reviews).as("full AdmissionReviews in the corpus").isEqualTo(7);
        assertThat(bare).as("bare AdmissionRequests in the corpus").isEqualTo(36);
        assertThat(answers).containsKeys("CREATE allowed", "CREATE denied", "UPDATE allowed", "DELETE allowed", "CONNECT allowed");
    }

    @Test
    void everyWorkloadObjectInEveryManifestGetsADecision() throws Exception {
        ImagePolicyEngine engine = new ImagePolicyEngine(new PolicyParser(true).parse("corpus-policy.yaml", POLICY).policy());
        Map<Decision.Outcome, Integer> outcomes = new TreeMap<>();
        List<String> unreadable = new ArrayList<>();
        int objects = 0;
        for (CorpusDocuments.Document doc : CorpusDocuments.documents()) {
            for (JsonNode object : CorpusDocuments.objects(doc.node())) {
                GroupResource gr = resourceOf(object);
                if (gr == null) {
                    continue;
                }
                objects++;
                AdmissionInput in = new AdmissionInput(AdmissionReviewCodec.V1, "corpus", "CREATE", gr, "", object.path("kind").asText(),
                        "corpus", object.path("metadata").path("name").asText(), true, object, null);
                Decision d = engine.decide(in, ImageFacts.OFFLINE);
                outcomes.merge(d.outcome(), 1, Integer::sum);
                if (d.outcome() == Decision.Outcome.INVALID) {
                    unreadable.add(doc.name() + ": " + d.message());
                }
                if (!d.allowed() && d.outcome() == Decision.Outcome.DENIED) {
                    assertThat(d.message()).contains("is forbidden: ").contains("this image is prohibited by policy: ");
                    assertThat(d.violations()).isNotEmpty().allSatisfy(v -> assertThat(v.field().path()).matches("(spec|template)\\..*(\\.image|\\.from\\.name)"));
                }
            }
        }
        assertThat(unreadable).as("objects the engine could not read").isEmpty();
        assertThat(objects).as("workload objects found in the corpus").isGreaterThan(400);
        assertThat(outcomes).containsKeys(Decision.Outcome.ALLOWED, Decision.Outcome.DENIED, Decision.Outcome.WARNED);
    }

    /** Kinds to resources, as the API server would address them; OpenShift's legacy v1 normalizes like a 3.x request. */
    static GroupResource resourceOf(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText("");
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String resource;
        switch (object.path("kind").asText("")) {
            case "Pod": resource = "pods"; break;
            case "PodTemplate": resource = "podtemplates"; break;
            case "ReplicationController": resource = "replicationcontrollers"; break;
            case "Deployment": resource = "deployments"; break;
            case "ReplicaSet": resource = "replicasets"; break;
            case "StatefulSet": resource = "statefulsets"; break;
            case "DaemonSet": resource = "daemonsets"; break;
            case "Job": resource = "jobs"; break;
            case "CronJob": resource = "cronjobs"; break;
            case "DeploymentConfig": resource = "deploymentconfigs"; break;
            case "Build": resource = "builds"; break;
            case "BuildConfig": resource = "buildconfigs"; break;
            default: return null;
        }
        return org.imagepolicy.webhook.policy.Resources.normalize(GroupResource.of(group, resource));
    }
}
