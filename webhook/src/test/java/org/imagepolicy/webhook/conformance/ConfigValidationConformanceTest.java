package org.imagepolicy.webhook.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imagepolicy.webhook.conformance.Conformance.errorText;
import static org.imagepolicy.webhook.conformance.Conformance.errors;
import static org.imagepolicy.webhook.conformance.Conformance.parsed;
import static org.imagepolicy.webhook.conformance.Conformance.policy;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.imagepolicy.webhook.policy.GroupResource;
import org.imagepolicy.webhook.policy.ImagePolicy;
import org.imagepolicy.webhook.policy.PolicyParser;
import org.imagepolicy.webhook.policy.PolicyProblem;
import org.imagepolicy.webhook.policy.ResolutionRule;
import org.imagepolicy.webhook.policy.ResolutionType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** §4 F (upstream {@code validation_test.go}), §1.3 defaulting and §1.4 validation. */
class ConfigValidationConformanceTest {
    private static final String HEADER = "kind: ImagePolicyConfig\napiVersion: image.openshift.io/v1\n";

    /** The 13 built-in resolution targets of §1.3 step 3, in upstream's order. */
    private static final List<GroupResource> BUILT_IN = List.of(
            GroupResource.of("", "pods"),
            GroupResource.of("", "replicationcontrollers"),
            GroupResource.of("apps.openshift.io", "deploymentconfigs"),
            GroupResource.of("apps", "daemonsets"),
            GroupResource.of("apps", "deployments"),
            GroupResource.of("apps", "statefulsets"),
            GroupResource.of("apps", "replicasets"),
            GroupResource.of("build.openshift.io", "builds"),
            GroupResource.of("batch", "jobs"),
            GroupResource.of("batch", "cronjobs"),
            GroupResource.of("extensions", "daemonsets"),
            GroupResource.of("extensions", "deployments"),
            GroupResource.of("extensions", "replicasets"));

    private static Map<GroupResource, ResolutionRule> byTarget(ImagePolicy p) {
        return p.resolutionRules().stream().collect(Collectors.toMap(ResolutionRule::targetResource, Function.identity()));
    }

    @Test
    @DisplayName("§4 F.69 an empty config is valid and defaults to resolveImages Attempt with no execution rules")
    void f69_emptyConfig() {
        ImagePolicy p = policy(HEADER);
        assertThat(p.resolveImages()).isEqualTo(ResolutionType.Attempt);
        assertThat(p.executionRules()).isEmpty();
        assertThat(p.resolutionRules()).extracting(ResolutionRule::targetResource).containsExactlyInAnyOrderElementsOf(BUILT_IN);
    }

    @Test
    @DisplayName("§4 F.69 / §5.6 an empty pluginConfig entry {\"openshift.io/ImagePolicy\": {}} enables the defaults")
    void f69_emptyPluginConfigEntry() {
        ImagePolicy p = policy("{\"openshift.io/ImagePolicy\": {}}");
        assertThat(p.resolveImages()).isEqualTo(ResolutionType.Attempt);
        assertThat(p.executionRules()).isEmpty();
        assertThat(p.resolutionRules()).hasSize(13);
    }

    @ParameterizedTest(name = "§0 envelope accepted: {0}")
    @DisplayName("§0/§1.1 both apiVersions, the pluginConfig map and master-config.yaml envelopes are accepted")
    @ValueSource(strings = {
        "kind: ImagePolicyConfig\napiVersion: v1\nexecutionRules: [{name: r}]\n",
        "kind: ImagePolicyConfig\napiVersion: image.openshift.io/v1\nexecutionRules: [{name: r}]\n",
        "{\"image.openshift.io/ImagePolicy\": {\"configuration\": {\"kind\": \"ImagePolicyConfig\", \"apiVersion\": \"image.openshift.io/v1\","
                + " \"executionRules\": [{\"name\": \"r\"}]}}}",
        "apiVersion: v1\nkind: MasterConfig\nadmissionConfig:\n  pluginConfig:\n    openshift.io/ImagePolicy:\n      configuration:\n"
                + "        kind: ImagePolicyConfig\n        apiVersion: v1\n        executionRules:\n        - name: r\n",
    })
    void envelopes(String text) {
        ImagePolicy p = policy(text);
        assertThat(p.executionRules()).singleElement().satisfies(r -> assertThat(r.name()).isEqualTo("r"));
    }

    @Test
    @DisplayName("§4 F.70 a rule with matchImageLabels [{matchLabels: {test: other}}] is valid")
    void f70_validSelector() {
        ImagePolicy p = policy(HEADER + "executionRules:\n- name: r\n  matchImageLabels: [{matchLabels: {test: other}}]\n");
        assertThat(p.executionRules().get(0).matchImageLabels()).hasSize(1);
    }

    @Test
    @DisplayName("§4 F.71 matchLabels {\"\": \"\"} is invalid (bad label key)")
    void f71_badLabelKey() {
        List<PolicyProblem> errs = errors(HEADER + "executionRules:\n- name: r\n  matchImageLabels: [{matchLabels: {\"\": \"\"}}]\n");
        assertThat(errs).anySatisfy(p -> assertThat(p.path()).startsWith("executionRules[0].matchImageLabels[0]"));
    }

    @ParameterizedTest(name = "§2.7 invalid selector rejected: {0}")
    @DisplayName("§1.4/§2.7 invalid label selectors (operator, values, label value) are rejected")
    @ValueSource(strings = {
        "{matchExpressions: [{key: a, operator: Equals, values: [x]}]}",
        "{matchExpressions: [{key: a, operator: In}]}",
        "{matchExpressions: [{key: a, operator: Exists, values: [x]}]}",
        "{matchLabels: {a: \"not a valid value!\"}}",
    })
    void invalidSelectors(String selector) {
        errors(HEADER + "executionRules:\n- name: r\n  matchImageLabels: [" + selector + "]\n");
    }

    @Test
    @DisplayName("§4 F.72 two rules both named test are invalid (duplicate), reported at the second rule's name")
    void f72_duplicateNames() {
        String text = HEADER + "executionRules:\n- name: test\n- name: test\n";
        List<PolicyProblem> errs = errors(text);
        assertThat(errs).anySatisfy(p -> {
            assertThat(p.path()).isEqualTo("executionRules[1].name");
            assertThat(p.line()).isEqualTo(5);
            assertThat(p.format()).startsWith("policy.yaml:5: executionRules[1].name: ").contains("test");
        });
    }

    @Test
    @DisplayName("§1.4 two unnamed rules count as duplicates")
    void twoUnnamedRulesAreDuplicates() {
        errors(HEADER + "executionRules:\n- matchRegistries: [quay.io]\n- matchRegistries: [ghcr.io]\n");
        assertThat(policy(HEADER + "executionRules:\n- matchRegistries: [quay.io]\n").executionRules()).hasSize(1);
    }

    @Test
    @DisplayName("§4 F.73 global DoNotAttempt plus resolution rule {resource: test, policy: Attempt} is valid")
    void f73_doNotAttemptWithRule() {
        ImagePolicy p = policy(HEADER + "resolveImages: DoNotAttempt\nresolutionRules:\n- targetResource: {resource: test}\n  policy: Attempt\n");
        assertThat(p.resolveImages()).isEqualTo(ResolutionType.DoNotAttempt);
        assertThat(p.resolutionRules()).singleElement().satisfies(r -> assertThat(r.policy()).isEqualTo(ResolutionType.Attempt));
    }

    @Test
    @DisplayName("§4 F.74 (defaulting always runs here) a resolution rule without policy gets the global resolveImages")
    void f74_ruleWithoutPolicyIsDefaulted() {
        ImagePolicy p = policy(HEADER + "resolveImages: DoNotAttempt\nresolutionRules:\n- targetResource: {resource: test}\n");
        assertThat(p.resolutionRules()).singleElement().satisfies(r -> assertThat(r.policy()).isEqualTo(ResolutionType.DoNotAttempt));
    }

    @Test
    @DisplayName("§4 F.75 a resolution rule with a policy but an empty targetResource.resource is invalid")
    void f75_emptyTargetResource() {
        errors(HEADER + "resolutionRules:\n- targetResource: {group: apps}\n  policy: Attempt\n");
        errors(HEADER + "resolutionRules:\n- targetResource: {group: apps, resource: \"\"}\n  policy: Attempt\n");
    }

    @ParameterizedTest(name = "§4 F.76-78 global DoNotAttempt with {0} is invalid")
    @DisplayName("§4 F.76-78 global DoNotAttempt with a label or annotation condition is invalid")
    @ValueSource(strings = {
        "matchDockerImageLabels: [{key: a, value: b}]",
        "matchImageLabels: [{}]",
        "matchImageLabels: [{matchLabels: {a: b}}]",
        "matchImageAnnotations: [{key: a, value: b}]",
    })
    void f76to78_metadataConditionsNeedResolution(String condition) {
        String text = HEADER + "resolveImages: DoNotAttempt\nexecutionRules:\n- name: r\n  " + condition + "\n";
        assertThat(errorText(text)).contains("executionRules[0]");
        // the same rule is fine when images are resolved
        policy(HEADER + "resolveImages: Attempt\nexecutionRules:\n- name: r\n  " + condition + "\n");
    }

    @Test
    @DisplayName("§1.4 only the global mode is checked: DoNotAttempt rules with a covering resolution rule still fail validation")
    void onlyGlobalModeIsChecked() {
        errors(HEADER + "resolveImages: DoNotAttempt\nresolutionRules:\n- targetResource: {resource: pods}\n  policy: Attempt\n"
                + "executionRules:\n- name: r\n  matchImageAnnotations: [{key: a, value: b}]\n");
    }

    @Test
    @DisplayName("§4 F.79 the default policy decodes, defaults and validates cleanly")
    void f79_defaultPolicy() {
        PolicyParser.Parsed parsed = parsed(Conformance.resource("default-policy.yaml"));
        assertThat(parsed.warnings()).isEmpty();
        ImagePolicy p = parsed.policy();
        assertThat(p.resolveImages()).isEqualTo(ResolutionType.Attempt);
        assertThat(p.executionRules()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("execution-denied");
            assertThat(r.reject()).isTrue();
            assertThat(r.skipOnResolutionFailure()).isTrue();
            assertThat(r.onResources()).containsExactly(GroupResource.of("", "pods"), GroupResource.of("build.openshift.io", "builds"));
        });
    }

    @Test
    @DisplayName("§1.3 step 3 absent resolutionRules: 13 built-ins, localNames, policy = resolveImages where an execution rule covers them")
    void builtInResolutionRules() {
        ImagePolicy p = policy(Conformance.resource("default-policy.yaml"));
        Map<GroupResource, ResolutionRule> rules = byTarget(p);
        assertThat(rules.keySet()).containsExactlyInAnyOrderElementsOf(BUILT_IN);
        assertThat(p.resolutionRules()).allSatisfy(r -> assertThat(r.localNames()).isTrue());
        for (GroupResource gr : BUILT_IN) {
            boolean covered = gr.resource().equals("pods") || gr.resource().equals("builds");
            assertThat(rules.get(gr).policy()).as("policy of %s", gr)
                    .isEqualTo(covered ? ResolutionType.Attempt : ResolutionType.DoNotAttempt);
        }
        assertThat(rules).doesNotContainKey(GroupResource.of("build.openshift.io", "buildconfigs"))
                .doesNotContainKey(GroupResource.of("", "podtemplates"));
    }

    @Test
    @DisplayName("§1.3 step 3 a built-in rule takes the global mode (here RequiredRewrite) when an execution rule names its resource")
    void builtInPolicyFollowsGlobalMode() {
        ImagePolicy p = policy(HEADER + "resolveImages: RequiredRewrite\nexecutionRules:\n- name: r\n  onResources:\n"
                + "  - {group: apps, resource: deployments}\n  - {group: batch, resource: cronjobs}\n");
        Map<GroupResource, ResolutionRule> rules = byTarget(p);
        assertThat(rules.get(GroupResource.of("apps", "deployments")).policy()).isEqualTo(ResolutionType.RequiredRewrite);
        assertThat(rules.get(GroupResource.of("batch", "cronjobs")).policy()).isEqualTo(ResolutionType.RequiredRewrite);
        assertThat(rules.get(GroupResource.of("", "pods")).policy()).isEqualTo(ResolutionType.DoNotAttempt);
    }

    @Test
    @DisplayName("§1.3 step 2 an execution rule without onResources applies to pods")
    void onResourcesDefaultsToPods() {
        ImagePolicy p = policy(HEADER + "executionRules:\n- name: r\n- name: s\n  onResources: []\n");
        assertThat(p.executionRules()).allSatisfy(r -> assertThat(r.onResources()).containsExactly(GroupResource.of("", "pods")));
    }

    @Test
    @DisplayName("§1.3 step 4 a given resolutionRules list replaces the built-ins; rules without policy get resolveImages")
    void givenResolutionRules() {
        ImagePolicy p = policy(HEADER + "resolveImages: AttemptRewrite\nresolutionRules:\n"
                + "- targetResource: {resource: pods}\n  localNames: true\n"
                + "- targetResource: {group: apps, resource: \"*\"}\n  policy: Attempt\n");
        assertThat(p.resolutionRules()).containsExactly(
                new ResolutionRule(GroupResource.of("", "pods"), ResolutionType.AttemptRewrite, true),
                new ResolutionRule(GroupResource.of("apps", "*"), ResolutionType.Attempt, false));
    }

    @Test
    @DisplayName("§1.3 an explicit empty resolutionRules list stays empty (not the built-ins)")
    void explicitEmptyResolutionRules() {
        assertThat(policy(HEADER + "resolutionRules: []\n").resolutionRules()).isEmpty();
    }

    @Test
    @DisplayName("§1.4 unknown fields are ignored with a warning, and are errors in strict mode")
    void unknownFields() {
        String text = HEADER + "executionRules:\n- name: r\n  matchRegistry: [quay.io]\n";
        PolicyParser.Parsed parsed = parsed(text);
        assertThat(parsed.warnings()).anySatisfy(w -> {
            assertThat(w.isError()).isFalse();
            assertThat(w.path()).isEqualTo("executionRules[0].matchRegistry");
        });
        assertThat(parsed.policy().executionRules().get(0).matchRegistries()).isEmpty();
        assertThat(errors(true, text)).anySatisfy(e -> assertThat(e.path()).isEqualTo("executionRules[0].matchRegistry"));
    }

    @Test
    @DisplayName("§1.4 every problem is reported in one pass, each as FILE:LINE: path: message")
    void allProblemsReported() {
        String text = HEADER + "executionRules:\n- name: a\n  matchRegistries: [\"https://quay.io\"]\n"
                + "- name: a\n  matchImageLabels: [{matchLabels: {\"\": x}}]\n";
        List<PolicyProblem> errs = errors(text);
        assertThat(errs).hasSizeGreaterThanOrEqualTo(3);
        assertThat(errs).allSatisfy(p -> assertThat(p.format()).matches("policy\\.yaml:\\d+: \\S.*: .+"));
    }
}
