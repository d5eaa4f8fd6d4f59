package org.imagepolicy.webhook.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imagepolicy.webhook.conformance.Conformance.always;
import static org.imagepolicy.webhook.conformance.Conformance.annotations;
import static org.imagepolicy.webhook.conformance.Conformance.create;
import static org.imagepolicy.webhook.conformance.Conformance.createPod;
import static org.imagepolicy.webhook.conformance.Conformance.engine;
import static org.imagepolicy.webhook.conformance.Conformance.labels;
import static org.imagepolicy.webhook.conformance.Conformance.workload;

import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.imagepolicy.webhook.admission.Decision;
import org.imagepolicy.webhook.admission.ImageFacts;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.image.ImageMetadata;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * §4 E (upstream {@code accept_test.go}) and §2.6/§2.7, through the engine: "attrs" become a pod with one
 * container, "no image" is a failed resolution and "image present" a resolved one. The integrated registry
 * is {@code myregistry.io:5000}.
 */
class ExecutionRulesConformanceTest {
    private static final String HEADER = """
            kind: ImagePolicyConfig
            apiVersion: image.openshift.io/v1
            integratedRegistryHostnames: ["myregistry.io:5000"]
            """;
    private static final ImageFacts NO_IMAGE = ImageFacts.OFFLINE;
    private static final ImageFacts IMAGE = always(new ImageMetadata(Conformance.IMAGE1_SHA, Map.of(), Map.of()));

    private static ImagePolicyEngine rules(String rules) {
        return engine(HEADER + rules);
    }

    private static boolean accepts(ImagePolicyEngine engine, String image, ImageFacts facts) {
        return engine.decide(createPod(image), facts).allowed();
    }

    private static boolean acceptsDeployment(ImagePolicyEngine engine, String image, ImageFacts facts) {
        return engine.decide(create("apps", "deployments", workload("apps/v1", "Deployment", image)), facts).allowed();
    }

    @Test
    @DisplayName("§4 E.50/51 with no execution rules every image is accepted")
    void e50_51_noRulesAcceptEverything() {
        ImagePolicyEngine e = engine(HEADER);
        assertThat(accepts(e, "test:latest", NO_IMAGE)).isTrue();
        assertThat(accepts(e, "myregistry.io:5000/test:latest", NO_IMAGE)).isTrue();
        assertThat(accepts(e, "quay.io/any/thing:1", IMAGE)).isTrue();
        assertThat(acceptsDeployment(e, "test:latest", NO_IMAGE)).isTrue();
        ImagePolicyEngine empty = engine(HEADER + "executionRules: []\n");
        assertThat(accepts(empty, "myregistry.io:5000/test:latest", NO_IMAGE)).isTrue();
    }

    @Test
    @DisplayName("§4 E.52 a lone deny rule with matchIntegratedRegistry rejects only integrated images, and only on pods")
    void e52_denyIntegratedRegistry() {
        ImagePolicyEngine e = rules("""
                executionRules:
                - name: deny-integrated
                  reject: true
                  onResources: [{resource: pods}]
                  matchIntegratedRegistry: true
                """);
        assertThat(accepts(e, "myregistry.io:5000/test:latest", NO_IMAGE)).isFalse();
        assertThat(accepts(e, "myregistry.io/namespace/test:latest", NO_IMAGE)).isTrue();
        assertThat(accepts(e, "test:latest", NO_IMAGE)).isTrue();
        assertThat(acceptsDeployment(e, "myregistry.io:5000/test:latest", NO_IMAGE)).as("non-pod attrs").isTrue();
    }

    @Test
    @DisplayName("§4 E.52 matchIntegratedRegistry also holds when the resolver says the image is in the integrated registry"
            + " (skipOnResolutionFailure makes the lookup worth making)")
    void e52_integratedFlagFromResolution() {
        ImagePolicyEngine e = rules("""
                executionRules:
                - name: deny-integrated
                  reject: true
                  matchIntegratedRegistry: true
                  skipOnResolutionFailure: true
                """);
        ImageFacts integrated = (field, ref) -> new org.imagepolicy.webhook.image.Resolution.Resolved(
                new ImageMetadata(Conformance.IMAGE1_SHA, Map.of(), Map.of()), true);
        assertThat(accepts(e, "elsewhere.example/ns/test:latest", integrated)).isFalse();
        assertThat(accepts(e, "elsewhere.example/ns/test:latest", IMAGE)).isTrue();
    }

    @Test
    @DisplayName("§4 E.53 allow-all plus deny matchRegistries [index.docker.io]: only that registry is rejected")
    void e53_allowAllPlusDenyRegistry() {
        ImagePolicyEngine e = rules("""
                executionRules:
                - name: allow-all
                - name: deny-hub
                  reject: true
                  matchRegistries: [index.docker.io]
                """);
        assertThat(accepts(e, "index.docker.io/namespace/test:latest", IMAGE)).isFalse();
        assertThat(accepts(e, "myregistry.io:5000/test:latest", IMAGE)).isTrue();
        assertThat(accepts(e, "test:latest", IMAGE)).isTrue();
        assertThat(acceptsDeployment(e, "index.docker.io/namespace/test:latest", IMAGE)).as("non-pod attrs").isTrue();
    }

    @Test
    @DisplayName("§4 E.54 a deny rule named in the namespace's ignore-rules is switched off")
    void e54_excludedRule() {
        ImagePolicyEngine e = rules("""
                executionRules:
                - name: excluded-rule
                  reject: true
                  matchIntegratedRegistry: true
                  skipOnResolutionFailure: true
                """);
        var pod = createPod("myregistry.io:5000/test:latest");
        assertThat(e.decide(pod, IMAGE).allowed()).as("control: not excluded").isFalse();
        assertThat(e.decide(pod, Set.of("excluded-rule"), IMAGE).allowed()).isTrue();
        assertThat(e.decide(createPod("test:latest"), Set.of("excluded-rule"), NO_IMAGE).allowed()).isTrue();
    }

    @Test
    @DisplayName("§2.6 ignoreNamespaceOverride: a rule that cannot be excluded still denies")
    void ignoreNamespaceOverride() {
        ImagePolicyEngine e = rules("""
                executionRules:
                - name: pinned
                  reject: true
                  ignoreNamespaceOverride: true
                  matchIntegratedRegistry: true
                """);
        assertThat(e.decide(createPod("myregistry.io:5000/test:latest"), Set.of("pinned"), NO_IMAGE).allowed()).isFalse();
    }

    @Test
    @DisplayName("§4 E.55 an allow rule with invertMatch + matchIntegratedRegistry rejects integrated images")
    void e55_invertedAllow() {
        ImagePolicyEngine e = rules("""
                executionRules:
                - name: not-integrated
                  invertMatch: true
                  matchIntegratedRegistry: true
                """);
        assertThat(accepts(e, "myregistry.io:5000/test:latest", NO_IMAGE)).isFalse();
        assertThat(accepts(e, "myregistry.io/namespace/test:latest", NO_IMAGE)).isTrue();
        assertThat(accepts(e, "test:latest", NO_IMAGE)).isTrue();
    }

    @Test
    @DisplayName("§4 E.56 a deny rule with invertMatch + matchIntegratedRegistry admits only the integrated registry")
    void e56_invertedDeny() {
        ImagePolicyEngine e = rules("""
                executionRules:
                - name: only-integrated
                  reject: true
                  invertMatch: true
                  matchIntegratedRegistry: true
                """);
        assertThat(accepts(e, "myregistry.io:5000/test:latest", NO_IMAGE)).isTrue();
        assertThat(accepts(e, "myregistry.io/namespace/test:latest", NO_IMAGE)).isFalse();
        assertThat(accepts(e, "test:latest", NO_IMAGE)).isFalse();
    }

    @Test
    @DisplayName("§4 E.57 an allow rule without conditions accepts an image with or without metadata")
    void e57_allowAll() {
        ImagePolicyEngine e = rules("""
                executionRules:
                - name: allow-all
                """);
        assertThat(accepts(e, "test:latest", NO_IMAGE)).isTrue();
        assertThat(accepts(e, "test:latest", IMAGE)).isTrue();
    }

    @Test
    @DisplayName("§4 E.58 allow matchRegistries [myregistry.io]: a port or no registry does not match")
    void e58_allowRegistry() {
        ImagePolicyEngine e = rules("""
                executionRules:
                - name: allow-myregistry
                  matchRegistries: [myregistry.io]
                """);
        assertThat(accepts(e, "myregistry.io:5000/test:latest", NO_IMAGE)).as("port mismatch").isFalse();
        assertThat(accepts(e, "myregistry.io/namespace/test:latest", NO_IMAGE)).isTrue();
        assertThat(accepts(e, "test:latest", NO_IMAGE)).as("registry \"\"").isFalse();
    }

    // ---------------------------------------------------------------- §4 E.59-67 metadata conditions

    static Stream<Arguments> metadataRules() {
        String labelsOne = "  matchImageLabels: [{matchLabels: {label1: value1}}]\n";
        String labelsTwo = "  matchImageLabels: [{matchLabels: {label1: value2}}]\n";
        String annotOne = "  matchImageAnnotations: [{key: label1, value: value1}]\n";
        String annotTwo = "  matchImageAnnotations: [{key: label1, value: value2}]\n";
        String dockerOne = "  matchDockerImageLabels: [{key: label1, value: value1}]\n";
        String dockerTwo = "  matchDockerImageLabels: [{key: label1, value: value2}]\n";
        return Stream.of(
                Arguments.of("59", "matchImageLabels label1=value1", false, "- name: one\n" + labelsOne, "100"),
                Arguments.of("60", "matchImageLabels, two rules value1|value2", false,
                        "- name: one\n" + labelsOne + "- name: two\n" + labelsTwo, "110"),
                Arguments.of("61", "matchImageLabels label1 Exists", false,
                        "- name: one\n  matchImageLabels: [{matchExpressions: [{key: label1, operator: Exists}]}]\n", "110"),
                Arguments.of("62", "matchImageAnnotations label1=value1", true, "- name: one\n" + annotOne, "100"),
                Arguments.of("63", "matchImageAnnotations, two rules", true,
                        "- name: one\n" + annotOne + "- name: two\n" + annotTwo, "110"),
                Arguments.of("64", "matchImageAnnotations label1 set", true,
                        "- name: one\n  matchImageAnnotations: [{key: label1, set: true}]\n", "110"),
                Arguments.of("65", "matchDockerImageLabels label1=value1", false, "- name: one\n" + dockerOne, "100"),
                Arguments.of("66", "matchDockerImageLabels, two rules", false,
                        "- name: one\n" + dockerOne + "- name: two\n" + dockerTwo, "110"),
                Arguments.of("67", "matchDockerImageLabels label1 set", false,
                        "- name: one\n  matchDockerImageLabels: [{key: label1, set: true}]\n", "110"));
    }

    /**
     * {@code expected} is three digits for label1=value1, label1=value2, label2=value1 (1 = accepted); an image
     * that cannot be resolved is always rejected by these allow rules.
     */
    @ParameterizedTest(name = "§4 E.{0} allow {1}")
    @DisplayName("§4 E.59-67 allow rules on image labels, annotations and Docker labels")
    @MethodSource("metadataRules")
    void e59to67_metadataConditions(String scenario, String what, boolean onAnnotations, String rules, String expected) {
        ImagePolicyEngine e = rules("executionRules:\n" + rules);
        String image = "quay.io/org/test:latest";
        assertThat(accepts(e, image, NO_IMAGE)).as("no image").isFalse();
        String[][] cases = {{"label1", "value1"}, {"label1", "value2"}, {"label2", "value1"}};
        for (int i = 0; i < cases.length; i++) {
            Map<String, String> kv = Map.of(cases[i][0], cases[i][1]);
            ImageMetadata m = onAnnotations ? annotations(kv) : labels(kv);
            assertThat(accepts(e, image, always(m))).as("%s=%s", cases[i][0], cases[i][1]).isEqualTo(expected.charAt(i) == '1');
        }
    }

    @ParameterizedTest(name = "§1.1 ValueCondition {0}: {1}={2} -> {3}")
    @DisplayName("§1.1 ValueCondition: value \"\" matches an absent key; set: true needs the key")
    @CsvSource({
        "'{key: k, value: ''''}', other, x, true",
        "'{key: k, value: ''''}', k, x, false",
        "'{key: k, value: ''''}', k, '', true",
        "'{key: k, set: true}', k, '', true",
        "'{key: k, set: true}', other, x, false",
    })
    void valueConditionSemantics(String condition, String key, String value, boolean accepted) {
        ImagePolicyEngine e = rules("executionRules:\n- name: c\n  matchImageAnnotations: [" + condition + "]\n");
        assertThat(accepts(e, "quay.io/org/test:1", always(annotations(Map.of(key, value == null ? "" : value)))))
                .isEqualTo(accepted);
    }

    @ParameterizedTest(name = "§2.7 matchImageLabels {0} against {1}={2} -> {3}")
    @DisplayName("§2.7 matchImageLabels operators In, NotIn, DoesNotExist and the empty selector")
    @CsvSource({
        "'{matchExpressions: [{key: tier, operator: In, values: [gold, silver]}]}', tier, silver, true",
        "'{matchExpressions: [{key: tier, operator: In, values: [gold, silver]}]}', tier, bronze, false",
        "'{matchExpressions: [{key: tier, operator: NotIn, values: [bronze]}]}', tier, gold, true",
        "'{matchExpressions: [{key: tier, operator: NotIn, values: [bronze]}]}', other, x, true",
        "'{matchExpressions: [{key: tier, operator: DoesNotExist}]}', other, x, true",
        "'{matchExpressions: [{key: tier, operator: DoesNotExist}]}', tier, x, false",
        "'{}', any, thing, true",
    })
    void labelSelectorOperators(String selector, String key, String value, boolean accepted) {
        ImagePolicyEngine e = rules("executionRules:\n- name: s\n  matchImageLabels: [" + selector + "]\n");
        assertThat(accepts(e, "quay.io/org/test:1", always(labels(Map.of(key, value))))).isEqualTo(accepted);
    }

    @Test
    @DisplayName("§2.7 conditions of one rule are ANDed: registry and label must both hold")
    void conditionsAreAnded() {
        ImagePolicyEngine e = rules("""
                executionRules:
                - name: both
                  matchRegistries: [quay.io]
                  matchImageLabels: [{matchLabels: {approved: "yes"}}]
                """);
        assertThat(accepts(e, "quay.io/org/app:1", always(labels(Map.of("approved", "yes"))))).isTrue();
        assertThat(accepts(e, "quay.io/org/app:1", always(labels(Map.of())))).isFalse();
        assertThat(accepts(e, "ghcr.io/org/app:1", always(labels(Map.of("approved", "yes"))))).isFalse();
    }

    @Test
    @DisplayName("§2.6 a matching deny rule wins wherever it is listed, even after a matching allow rule")
    void denyWinsRegardlessOfOrder() {
        ImagePolicyEngine e = rules("""
                executionRules:
                - name: allow-quay
                  matchRegistries: [quay.io]
                - name: deny-bad-org
                  reject: true
                  matchRepositories: [quay.io/bad/**]
                """);
        assertThat(accepts(e, "quay.io/good/app:1", NO_IMAGE)).isTrue();
        Decision d = e.decide(createPod("quay.io/bad/app:1"), NO_IMAGE);
        assertThat(d.allowed()).isFalse();
        assertThat(Conformance.only(d).rule()).isEqualTo("deny-bad-org");
    }

    @Test
    @DisplayName("§2.6 a resource with only deny rules is default-allow; one allow rule makes it default-deny")
    void defaultRejectComesFromAllowRules() {
        ImagePolicyEngine denyOnly = rules("""
                executionRules:
                - name: deny-hub
                  reject: true
                  matchRegistries: [docker.io]
                """);
        assertThat(accepts(denyOnly, "quay.io/org/app:1", NO_IMAGE)).isTrue();
        ImagePolicyEngine withAllow = rules("""
                executionRules:
                - name: deny-hub
                  reject: true
                  matchRegistries: [docker.io]
                - name: allow-ghcr
                  matchRegistries: [ghcr.io]
                """);
        assertThat(accepts(withAllow, "quay.io/org/app:1", NO_IMAGE)).isFalse();
        assertThat(accepts(withAllow, "ghcr.io/org/app:1", NO_IMAGE)).isTrue();
    }

    @Test
    @DisplayName("§2.6 excluded and skipped allow rules still make the resource default-deny")
    void excludedAndSkippedAllowRulesStillCount() {
        ImagePolicyEngine excluded = rules("""
                executionRules:
                - name: allow-quay
                  matchRegistries: [quay.io]
                """);
        assertThat(excluded.decide(createPod("quay.io/org/app:1"), Set.of("allow-quay"), NO_IMAGE).allowed()).isFalse();
        ImagePolicyEngine skipped = rules("""
                executionRules:
                - name: allow-quay
                  matchRegistries: [quay.io]
                  skipOnResolutionFailure: true
                """);
        assertThat(accepts(skipped, "quay.io/org/app:1", NO_IMAGE)).isFalse();
        assertThat(accepts(skipped, "quay.io/org/app:1", IMAGE)).isTrue();
    }

    @Test
    @DisplayName("§2.7 a deny rule on metadata does not match an unresolved image (so it cannot deny it)")
    void metadataDenyRuleDoesNotMatchWithoutImage() {
        ImagePolicyEngine e = rules("""
                executionRules:
                - name: deny-flagged
                  reject: true
                  matchImageAnnotations: [{key: flagged, value: "true"}]
                """);
        assertThat(accepts(e, "quay.io/org/app:1", NO_IMAGE)).isTrue();
        assertThat(accepts(e, "quay.io/org/app:1", always(annotations(Map.of("flagged", "true"))))).isFalse();
    }
}
