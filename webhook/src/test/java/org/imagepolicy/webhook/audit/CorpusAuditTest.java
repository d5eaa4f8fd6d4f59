package org.imagepolicy.webhook.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.imagepolicy.webhook.testing.Project;
import org.junit.jupiter.api.Test;

/**
 * {@code audit} over every file of {@code shared/corpus}, checked against a count made with another
 * parser (Jackson's YAML and JSON readers): every file read or reported, every object accounted for
 * exactly once, every workload that names an image judged, no crash.
 */
class CorpusAuditTest {
    private static final Set<String> POD_SPEC_KINDS = Set.of("Pod", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job",
            "ReplicationController", "CronJob", "DeploymentConfig");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void wholeCorpus() throws Exception {
        Path corpus = Project.shared().resolve("corpus");
        List<Path> files;
        try (Stream<Path> s = Files.walk(corpus)) {
            files = s.filter(Files::isRegularFile).filter(InputFiles::manifestName).sorted().toList();
        }
        assertThat(files).as("the corpus README promises 541 files").hasSize(541);

        AuditCli.Run r = AuditCli.run("audit", "--policy", Project.root().resolve("policies").toString(), "--offline", "-o", "json",
                corpus.toString());
        assertThat(r.exit()).as(r.err()).isIn(0, 1);
        assertThat(r.err()).doesNotContain("Exception");
        JsonNode report = r.json();
        JsonNode summary = report.path("summary");

        assertThat(summary.path("filesRead").asInt() + summary.path("filesFailed").asInt()).isEqualTo(files.size());
        for (JsonNode p : report.path("problems")) {
            assertThat(p.path("file").asText()).as("a problem names its file").startsWith(corpus.toString());
        }
        int failedFiles = (int) report.path("problems").findValuesAsText("message").stream().filter(m -> m.startsWith("not valid")).count();
        assertThat(summary.path("filesFailed").asInt()).isEqualTo(failedFiles);

        int expectedObjects = 0;
        int emptyDocuments = 0;
        int reviewProblems = 0;
        Map<String, Integer> workloadsWithImages = new HashMap<>();
        for (Path file : files) {
            ObjectMapper mapper = file.toString().endsWith(".json") ? AuditCli.JSON : YAML;
            try (MappingIterator<JsonNode> it = mapper.readerFor(JsonNode.class).readValues(file.toFile())) {
                while (it.hasNextValue()) {
                    JsonNode doc = it.nextValue();
                    if (doc == null || doc.isNull() || doc.isMissingNode()) {
                        emptyDocuments++;
                        continue;
                    }
                    expectedObjects += objects(doc, file.toString(), workloadsWithImages);
                }
            }
        }
        for (JsonNode p : report.path("problems")) {
            if (p.path("message").asText().startsWith("cannot judge this admission request")) {
                reviewProblems++;
            }
        }
        int accounted = summary.path("objectsJudged").asInt() + summary.path("objectsWithoutImages").asInt()
                + summary.path("objectsUnsupported").asInt() + reviewProblems;
        assertThat(accounted).as("judged + without images + unsupported + unreadable reviews = every object").isEqualTo(expectedObjects);
        assertThat(summary.path("documentsEmpty").asInt()).as("empty documents (a trailing ---), counted, not dropped")
                .isEqualTo(emptyDocuments).isPositive();

        Map<String, Integer> judgedPerFile = new HashMap<>();
        int references = 0;
        for (JsonNode result : report.path("results")) {
            if (POD_SPEC_KINDS.contains(result.path("kind").asText()) && "CREATE".equals(result.path("operation").asText())) {
                judgedPerFile.merge(result.path("file").asText(), 1, Integer::sum);
            }
            for (JsonNode ref : result.path("references")) {
                references++;
                assertThat(ref.path("file").asText()).isEqualTo(result.path("file").asText());
                assertThat(ref.path("line").asInt()).as("position of %s", ref).isPositive();
            }
        }
        Map<String, String> differences = new java.util.TreeMap<>();
        for (String f : new java.util.TreeSet<>(java.util.Set.copyOf(concat(judgedPerFile.keySet(), workloadsWithImages.keySet())))) {
            if (!java.util.Objects.equals(judgedPerFile.get(f), workloadsWithImages.get(f))) {
                differences.put(f, "judged " + judgedPerFile.get(f) + ", expected " + workloadsWithImages.get(f));
            }
        }
        assertThat(differences).as("every workload that names an image is judged").isEmpty();
        int outcomes = 0;
        for (JsonNode n : summary.path("references")) {
            outcomes += n.asInt();
        }
        assertThat(outcomes).isEqualTo(references);
    }

    private static List<String> concat(Set<String> a, Set<String> b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** Objects as the audit unpacks them: lists and templates hold objects, reviews and requests hold one. */
    private static int objects(JsonNode doc, String file, Map<String, Integer> workloadsWithImages) {
        if (!doc.isObject()) {
            return 0;
        }
        String kind = doc.path("kind").asText("");
        if (kind.endsWith("List") && doc.path("items").isArray()) {
            int n = 0;
            for (JsonNode item : doc.path("items")) {
                n += objects(item, file, workloadsWithImages);
            }
            return n;
        }
        if (kind.equals("Template") && doc.path("objects").isArray()) {
            int n = 0;
            for (JsonNode item : doc.path("objects")) {
                n += objects(item, file, workloadsWithImages);
            }
            return n;
        }
        JsonNode request = kind.equals("AdmissionReview") ? doc.path("request") : doc.has("operation") && doc.has("resource") ? doc : null;
        if (request != null) {
            // a review or bare request: judged as its operation says; count its CREATEs of workloads
            JsonNode gvk = request.path("kind");
            String apiVersion = gvk.path("group").asText("").isEmpty() ? "v1" : gvk.path("group").asText() + "/v1";
            if ("CREATE".equals(request.path("operation").asText()) && POD_SPEC_KINDS.contains(gvk.path("kind").asText())
                    && supportedGroup(apiVersion, gvk.path("kind").asText()) && hasContainerImage(request.path("object"))) {
                workloadsWithImages.merge(file, 1, Integer::sum);
            }
        } else if (POD_SPEC_KINDS.contains(kind) && supportedGroup(doc.path("apiVersion").asText(""), kind) && hasContainerImage(doc)) {
            workloadsWithImages.merge(file, 1, Integer::sum);
        }
        return 1;
    }

    private static boolean supportedGroup(String apiVersion, String kind) {
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        return switch (kind) {
            case "Pod", "ReplicationController" -> group.isEmpty();
            case "Deployment", "ReplicaSet", "DaemonSet" -> group.equals("apps") || group.equals("extensions");
            case "StatefulSet" -> group.equals("apps");
            case "Job", "CronJob" -> group.equals("batch");
            case "DeploymentConfig" -> group.isEmpty() || group.equals("apps.openshift.io");
            default -> false;
        };
    }

    private static boolean hasContainerImage(JsonNode doc) {
        boolean deploymentConfig = "DeploymentConfig".equals(doc.path("kind").asText());
        for (String key : new String[] {"containers", "initContainers"}) {
            for (JsonNode list : doc.findValues(key)) {
                for (JsonNode c : list) {
                    // " " in a DeploymentConfig is the placeholder its ImageChange trigger fills in: the engine skips those
                    // containers (a Deployment's " " is judged, and denied as no image)
                    if (c.path("image").isTextual() && (!deploymentConfig || !c.path("image").textValue().isBlank())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
