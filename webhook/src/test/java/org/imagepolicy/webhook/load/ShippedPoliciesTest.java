package org.imagepolicy.webhook.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.imagepolicy.webhook.admission.AdmissionReviewCodec;
import org.imagepolicy.webhook.admission.Decision;
import org.imagepolicy.webhook.admission.ImageFacts;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.policy.ImagePolicy;
import org.imagepolicy.webhook.policy.ResolutionType;
import org.imagepolicy.webhook.testing.Golden;
import org.imagepolicy.webhook.testing.Project;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every file in {@code policies/} loads under --strict, starts with a comment header, and does what its header says. */
class ShippedPoliciesTest {
    static final Path POLICIES = Project.root().resolve("policies");

    static Decision pod(ImagePolicy policy, String image) throws Exception {
        byte[] review = Files.readString(Golden.DIR.resolve("pod-from-quay-denied/request.json")).replace("quay.io/org/app:1", image)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new ImagePolicyEngine(policy).decide(AdmissionReviewCodec.decode(review), ImageFacts.OFFLINE);
    }

    @TestFactory
    Stream<DynamicTest> everyFileLoadsStrictlyAndExplainsItself() throws IOException {
        try (Stream<Path> files = Files.walk(POLICIES)) {
            // Suites (tests/) and the editor schema live beside the policies but are not policies.
            List<Path> all = files.filter(p -> p.toString().matches(".*\\.(ya?ml|json)$"))
                    .filter(p -> !POLICIES.relativize(p).toString().matches("(.*/)?tests/.*") && !p.toString().endsWith(".schema.json"))
                    .sorted().toList();
            assertThat(all).hasSizeGreaterThanOrEqualTo(5);
            return all.stream().map(file -> DynamicTest.dynamicTest(POLICIES.relativize(file).toString(), () -> {
                assertThat(Files.readString(file)).startsWith("# ");
                assertThat(PolicyFiles.load(List.of(file), true).warnings()).isEmpty();
            }));
        }
    }

    @Test
    void theDefaultDirectoryAllowsTrustedRegistriesAndDeniesOthers() throws Exception {
        ImagePolicy policy = PolicyFiles.load(List.of(POLICIES), true).policy();
        assertThat(policy.executionRules()).extracting(r -> r.name()).containsExactly("execution-denied", "allow-images-from-other-registries");
        assertThat(pod(policy, "docker.io/library/nginx:1.25").allowed()).isTrue();
        assertThat(pod(policy, "registry.access.redhat.com/ubi9/ubi:latest").allowed()).isTrue();
        Decision quay = pod(policy, "quay.io/org/app:1");
        assertThat(quay.allowed()).isFalse();
        assertThat(quay.message()).contains("allow-images-from-other-registries");
    }

    @Test
    void theExamplesBehaveAsTheirHeadersSay() throws Exception {
        ImagePolicy digests = PolicyFiles.load(List.of(POLICIES.resolve("examples/require-digests.yaml")), true).policy();
        assertThat(digests.resolveImages()).isEqualTo(ResolutionType.RequiredRewrite);
        assertThat(pod(digests, "docker.io/library/nginx:1.25").message()).contains("resolveImages: RequiredRewrite denies images that cannot be resolved: offline");

        ImagePolicy integrated = PolicyFiles.load(List.of(POLICIES.resolve("examples/integrated-registry-only.yaml")), true).policy();
        assertThat(pod(integrated, "image-registry.openshift-image-registry.svc:5000/team-a/app:1").allowed()).isTrue();
        assertThat(pod(integrated, "docker.io/library/nginx:1.25").message()).contains("integrated-registry-only");

        ImagePolicy approved = PolicyFiles.load(List.of(POLICIES.resolve("examples/approved-label.yaml")), true).policy();
        assertThat(pod(approved, "docker.io/library/nginx:1.25").message()).contains("approved-images").contains("resolving the image failed: offline");
    }
}
