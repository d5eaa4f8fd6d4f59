package org.imagepolicy.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imagepolicy.webhook.cli.CommandLineTest.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.imagepolicy.webhook.cli.CommandLineTest.Run;
import org.imagepolicy.webhook.testing.Project;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The import policy and the cluster's registry settings through the commands people run: check-policy
 * (with --explain), review and audit, all on the engine serve runs.
 */
class ImportPolicyCommandsTest {
    private static final Path SOURCES = Project.root().resolve("webhook/src/test/resources/policy-sources");

    private static final String IMAGE_STREAM = """
            apiVersion: image.openshift.io/v1
            kind: ImageStream
            metadata:
              name: app
              namespace: shop
            spec:
              lookupPolicy:
                local: false
              tags:
              - name: "1"
                from:
                  kind: DockerImage
                  name: quay.io/org/app:1
                importPolicy: {}
                referencePolicy:
                  type: Source
            """;

    @Test
    void checkPolicyExplainPrintsTheEquivalentImagePolicyConfig() throws Exception {
        Path conf = SOURCES.resolve("registries-conf-v2-blocked-insecure-and-search.conf");
        Run r = run("check-policy", "--explain", conf.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        String golden = Files.readString(SOURCES.resolve("equivalent/registries-conf-v2-blocked-insecure-and-search.yaml"));
        assertThat(r.out()).isEqualTo(conf + ": valid (2 execution rules (0 allow, 2 deny), resolveImages Attempt)\n"
                + "# the ImagePolicyConfig " + conf + " amounts to\n" + golden);
    }

    @Test
    void checkPolicyMergesTheClusterImageConfigurationWithPolicies(@TempDir Path dir) throws Exception {
        Files.copy(SOURCES.resolve("image-config-allowed-registries-insecure-search-and-imports.yaml"), dir.resolve("image-cluster.yaml"));
        Files.copy(Project.root().resolve("policies/openshift-default.yaml"), dir.resolve("openshift-default.yaml"));
        Files.copy(SOURCES.resolve("registries-conf-v1-block-insecure-and-search.conf"), dir.resolve("registries.conf"));
        Run r = run("check-policy", dir.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        // Both name the nodes' search registries, differently: the files of one policy must agree.
        assertThat(r.err()).contains(dir.resolve("registries.conf") + ":12: registries.search.registries: unqualifiedSearchRegistries is"
                + " [registry.access.redhat.com, docker.io] here but [registry.redhat.io, quay.io] in " + dir.resolve("image-cluster.yaml"));
        Files.delete(dir.resolve("registries.conf"));
        Run merged = run("check-policy", dir.toString());
        assertThat(merged.exit()).as(merged.err()).isZero();
        assertThat(merged.out()).contains("valid (3 execution rules (2 allow, 1 deny), resolveImages Attempt, imports from 4 registries)");
    }

    @Test
    void checkPolicyNamesTheExactLineOfEachProblemInAMalformedRegistriesConf(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("registries.conf");
        Files.writeString(conf, """
                # /etc/containers/registries.conf
                unqualified-search-registries = [
                  "registry.access.redhat.com",
                  "docker.io/library",
                ]

                [[registry]]
                location = "quay.io"
                [[registry.mirror]]
                location = "mirror.example.com"

                [[registry]]
                prefix = "registry.untrusted.example.com"
                blocked = true
                blocked = false
                """);
        Run duplicate = run("check-policy", conf.toString());
        assertThat(duplicate.exit()).isEqualTo(2);
        assertThat(duplicate.err()).contains(conf + ":15: invalid TOML: duplicate key \"blocked\" (first set at line 14); set each key once");

        Files.writeString(conf, Files.readString(conf).replace("blocked = false\n", "insecure = \"sometimes\"\n")
                .replace("\"docker.io/library\"", "\"https://docker.io\""));
        Run invalid = run("check-policy", conf.toString());
        assertThat(invalid.exit()).isEqualTo(2);
        assertThat(invalid.err()).contains(conf + ":4: unqualified-search-registries[1]: ").contains(conf + ":15: registry[1].insecure: ");
    }

    @Test
    void checkPolicyExplainsTheDocumentationsFormattingArtefacts() {
        Path json = SOURCES.resolve("installer-image-policy-config-as-documented-with-formatting-artefacts.json");
        Run r = run("check-policy", json.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith(json + ":1: invalid JSON: ").contains("Markdown escape of *");
    }

    @Test
    void reviewDeniesAnImageStreamFromAnotherRegistry(@TempDir Path dir) throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode object = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(IMAGE_STREAM);
        var review = json.createObjectNode();
        review.put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        var request = review.putObject("request");
        request.put("uid", "a1b2");
        request.putObject("kind").put("group", "image.openshift.io").put("version", "v1").put("kind", "ImageStream");
        request.putObject("resource").put("group", "image.openshift.io").put("version", "v1").put("resource", "imagestreams");
        request.put("namespace", "shop").put("name", "app").put("operation", "CREATE");
        request.set("object", object);
        Path file = dir.resolve("request.json");
        Files.write(file, json.writeValueAsBytes(review));
        Run r = run("review", "--offline", "--policy", SOURCES.resolve("master-config-3x-image-policy-and-import-policy.yaml").toString(),
                file.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode response = json.readTree(r.out()).path("response");
        assertThat(response.path("allowed").asBoolean()).isFalse();
        assertThat(response.path("status").path("message").asText())
                .isEqualTo("imagestreams.image.openshift.io \"app\" is forbidden: spec.tags[0].from.name: Forbidden: this image is"
                        + " prohibited by policy: importing \"quay.io/org/app:1\" from registry \"quay.io:443\" is not allowed: images may"
                        + " be imported only from docker.io:443, *.docker.io:443, *.redhat.com:443, my.registry.example.com:443"
                        + " (allowedRegistriesForImport); import from one of these registries, or ask the cluster administrators to add this one");
    }

    @Test
    void auditReportsAnImageStreamAsTheWebhookJudgesIt(@TempDir Path dir) throws Exception {
        Path manifest = dir.resolve("imagestream.yaml");
        Files.writeString(manifest, IMAGE_STREAM);
        Run r = run("audit", "--offline", "-q", "--policy", SOURCES.resolve("installer-image-policy-config-json.json").toString(),
                "-o", "json", manifest.toString());
        JsonNode report = new ObjectMapper().readTree(r.out());
        assertThat(report.toString()).contains("spec.tags[0].from.name").contains("\"fail\"").contains("allowedRegistriesForImport");
    }

    @Test
    void explainAnswersForAnImageStreamImportWithTheWebhooksMessage() {
        String policy = SOURCES.resolve("image-config-allowed-registries-insecure-search-and-imports.yaml").toString();
        Run denied = run("explain", "--offline", "--policy", policy, "--resource", "imagestreamimports", "docker.io/library/nginx:1.25");
        assertThat(denied.exit()).as(denied.err()).isEqualTo(1);
        assertThat(denied.out()).contains("Image \"docker.io/library/nginx:1.25\" in imagestreamimports.image.openshift.io")
                .contains("Decision: DENIED")
                .contains("spec.images[0].from.name: Forbidden: this image is prohibited by policy: importing \"docker.io/library/nginx:1.25\"");
        Run allowed = run("explain", "--offline", "--policy", policy, "--resource", "imagestreams", "quay.io/org/app:1");
        assertThat(allowed.exit()).as(allowed.err()).isZero();
        assertThat(allowed.out()).contains("Decision: ALLOWED").contains("the import policy allows it: images may be imported from"
                + " quay.io:443, registry.redhat.io:443, *.example.com:443, registry.lab.example.net:5000");
        Run none = run("explain", "--offline", "--policy", Project.root().resolve("policies").toString(), "--resource", "imagestreams",
                "quay.io/org/app:1");
        assertThat(none.out()).contains("Decision: SKIPPED").contains("no allowedRegistriesForImport");
    }

    @Test
    void explainAndAuditJudgeImageStreamTagsAndImageTagsAsTheWebhookDoes(@TempDir Path dir) throws Exception {
        String policy = SOURCES.resolve("image-config-allowed-registries-insecure-search-and-imports.yaml").toString();
        Run tag = run("explain", "--offline", "--policy", policy, "--resource", "imagestreamtags", "docker.io/library/nginx:1.25");
        assertThat(tag.exit()).as(tag.err()).isEqualTo(1);
        assertThat(tag.out()).contains("Decision: DENIED")
                .contains("tag.from.name: Forbidden: this image is prohibited by policy: importing \"docker.io/library/nginx:1.25\"");
        Run imageTag = run("explain", "--offline", "--policy", policy, "--resource", "imagetags", "quay.io/org/app:1");
        assertThat(imageTag.exit()).as(imageTag.err()).isZero();
        assertThat(imageTag.out()).contains("Decision: ALLOWED").contains("the import policy allows it");

        Path manifest = dir.resolve("istag.yaml");
        Files.writeString(manifest, """
                apiVersion: image.openshift.io/v1
                kind: ImageStreamTag
                metadata:
                  name: app:1
                  namespace: shop
                tag:
                  name: "1"
                  from:
                    kind: DockerImage
                    name: docker.io/library/nginx:1.25
                  importPolicy: {}
                  referencePolicy:
                    type: Source
                """);
        Run audit = run("audit", "--offline", "-q", "--policy", policy, "-o", "json", manifest.toString());
        assertThat(new ObjectMapper().readTree(audit.out()).toString()).contains("tag.from.name").contains("\"fail\"")
                .contains("allowedRegistriesForImport");
    }
}
