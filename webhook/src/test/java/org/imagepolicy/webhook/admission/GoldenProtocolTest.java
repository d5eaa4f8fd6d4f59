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

    static Path request(String name) {
        return Golden.DIR.resolve(name).resolve("request.json");
    }
}
