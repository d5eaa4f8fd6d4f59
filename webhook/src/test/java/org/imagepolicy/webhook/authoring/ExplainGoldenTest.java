package org.imagepolicy.webhook.authoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.imagepolicy.webhook.admission.ImageFacts;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.image.ImageMetadata;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.load.PolicyFiles;
import org.imagepolicy.webhook.policy.GroupResource;
import org.imagepolicy.webhook.policy.ImagePolicy;
import org.imagepolicy.webhook.testing.Project;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * What {@code explain} prints, kept as golden text in {@code src/test/resources/explain/}, one file per
 * situation. Run with {@code -Dgolden.update=true} to rewrite them, then review the diff.
 */
class ExplainGoldenTest {
    static final Path DIR = Project.root().resolve("webhook/src/test/resources/explain");

    record Scenario(String name, String image, String resource, String namespace, String policy) {
        Scenario(String name, String image, String resource, String namespace) {
            this(name, image, resource, namespace, "policy.yaml");
        }
    }

    static final List<Scenario> SCENARIOS = List.of(
            new Scenario("registry-not-trusted-denied", "quay.io/org/app:1", "pods", "shop"),
            new Scenario("team-repository-allowed", "quay.io/myorg/tools/cli:2", "pods", "shop"),
            new Scenario("docker-hub-alias-approved-allowed", "index.docker.io/library/nginx:1.25", "pods", "shop"),
            new Scenario("unqualified-defaulted-unapproved-warned", "nginx:1.25", "pods", "shop"),
            new Scenario("flagged-in-registry-denied", "docker.io/acme/retired:2", "deployments", "shop"),
            new Scenario("lookup-failed-skipped-rule", "registry.corp.example.com/app:1", "pods", "shop"),
            new Scenario("integrated-registry-allowed", "image-registry.openshift-image-registry.svc:5000/shop/web@sha256:"
                    + "6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b", "pods", "shop"),
            new Scenario("invalid-reference-denied", "quay.io/Org/app:1", "pods", "shop"),
            new Scenario("exempt-namespace-skipped", "quay.io/org/app:1", "pods", "kube-system"),
            new Scenario("resource-not-covered-skipped", "quay.io/org/app:1", "cronjobs", "shop"),
            new Scenario("unqualified-every-search-registry-allowed", "ubi9/ubi:9.4", "pods", "shop", "search-registries.yaml"),
            new Scenario("unqualified-one-search-registry-denies", "busybox:1.36", "pods", "shop", "search-registries.yaml"),
            new Scenario("default-port-same-registry-denied", "quay.io:443/org/app:1", "pods", "shop", "search-registries.yaml"),
            new Scenario("other-port-denied-by-portless-deny-rule", "quay.io:8443/org/app:1", "pods", "shop", "search-registries.yaml"));

    static final Map<String, Resolution> FACTS = Map.of(
            "index.docker.io/library/nginx:1.25", resolved(Map.of("approved", "true"), Map.of()),
            "nginx:1.25", resolved(Map.of("maintainer", "NGINX Docker Maintainers"), Map.of()),
            "docker.io/acme/retired:2", resolved(Map.of(), Map.of("images.openshift.io/deny-execution", "true")),
            "registry.corp.example.com/app:1", new Resolution.Failed("registry.corp.example.com: 503 Service Unavailable"));

    static Resolution resolved(Map<String, String> labels, Map<String, String> annotations) {
        return new Resolution.Resolved(new ImageMetadata("sha256:" + "0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31".substring(0, 64),
                labels, annotations), false);
    }

    @TestFactory
    Stream<DynamicTest> explainPrintsEachStep() {
        ImageFacts facts = (field, reference) -> FACTS.getOrDefault(field.name(), Resolution.OFFLINE);
        return SCENARIOS.stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> {
            ImagePolicy policy = PolicyFiles.load(List.of(DIR.resolve(s.policy())), true).policy();
            ImagePolicyEngine engine = new ImagePolicyEngine(policy);
            GroupResource gr = AdmissionRequests.parseResource(s.resource());
            var prepared = engine.prepare(AdmissionRequests.input(AdmissionRequests.objectWithImage(gr, s.image(), "explain", s.namespace()),
                    s.namespace()), Set.of());
            ImagePolicyEngine.Explanation explained = engine.explain(prepared, facts);
            assertThat(explained.decision()).isEqualTo(engine.decide(prepared, facts));
            String text = "$ explain --policy explain/" + s.policy() + " --resource " + s.resource() + " --namespace " + s.namespace() + " " + s.image()
                    + "\n" + ExplainReport.render(policy, s.image(), gr, s.namespace(), explained,
                    engine.judgesImagesOf(gr), !FACTS.containsKey(s.image()));
            Path golden = DIR.resolve(s.name() + ".txt");
            if (Boolean.getBoolean("golden.update")) {
                Files.writeString(golden, text, StandardCharsets.UTF_8);
            }
            assertThat(golden).as("golden file (run with -Dgolden.update=true to create it)").exists();
            assertThat(text).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
        }));
    }
}
