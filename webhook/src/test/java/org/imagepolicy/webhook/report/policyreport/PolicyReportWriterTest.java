package org.imagepolicy.webhook.report.policyreport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.imagepolicy.webhook.report.ReportFixtures;
import org.imagepolicy.webhook.report.ReportSchemas;
import org.imagepolicy.webhook.testing.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PolicyReportWriterTest {
    static final Path GOLDEN = Golden.DIR.resolveSibling("reports");

    static String render(ReportFixtures.Run run, PolicyReportOptions options) throws IOException {
        StringWriter out = new StringWriter();
        run.replay(new PolicyReportWriter(out, options));
        return out.toString();
    }

    static List<JsonNode> documents(String yaml) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        new YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(yaml).forEachRemaining(docs::add);
        return docs;
    }

    static void assertValid(ReportApi api, List<JsonNode> docs) throws IOException {
        boolean wg = api == ReportApi.WGPOLICY;
        JsonNode namespaced = ReportSchemas.crdSchema(wg ? "wgpolicyk8s.io_policyreports.v1alpha2.crd.yaml"
                : "openreports.io_reports.v1alpha1.crd.yaml", wg ? "v1alpha2" : "v1alpha1");
        JsonNode cluster = ReportSchemas.crdSchema(wg ? "wgpolicyk8s.io_clusterpolicyreports.v1alpha2.crd.yaml"
                : "openreports.io_clusterreports.v1alpha1.crd.yaml", wg ? "v1alpha2" : "v1alpha1");
        for (JsonNode doc : docs) {
            assertThat(doc.path("apiVersion").asText()).isEqualTo(api.apiVersion());
            boolean isCluster = doc.path("kind").asText().equals(api.clusterKind());
            assertThat(isCluster || doc.path("kind").asText().equals(api.namespacedKind())).isTrue();
            assertThat(doc.path("metadata").has("namespace")).as("only namespaced reports name a namespace").isEqualTo(!isCluster);
            assertThat(ReportSchemas.validateCustomResource(isCluster ? cluster : namespaced, doc))
                    .as("%s %s against its CRD", doc.path("kind").asText(), doc.path("metadata").path("namespace").asText()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(ReportApi.class)
    void auditMatchesGoldenAndEveryReportIsValidAgainstItsCrd(ReportApi api) throws IOException {
        String yaml = render(ReportFixtures.auditTwoNamespacesAndUnnamespacedPod(), PolicyReportOptions.of(api));
        Golden.assertTextMatches(GOLDEN.resolve("audit-two-namespaces-and-unnamespaced-pod." + api.name().toLowerCase() + ".yaml"), yaml);
        assertValid(api, documents(yaml));
    }

    @Test
    void diffMatchesGoldenAndIsValid() throws IOException {
        String yaml = render(ReportFixtures.diffNewlyDeniedAllowedAndChanged(), PolicyReportOptions.defaults());
        Golden.assertTextMatches(GOLDEN.resolve("diff-newly-denied-allowed-and-changed.wgpolicy.yaml"), yaml);
        List<JsonNode> docs = documents(yaml);
        assertValid(ReportApi.WGPOLICY, docs);
        JsonNode nginx = find(docs, "shop", "docker.io/library/nginx:1.27");
        assertThat(nginx.path("result").asText()).isEqualTo("fail");
        assertThat(nginx.path("properties").path("change").asText()).isEqualTo("newly-denied");
        assertThat(nginx.path("properties").path("previousOutcome").asText()).isEqualTo("pass");
        assertThat(nginx.path("properties").path("previousRule").asText()).isEqualTo("trusted-registries");
    }

    @Test
    void oneReportPerNamespaceThenTheClusterReport() throws IOException {
        List<JsonNode> docs = documents(render(ReportFixtures.auditTwoNamespacesAndUnnamespacedPod(), PolicyReportOptions.defaults()));
        assertThat(docs).extracting(d -> d.path("kind").asText() + " " + d.path("metadata").path("namespace").asText(""))
                .containsExactly("PolicyReport kube-system", "PolicyReport payments", "PolicyReport shop", "ClusterPolicyReport ");
        Map<String, JsonNode> byNs = docs.stream().collect(Collectors.toMap(d -> d.path("metadata").path("namespace").asText(""), d -> d));
        assertThat(byNs.get("shop").path("summary").toString()).isEqualTo("{\"pass\":1,\"fail\":3,\"warn\":1,\"error\":1,\"skip\":0}");
        // audit outcomes are fail results of low severity, as Kyverno reports Audit-mode policies
        assertThat(byNs.get("payments").path("summary").toString()).isEqualTo("{\"pass\":0,\"fail\":3,\"warn\":0,\"error\":1,\"skip\":0}");
        assertThat(byNs.get("kube-system").path("summary").path("skip").asInt()).isEqualTo(1);
        // the pod with no namespace and the unreadable file
        assertThat(byNs.get("").path("summary").toString()).isEqualTo("{\"pass\":0,\"fail\":1,\"warn\":0,\"error\":1,\"skip\":0}");
        for (JsonNode doc : docs) {
            assertThat(doc.path("metadata").path("name").asText()).isEqualTo("image-policy-webhook");
            for (JsonNode r : doc.path("results")) {
                assertThat(r.path("source").asText()).isEqualTo("image-policy-webhook");
                assertThat(r.path("category").asText()).isEqualTo("Image Policy");
                assertThat(r.path("timestamp").toString()).isEqualTo("{\"seconds\":1796030130,\"nanos\":123456789}");
            }
        }
    }

    @Test
    void resultsCarryWhatDashboardsKeyOn() throws IOException {
        List<JsonNode> docs = documents(render(ReportFixtures.auditTwoNamespacesAndUnnamespacedPod(), PolicyReportOptions.defaults()));
        JsonNode agent = find(docs, "shop", "quay.io/org/agent:2");
        assertThat(agent.path("policy").asText()).isEqualTo("image-policy");
        assertThat(agent.path("severity").asText()).isEqualTo("high");
        assertThat(agent.path("resources").get(0).toString())
                .isEqualTo("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"namespace\":\"shop\",\"name\":\"web\"}");
        assertThat(agent.path("properties").path("container").asText()).isEqualTo("agent");
        assertThat(agent.path("properties").path("fieldPath").asText()).isEqualTo("spec.template.spec.containers[1].image");
        assertThat(agent.path("properties").path("location").asText()).isEqualTo("deploy/shop.yaml:20:16");
        JsonNode warn = find(docs, "shop", "quay.io/myorg/experimental/migrate:0.3");
        assertThat(warn.path("policy").asText()).isEqualTo("no-experimental");
        assertThat(warn.path("severity").asText()).isEqualTo("medium");
        assertThat(warn.path("properties").path("enforcement").asText()).isEqualTo("Warn");
        JsonNode audit = find(docs, "payments", "registry.legacy.example.com/pay/old:1");
        assertThat(audit.path("result").asText()).isEqualTo("fail");
        assertThat(audit.path("severity").asText()).isEqualTo("low");
        assertThat(audit.path("properties").path("outcome").asText()).isEqualTo("audit");
    }

    @Test
    void passesCanBeLeftOut() throws IOException {
        PolicyReportOptions noPasses = new PolicyReportOptions(ReportApi.WGPOLICY, "image-policy-webhook", "image-policy-webhook", false);
        List<JsonNode> docs = documents(render(ReportFixtures.auditTwoNamespacesAndUnnamespacedPod(), noPasses));
        assertThat(docs.stream().flatMap(d -> d.path("results").valueStream()).filter(r -> r.path("result").asText().equals("pass"))).isEmpty();
    }

    /** The checks above can fail: a stray field and a string timestamp are both caught. */
    @Test
    void theSchemaCheckRejectsUndeclaredFieldsAndStringTimestamps() throws IOException {
        List<JsonNode> docs = documents(render(ReportFixtures.auditTwoNamespacesAndUnnamespacedPod(), PolicyReportOptions.defaults()));
        ObjectNode doc = (ObjectNode) docs.get(0).deepCopy();
        ((ObjectNode) doc.path("results").get(0)).put("image", "nginx");
        ((ObjectNode) doc.path("results").get(0)).put("timestamp", "2026-11-30T09:15:30Z");
        List<String> problems = ReportSchemas.validateCustomResource(
                ReportSchemas.crdSchema("wgpolicyk8s.io_policyreports.v1alpha2.crd.yaml", "v1alpha2"), doc);
        assertThat(problems).anyMatch(p -> p.contains(".results[0].image")).anyMatch(p -> p.contains("timestamp"));
    }

    @Test
    void reportApiOptionSpelling() {
        assertThat(ReportApi.parse("openreports")).isEqualTo(ReportApi.OPENREPORTS);
        assertThat(ReportApi.parse("WGPolicy")).isEqualTo(ReportApi.WGPOLICY);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReportApi.parse("v1beta1"))
                .hasMessageContaining("use wgpolicy or openreports");
    }

    static JsonNode find(List<JsonNode> docs, String namespace, String image) {
        return docs.stream().filter(d -> namespace.equals(d.path("metadata").path("namespace").asText("")))
                .flatMap(d -> d.path("results").valueStream())
                .filter(r -> image.equals(r.path("properties").path("image").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no result for " + image + " in " + namespace));
    }
}
