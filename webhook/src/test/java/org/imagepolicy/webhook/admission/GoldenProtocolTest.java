package org.imagepolicy.webhook.admission;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.imagepolicy.webhook.load.PolicyFiles;
import org.imagepolicy.webhook.testing.Golden;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Each {@code golden/<case>/request.json} decided offline must give exactly {@code response.json}. */
class GoldenProtocolTest {

    @TestFactory
    Stream<DynamicTest> everyGoldenCase() throws Exception {
        ImagePolicyEngine engine = new ImagePolicyEngine(PolicyFiles.load(java.util.List.of(Golden.DIR.resolve("policy.yaml")), true).policy());
        return Golden.cases().stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> {
            AdmissionInput in = AdmissionReviewCodec.decode(Files.readAllBytes(dir.resolve("request.json")));
            byte[] answer = AdmissionReviewCodec.encode(in.apiVersion(), in.uid(), engine.decide(in, ImageFacts.OFFLINE));
            Golden.assertMatches(dir.resolve("response.json"), answer);
        }));
    }

    @TestFactory
    Stream<DynamicTest> aDryRunGetsTheSameAnswer() throws Exception {
        ImagePolicyEngine engine = new ImagePolicyEngine(PolicyFiles.load(java.util.List.of(Golden.DIR.resolve("policy.yaml")), true).policy());
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        return Golden.cases().stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> {
            com.fasterxml.jackson.databind.node.ObjectNode review =
                    (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(dir.resolve("request.json").toFile());
            ((com.fasterxml.jackson.databind.node.ObjectNode) review.get("request")).put("dryRun", true);
            AdmissionInput in = AdmissionReviewCodec.decode(json.writeValueAsBytes(review));
            org.assertj.core.api.Assertions.assertThat(in.dryRun()).isTrue();
            Golden.assertMatches(dir.resolve("response.json"),
                    AdmissionReviewCodec.encode(in.apiVersion(), in.uid(), engine.decide(in, ImageFacts.OFFLINE)));
        }));
    }

    @org.junit.jupiter.api.Test
    void aDenialListsAtMostFiftyReferencesAndSaysHowManyMore() throws Exception {
        ImagePolicyEngine engine = new ImagePolicyEngine(PolicyFiles.load(java.util.List.of(Golden.DIR.resolve("policy.yaml")), true).policy());
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode tree = mapper.readTree(request("pod-from-quay-denied").toFile());
        com.fasterxml.jackson.databind.node.ArrayNode containers = ((com.fasterxml.jackson.databind.node.ObjectNode) tree.path("request")
                .path("object").path("spec")).putArray("containers");
        for (int i = 0; i < 120; i++) {
            containers.addObject().put("name", "c" + i).put("image", "quay.io/org/app:" + i);
        }
        String review = mapper.writeValueAsString(tree);
        AdmissionInput in = AdmissionReviewCodec.decode(review.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Decision d = engine.decide(in, ImageFacts.OFFLINE);
        org.assertj.core.api.Assertions.assertThat(d.violations()).hasSize(120);
        org.assertj.core.api.Assertions.assertThat(d.message()).contains("spec.containers[49].image").doesNotContain("spec.containers[50].image")
                .endsWith("and 70 more references denied for the same kinds of reasons]");
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(AdmissionReviewCodec.encode(in.apiVersion(), in.uid(), d));
        org.assertj.core.api.Assertions.assertThat(json.path("response").path("status").path("details").path("causes")).hasSize(50);
    }

    static Path request(String name) {
        return Golden.DIR.resolve(name).resolve("request.json");
    }
}
