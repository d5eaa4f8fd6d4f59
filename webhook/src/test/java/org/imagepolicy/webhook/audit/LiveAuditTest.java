package org.imagepolicy.webhook.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.imagepolicy.webhook.admission.AdmissionInput;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.image.ImageLookup;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.load.PolicyFiles;
import org.imagepolicy.webhook.registry.credentials.CredentialSource;
import org.imagepolicy.webhook.registry.credentials.PullCredentials;
import org.imagepolicy.webhook.report.ReportFormats;
import org.imagepolicy.webhook.report.ReportOptions;
import org.imagepolicy.webhook.report.RunInfo;
import org.imagepolicy.webhook.server.RequestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit of listed objects ({@code audit --cluster}) without a cluster: what the request context says
 * for each object reaches the engine (exempted rules) and the lookups (its own credentials, asked once per
 * set of credentials), and the progress line counts kinds and objects.
 */
class LiveAuditTest {
    @TempDir
    java.nio.file.Path dir;

    static JsonNode pod(String namespace, String name, String image) throws Exception {
        return AuditCli.JSON.readTree("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"namespace\":\"" + namespace + "\",\"name\":\""
                + name + "\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"" + image + "\"}]}}");
    }

    @Test
    void eachObjectIsJudgedWithItsContextAndTheLineCountsKindsAndObjects() throws Exception {
        java.nio.file.Path policy = java.nio.file.Files.writeString(dir.resolve("p.yaml"), """
                apiVersion: v1
                kind: ImagePolicyConfig
                executionRules:
                - name: approved
                  onResources: [{resource: pods}]
                  matchDockerImageLabels: [{key: approved, value: "true"}]
                """);
        ImagePolicyEngine engine = new ImagePolicyEngine(PolicyFiles.load(List.of(policy), true).policy());
        List<String> asked = new ArrayList<>();
        Lookups lookups = new Lookups() {
            @Override
            public java.util.Map<ImageLookup, Resolution> resolve(List<ImageLookup> group) {
                throw new AssertionError("every lookup here has an object's own credentials");
            }

            @Override
            public java.util.Map<ImageLookup, Resolution> resolve(List<ImageLookup> group, PullCredentials credentials) {
                asked.add(credentials.identity() + " " + group.size());
                java.util.Map<ImageLookup, Resolution> out = new java.util.HashMap<>();
                group.forEach(l -> out.put(l, new Resolution.Failed("cannot read with " + credentials.identity())));
                return out;
            }
        };
        RequestContext context = new RequestContext() {
            @Override
            public Set<String> excludedRules(AdmissionInput in) {
                return in.namespace().equals("relaxed") ? Set.of("approved") : Set.of();
            }

            @Override
            public PullCredentials credentials(AdmissionInput in) {
                return new PullCredentials(CredentialSource.anonymous(), "tenant-" + in.namespace(), List.of());
            }

            @Override
            public boolean ready() {
                return true;
            }
        };
        List<JsonNode> pods = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pods.add(pod("team-a", "web-" + i, "registry.example.com/app:1"));
            pods.add(pod("relaxed", "web-" + i, "registry.example.com/app:1"));
        }
        LiveObjects cluster = sink -> {
            for (JsonNode p : pods) {
                sink.object("/api/v1/namespaces/" + p.path("metadata").path("namespace").asText() + "/pods/"
                        + p.path("metadata").path("name").asText(), p);
            }
            try {
                Thread.sleep(1_100); // the line stays quiet for the first second
            } catch (InterruptedException e) {
                throw new java.io.IOException(e);
            }
            sink.progress(1, 11, 6);
        };
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        AuditResult result = new AuditRun(engine, null, lookups, new PrintStream(progress, true, StandardCharsets.UTF_8)).run(
                new RunInfo("audit", "p.yaml", null, RuleCatalog.of(engine.policy(), null), Instant.EPOCH, "test"), cluster, context,
                ReportFormats.create("json", report, new ReportOptions(false, ReportOptions.WGPOLICY)));

        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("audit: 1/11 kinds, 6 objects");
        assertThat(asked).as("one group for team-a's credentials; relaxed exempts the only rule that needs a lookup")
                .containsExactly("tenant-team-a 1");
        assertThat(result.summary().objectsJudged()).isEqualTo(6);
        JsonNode json = AuditCli.JSON.readTree(report.toByteArray());
        for (JsonNode r : json.path("results")) {
            JsonNode ref = r.path("references").get(0);
            assertThat(ref.path("outcome").asText()).as(r.toString()).isEqualTo("fail");
            // As upstream, an exempted allow rule leaves pods default-denied, now without a rule that needs the image.
            assertThat(ref.path("message").asText()).as(r.toString()).contains(r.path("namespace").asText().equals("relaxed")
                    ? "resolution is off for pods" : "cannot read with tenant-team-a");
            assertThat(r.toString()).contains("/api/v1/namespaces/" + r.path("namespace").asText() + "/pods/");
        }
    }
}
