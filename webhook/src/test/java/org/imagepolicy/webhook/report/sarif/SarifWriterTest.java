package org.imagepolicy.webhook.report.sarif;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.imagepolicy.webhook.report.Location;
import org.imagepolicy.webhook.report.ObjectResult;
import org.imagepolicy.webhook.report.ReferenceResult;
import org.imagepolicy.webhook.report.ReportFixtures;
import org.imagepolicy.webhook.report.ReportSchemas;
import org.imagepolicy.webhook.testing.Golden;
import org.junit.jupiter.api.Test;

class SarifWriterTest {
    static final Path GOLDEN = Golden.DIR.resolveSibling("reports");
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode render(ReportFixtures.Run run) throws IOException {
        StringWriter out = new StringWriter();
        run.replay(new SarifWriter(out, SarifOptions.defaults()));
        return JSON.readTree(out.toString());
    }

    @Test
    void auditMatchesGoldenAndTheSarifSchema() throws IOException {
        JsonNode log = render(ReportFixtures.auditTwoNamespacesAndUnnamespacedPod());
        Golden.assertMatches(GOLDEN.resolve("audit-two-namespaces-and-unnamespaced-pod.sarif.json"),
                JSON.writeValueAsBytes(log));
        assertThat(ReportSchemas.validateSarif(log)).isEmpty();
        assertGitHubAccepts(log);
    }

    @Test
    void diffMatchesGoldenAndTheSarifSchema() throws IOException {
        JsonNode log = render(ReportFixtures.diffNewlyDeniedAllowedAndChanged());
        Golden.assertMatches(GOLDEN.resolve("diff-newly-denied-allowed-and-changed.sarif.json"), JSON.writeValueAsBytes(log));
        assertThat(ReportSchemas.validateSarif(log)).isEmpty();
        assertGitHubAccepts(log);
        // only the three references whose verdict moved; the unchanged busybox denial is not repeated
        assertThat(log.at("/runs/0/results").findValuesAsText("text"))
                .hasSize(3)
                .anyMatch(t -> t.startsWith("Deployment shop/web, spec.template.spec.containers[0].image: newly denied: "))
                .anyMatch(t -> t.contains("newly allowed: "))
                .anyMatch(t -> t.contains("reason changed (was audit): "));
    }

    @Test
    void oneReportingRulePerPolicyRuleWithHelp() throws IOException {
        JsonNode rules = render(ReportFixtures.auditTwoNamespacesAndUnnamespacedPod()).at("/runs/0/tool/driver/rules");
        List<String> ids = new ArrayList<>();
        rules.forEach(r -> ids.add(r.path("id").asText()));
        assertThat(ids).containsExactly("trusted-registries", "no-experimental", "legacy-registry", "resolve-corp-images",
                "image-policy-webhook/policy", "image-policy-webhook/input");
        JsonNode warn = rules.get(1);
        assertThat(warn.at("/help/text").asText()).isEqualTo("move the image out of the experimental repository before release");
        assertThat(warn.at("/defaultConfiguration/level").asText()).isEqualTo("warning");
        assertThat(warn.at("/fullDescription/text").asText()).contains("deny rule, enforcement: Warn");
    }

    @Test
    void resultsAreAtTheImageValueWithLevelsFromOutcomes() throws IOException {
        JsonNode results = render(ReportFixtures.auditTwoNamespacesAndUnnamespacedPod()).at("/runs/0/results");
        // 5 fails + 1 warn + 2 audits + 1 error + the unjudged object + the input problem; passes and skips are not alerts
        assertThat(results).hasSize(11);
        JsonNode agent = results.get(0);
        assertThat(agent.path("ruleId").asText()).isEqualTo("image-policy-webhook/policy");
        assertThat(agent.path("level").asText()).isEqualTo("error");
        assertThat(agent.at("/locations/0/physicalLocation/artifactLocation/uri").asText()).isEqualTo("deploy/shop.yaml");
        assertThat(agent.at("/locations/0/physicalLocation/region").toString()).isEqualTo("{\"startLine\":20,\"startColumn\":16}");
        assertThat(agent.at("/properties/image").asText()).isEqualTo("quay.io/org/agent:2");
        List<String> levels = new ArrayList<>();
        results.forEach(r -> levels.add(r.path("ruleId").asText() + "=" + r.path("level").asText()));
        assertThat(levels).contains("no-experimental=warning", "legacy-registry=note", "resolve-corp-images=error",
                "image-policy-webhook/input=error");
    }

    @Test
    void fingerprintsSurviveMovedLinesButNotAnotherField() throws IOException {
        ReportFixtures.Run run = ReportFixtures.auditTwoNamespacesAndUnnamespacedPod();
        List<Object> moved = new ArrayList<>();
        for (Object e : run.events()) {
            if (e instanceof ObjectResult o) {
                List<ReferenceResult> refs = o.references().stream().map(r -> new ReferenceResult(r.fieldPath(), r.container(), r.image(),
                        new Location(r.location().file(), r.location().line() + 40, r.location().column()), r.outcome(), r.rule(), r.message()))
                        .toList();
                moved.add(new ObjectResult(o.location(), o.object(), o.operation(), refs, o.error()));
            } else {
                moved.add(e);
            }
        }
        List<String> before = render(run).at("/runs/0/results").findValuesAsText(SarifWriter.FINGERPRINT);
        List<String> after = render(new ReportFixtures.Run(run.info(), moved, run.summary())).at("/runs/0/results")
                .findValuesAsText(SarifWriter.FINGERPRINT);
        assertThat(after).isEqualTo(before);
        assertThat(new HashSet<>(before)).as("every alert its own fingerprint").hasSize(before.size());
    }

    @Test
    void pathsAreUriReferences() {
        assertThat(SarifWriter.encodePath("deploy/my app/über.yaml")).isEqualTo("deploy/my%20app/%C3%BCber.yaml");
    }

    /** The schema check can fail: a level SARIF does not define is caught. */
    @Test
    void theSchemaCheckRejectsAnUnknownLevel() throws IOException {
        JsonNode log = render(ReportFixtures.auditTwoNamespacesAndUnnamespacedPod()).deepCopy();
        ((ObjectNode) log.at("/runs/0/results/0")).put("level", "fatal");
        assertThat(ReportSchemas.validateSarif(log)).isNotEmpty();
    }

    /**
     * What GitHub's SARIF ingestion requires beyond the schema (docs.github.com, "SARIF support for code
     * scanning"): a named driver, rule ids that results reference, a message, a location with a relative
     * path and a 1-based line, levels it knows, fingerprints, at most 20 runs and 25,000 results per run.
     */
    static void assertGitHubAccepts(JsonNode log) {
        assertThat(log.path("version").asText()).isEqualTo("2.1.0");
        assertThat(log.path("runs").size()).isBetween(1, 20);
        JsonNode run = log.at("/runs/0");
        assertThat(run.at("/tool/driver/name").asText()).isNotBlank();
        Set<String> ruleIds = new HashSet<>();
        for (JsonNode rule : run.at("/tool/driver/rules")) {
            assertThat(ruleIds.add(rule.path("id").asText())).as("rule ids are unique").isTrue();
            assertThat(rule.at("/shortDescription/text").asText()).isNotBlank();
            assertThat(rule.at("/fullDescription/text").asText()).isNotBlank();
            assertThat(rule.at("/help/text").asText()).isNotBlank();
        }
        assertThat(run.path("results").size()).isLessThanOrEqualTo(25_000);
        for (JsonNode r : run.path("results")) {
            assertThat(ruleIds).contains(r.path("ruleId").asText());
            assertThat(run.at("/tool/driver/rules/" + r.path("ruleIndex").asInt() + "/id").asText()).isEqualTo(r.path("ruleId").asText());
            assertThat(r.path("level").asText()).isIn("error", "warning", "note");
            assertThat(r.at("/message/text").asText()).isNotBlank();
            JsonNode physical = r.at("/locations/0/physicalLocation");
            String uri = physical.at("/artifactLocation/uri").asText();
            assertThat(uri).isNotBlank().doesNotStartWith("./").doesNotContain("\\");
            assertThat(uri.getBytes(StandardCharsets.US_ASCII)).hasSize(uri.length());
            assertThat(physical.at("/region/startLine").asInt()).isPositive();
            assertThat(r.at("/partialFingerprints/" + SarifWriter.FINGERPRINT.replace("/", "~1")).asText()).hasSize(64);
        }
        assertThat(run.at("/automationDetails/id").asText()).endsWith("/");
    }
}
