package org.imagepolicy.webhook.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imagepolicy.webhook.audit.AuditCli.input;
import static org.imagepolicy.webhook.audit.AuditCli.policy;
import static org.imagepolicy.webhook.audit.AuditCli.reference;
import static org.imagepolicy.webhook.audit.AuditCli.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each input form the audit reads, judged as the webhook would judge it, with the position of each image. */
class AuditInputFormsTest {

    private static AuditCli.Run audit(String... inputs) {
        String[] args = new String[6 + inputs.length];
        System.arraycopy(new String[] {"audit", "--policy", policy(), "--offline", "-o", "json"}, 0, args, 0, 6);
        System.arraycopy(inputs, 0, args, 6, inputs.length);
        return run(args);
    }

    @Test
    void emptyDocumentsAreCountedAndTheSummaryAddsUp(@TempDir Path dir) throws Exception {
        String pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: NAME}\nspec:\n  containers:\n  - {name: c, image: docker.io/library/nginx:1}\n";
        Files.writeString(dir.resolve("a-trailing-dashes.yaml"), pod.replace("NAME", "a") + "---\n");
        Files.writeString(dir.resolve("b-trailing-comment.yaml"), pod.replace("NAME", "b") + "--- \n# only a comment\n");
        Files.writeString(dir.resolve("c-only-comments.yaml"), "# nothing but comments\n");
        Files.writeString(dir.resolve("d-two-empty.yaml"), "---\n---\n");
        Files.writeString(dir.resolve("e-empty-file.yaml"), "");
        Files.writeString(dir.resolve("f-crlf.yaml"), (pod.replace("NAME", "f") + "---\n# c\n").replace("\n", "\r\n"));
        AuditCli.Run r = run("audit", "--policy", policy(), "--offline", "-o", "json", dir.toString());
        JsonNode s = r.json().path("summary");
        assertThat(s.path("filesRead").asInt()).as(r.out()).isEqualTo(6);
        assertThat(s.path("filesFailed").asInt()).isZero();
        assertThat(s.path("objectsJudged").asInt()).isEqualTo(3);
        assertThat(s.path("problems").asInt()).isZero();
        // a: 1, b: 1 (a --- and a comment), d: 2, f: 1; c and e hold no document at all (no --- starts one)
        assertThat(s.path("documentsEmpty").asInt()).isEqualTo(5);

        AuditCli.Run table = run("audit", "--policy", policy(), "--offline", dir.toString());
        assertThat(table.out()).contains("3 judged, 0 without images, 0 of kinds not judged; 5 empty documents (only --- or comments)");
    }

    @Test
    void multiDocumentYamlJudgesEachWorkloadAndCountsTheRest() throws Exception {
        AuditCli.Run r = audit(input("multi-document-pod-and-deployment.yaml"));
        JsonNode summary = r.json().path("summary");
        assertThat(summary.path("objectsJudged").asInt()).isEqualTo(2);
        assertThat(summary.path("objectsUnsupported").asInt()).as("the Service").isEqualTo(1);
        JsonNode proxy = reference(r, "quay.io/acme/proxy:2");
        assertThat(proxy.path("outcome").asText()).isEqualTo("fail");
        assertThat(proxy.path("field").asText()).isEqualTo("spec.containers[1].image");
        assertThat(proxy.path("container").asText()).isEqualTo("sidecar");
        assertThat(proxy.path("line").asInt()).isEqualTo(13);
        assertThat(proxy.path("column").asInt()).isEqualTo(12);
        JsonNode migrate = reference(r, "registry.example.com/experimental/migrate:0.1");
        assertThat(migrate.path("outcome").asText()).isEqualTo("warn");
        assertThat(migrate.path("rule").asText()).isEqualTo("no-experimental");
        assertThat(migrate.path("field").asText()).isEqualTo("spec.template.spec.initContainers[0].image");
        assertThat(reference(r, "docker.io/library/nginx:1.27").path("outcome").asText()).isEqualTo("pass");
        assertThat(r.exit()).as("a denied reference fails the run").isEqualTo(1);
    }

    @Test
    void tabIndentedJsonIsReadWithItsPositions() throws Exception {
        AuditCli.Run r = audit(input("job-tab-indented.json"));
        JsonNode ref = reference(r, "ghcr.io/acme/report:7");
        assertThat(ref.path("outcome").asText()).isEqualTo("fail");
        assertThat(ref.path("line").asInt()).isEqualTo(14);
        assertThat(r.json().path("results").get(0).path("kind").asText()).isEqualTo("Job");
    }

    @Test
    void listsAndTypedListsAreUnpacked() throws Exception {
        AuditCli.Run r = audit(input("list-of-pods.yaml"), input("podlist-typed.json"));
        assertThat(reference(r, "docker.io/library/busybox:1.36").path("outcome").asText()).isEqualTo("audit");
        assertThat(reference(r, "redis:7").path("outcome").asText()).isEqualTo("fail");
        assertThat(r.json().path("summary").path("objectsUnsupported").asInt()).as("the ConfigMap with data.image").isEqualTo(1);
    }

    @Test
    void helmTemplateAndKustomizeBuildOutput() throws Exception {
        AuditCli.Run r = audit(input("helm-template-output.yaml"), input("kustomize-build-output.yaml"));
        assertThat(r.references()).hasSize(2).allSatisfy(ref -> assertThat(ref.path("outcome").asText()).isEqualTo("pass"));
        assertThat(reference(r, "registry.example.com/shop/web:1.4").path("line").asInt()).isEqualTo(22);
        assertThat(r.json().path("summary").path("objectsUnsupported").asInt()).isEqualTo(2);
        assertThat(r.exit()).isZero();
    }

    @Test
    void admissionReviewIsJudgedAsItsOperationSays() throws Exception {
        AuditCli.Run r = audit(input("admission-review-pod-update.json"));
        assertThat(r.json().path("results").get(0).path("operation").asText()).isEqualTo("UPDATE");
        assertThat(r.references()).as("an UPDATE judges only the image that changed, as the webhook does")
                .extracting(ref -> ref.path("image").asText()).containsExactly("quay.io/acme/web:2");
    }

    @Test
    void bareAdmissionRequestIsJudged() throws Exception {
        AuditCli.Run r = audit(input("admission-request-bare.json"));
        JsonNode ref = reference(r, "nginx:latest");
        assertThat(ref.path("outcome").asText()).isEqualTo("fail");
        assertThat(ref.path("message").asText()).contains("docker.io/library/nginx:latest");
    }

    @Test
    void templateParametersAreSubstitutedAndUnresolvedOnesAreErrors() throws Exception {
        AuditCli.Run r = audit(input("openshift-template-with-parameters.yaml"));
        assertThat(reference(r, "registry.example.com/shop/web:1.4").path("outcome").asText()).isEqualTo("pass");
        JsonNode cache = reference(r, "${IMAGE_REGISTRY}/cache:1");
        assertThat(cache.path("outcome").asText()).isEqualTo("error");
        assertThat(cache.path("message").asText()).startsWith("unresolved template parameter IMAGE_REGISTRY");
        assertThat(cache.path("line").asInt()).isEqualTo(28);
        assertThat(r.exit()).as("an error is not a denial unless --fail-on error").isZero();
        assertThat(audit(input("openshift-template-with-parameters.yaml")).exit()).isZero();
        AuditCli.Run strict = run("audit", "--policy", policy(), "--offline", "--fail-on", "error", "-o", "json",
                input("openshift-template-with-parameters.yaml"));
        assertThat(strict.exit()).isEqualTo(1);
    }

    @Test
    void templateNonStringParameterBecomesANumber() {
        var positions = new Positions("t.yaml");
        var template = AuditCli.JSON.createObjectNode();
        template.putArray("parameters").addObject().put("name", "REPLICAS").put("value", "3");
        template.putArray("objects").addObject().putObject("spec").put("replicas", "${{REPLICAS}}").put("note", "x-${REPLICAS}-${{REPLICAS}}");
        JsonNode object = TemplateProcessor.process(template, positions).get(0).object();
        assertThat(object.path("spec").path("replicas").isInt() || object.path("spec").path("replicas").isLong()).isTrue();
        assertThat(object.path("spec").path("note").asText()).isEqualTo("x-3-3");
    }

    @Test
    void anchorsMergeKeysAndCrlfKeepImagesAndLines(@TempDir Path dir) throws Exception {
        String yaml = Files.readString(Path.of(input("anchors-and-merge-keys.yaml")));
        Path crlf = dir.resolve("anchors-crlf.yaml");
        Files.writeString(crlf, yaml.replace("\n", "\r\n"));
        for (String file : new String[] {input("anchors-and-merge-keys.yaml"), crlf.toString()}) {
            AuditCli.Run r = audit(file);
            assertThat(reference(r, "docker.io/library/alpine:3.20").path("line").asInt()).isEqualTo(9);
            JsonNode second = reference(r, "quay.io/acme/tool:1");
            assertThat(second.path("container").asText()).as("the merge key brought the anchor's fields, its own name won").isEqualTo("second");
            assertThat(second.path("line").asInt()).isEqualTo(13);
        }
    }

    @Test
    void unparseableFileIsReportedWithLineAndTheRunGoesOn() throws Exception {
        AuditCli.Run r = audit(input("not-valid-yaml.yaml"), input("podlist-typed.json"));
        JsonNode problem = r.json().path("problems").get(0);
        assertThat(problem.path("file").asText()).endsWith("not-valid-yaml.yaml");
        assertThat(problem.path("line").asInt()).isPositive();
        assertThat(problem.path("message").asText()).startsWith("not valid YAML");
        assertThat(r.json().path("summary").path("filesFailed").asInt()).isEqualTo(1);
        assertThat(r.json().path("summary").path("filesRead").asInt()).isEqualTo(1);
        assertThat(reference(r, "redis:7").path("outcome").asText()).isEqualTo("fail");
    }

    @Test
    void brokenJsonIsReportedWithLine(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("truncated.json");
        Files.writeString(bad, "{\n\t\"apiVersion\": \"v1\",\n\t\"kind\": \"Pod\",\n\t\"spec\": {\n");
        AuditCli.Run r = audit(bad.toString());
        JsonNode problem = r.json().path("problems").get(0);
        assertThat(problem.path("message").asText()).startsWith("not valid JSON");
        assertThat(problem.path("line").asInt()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void missingInputIsReportedNotDropped() throws Exception {
        AuditCli.Run r = audit(input("no-such-file.yaml"));
        assertThat(r.json().path("problems").get(0).path("message").asText()).isEqualTo("no such file or directory");
        assertThat(r.json().path("summary").path("filesFailed").asInt()).isEqualTo(1);
    }

    @Test
    void kindlessPatchIsCountedAsNotJudged() throws Exception {
        AuditCli.Run r = audit(input("kindless-patch.yaml"));
        assertThat(r.json().path("summary").path("objectsUnsupported").asInt()).isEqualTo(1);
        assertThat(r.references()).isEmpty();
    }

    @Test
    void standardInput() throws Exception {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(Files.readString(Path.of(input("podlist-typed.json"))).getBytes(StandardCharsets.UTF_8)));
            AuditCli.Run r = audit("-");
            JsonNode ref = reference(r, "redis:7");
            assertThat(ref.path("file").asText()).isEqualTo("-");
            assertThat(ref.path("line").asInt()).isEqualTo(3);
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void directoriesAreReadRecursivelyAndOnlyManifestNames(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("a/b"));
        Files.copy(Path.of(input("podlist-typed.json")), dir.resolve("a/b/pods.json"));
        Files.copy(Path.of(input("list-of-pods.yaml")), dir.resolve("a/list.yml"));
        Files.writeString(dir.resolve("a/README.md"), "image: not read");
        AuditCli.Run r = audit(dir.toString());
        assertThat(r.json().path("summary").path("filesRead").asInt()).isEqualTo(2);
        assertThat(r.references()).hasSize(2);
    }
}
