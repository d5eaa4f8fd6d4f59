package org.imagepolicy.webhook.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyParserTest {
    private static final PolicyParser PARSER = new PolicyParser(false);

    private static ImagePolicy parse(String text) throws PolicyException {
        return PARSER.parse("policy.yaml", text).policy();
    }

    private static List<PolicyProblem> problems(String name, String text) {
        try {
            new PolicyParser(false).parse(name, text);
            throw new AssertionError("expected the policy to be rejected");
        } catch (PolicyException e) {
            return e.problems();
        }
    }

    @Test
    void readsTheBare4xConfig() throws Exception {
        ImagePolicy p = parse("""
                apiVersion: image.openshift.io/v1
                kind: ImagePolicyConfig
                resolveImages: Required
                executionRules:
                - name: a
                  matchRegistries: [docker.io]
                """);
        assertThat(p.resolveImages()).isEqualTo(ResolutionType.Required);
        assertThat(p.executionRules()).singleElement().satisfies(r -> {
            assertThat(r.onResources()).containsExactly(Resources.PODS);
            assertThat(r.reject()).isFalse();
            assertThat(r.enforcement()).isEqualTo(Enforcement.Deny);
        });
    }

    @Test
    void readsThePluginConfigWrapperUnderBothNames() throws Exception {
        for (String plugin : List.of("openshift.io/ImagePolicy", "image.openshift.io/ImagePolicy")) {
            ImagePolicy p = PARSER.parse("p.json", "{\"" + plugin + "\":{\"configuration\":{\"kind\":\"ImagePolicyConfig\","
                    + "\"apiVersion\":\"v1\",\"executionRules\":[{\"name\":\"x\",\"onResources\":[{\"resource\":\"builds\"}]}]}}}").policy();
            assertThat(p.executionRules().get(0).onResources()).containsExactly(Resources.BUILDS);
        }
    }

    @Test
    void readsAWholeMasterConfigAndReportsLinesInIt() throws Exception {
        String master = """
                apiVersion: v1
                kind: MasterConfig
                admissionConfig:
                  pluginConfig:
                    openshift.io/ImagePolicy:
                      configuration:
                        apiVersion: v1
                        kind: ImagePolicyConfig
                        executionRules:
                        - name: one
                          matchRegistries: ["https://quay.io"]
                """;
        List<PolicyProblem> problems = problems("master-config.yaml", master);
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.format()).startsWith("master-config.yaml:11: executionRules[0].matchRegistries[0]: ");
            assertThat(p.message()).contains("as in quay.io");
        });
        assertThat(parse(master.replace("https://", "")).executionRules()).hasSize(1);
    }

    @Test
    void anEmptyPluginEntryIsAnEmptyPolicy() throws Exception {
        ImagePolicy p = parse("openshift.io/ImagePolicy: {}\n");
        assertThat(p.executionRules()).isEmpty();
        assertThat(p.resolveImages()).isEqualTo(ResolutionType.Attempt);
    }

    @Test
    void everyProblemNamesFileLineAndPathAndAllAreReported() {
        List<PolicyProblem> problems = problems("team.yaml", """
                apiVersion: v1
                kind: ImagePolicyConfig
                resolveImages: Requried
                executionRules:
                - name: a
                  onResources: [{resource: nodes}]
                - name: b
                  reject: maybe
                  matchImageLabels:
                  - matchLabels: {"": x}
                  enforcement: Block
                """);
        assertThat(problems).extracting(PolicyProblem::format).containsExactly(
                "team.yaml:3: resolveImages: unknown resolveImages \"Requried\"; use one of RequiredRewrite, Required, AttemptRewrite, Attempt, DoNotAttempt",
                problems.get(1).format(),
                "team.yaml:8: executionRules[1].reject: expected true or false, found \"maybe\"",
                problems.get(3).format(),
                "team.yaml:11: executionRules[1].enforcement: unknown enforcement \"Block\"; use Deny, Warn or Audit");
        assertThat(problems.get(1).format()).startsWith("team.yaml:6: executionRules[0].onResources[0]: \"nodes\" carries no images")
                .contains("Supported: \"\": pods, podtemplates, replicationcontrollers");
        assertThat(problems.get(3).format()).startsWith("team.yaml:10: executionRules[1].matchImageLabels[0].matchLabels.\"\": label key");
    }

    @Test
    void unknownFieldsWarnAndFailUnderStrict() throws Exception {
        String text = """
                apiVersion: v1
                kind: ImagePolicyConfig
                executionRules:
                - name: a
                  matchregistries: [quay.io]
                  color: blue
                """;
        PolicyParser.Parsed parsed = PARSER.parse("p.yaml", text);
        assertThat(parsed.warnings()).extracting(PolicyProblem::format).containsExactly(
                "p.yaml:5: warning: executionRules[0].matchregistries: unknown field \"matchregistries\"; did you mean matchRegistries?",
                "p.yaml:6: warning: executionRules[0].color: unknown field \"color\"; OpenShift ignores it");
        assertThatThrownBy(() -> new PolicyParser(true).parse("p.yaml", text)).isInstanceOf(PolicyException.class)
                .hasMessageContaining("p.yaml:5: executionRules[0].matchregistries: unknown field");
    }

    @Test
    void defaultsResolutionRulesAsOpenShift4Does() throws Exception {
        ImagePolicy p = parse("""
                apiVersion: v1
                kind: ImagePolicyConfig
                resolveImages: AttemptRewrite
                executionRules:
                - name: a
                  onResources: [{resource: pods}, {group: apps, resource: deployments}]
                """);
        assertThat(p.resolutionRules()).hasSize(13).allMatch(ResolutionRule::localNames);
        assertThat(p.resolutionRules()).filteredOn(r -> r.policy() == ResolutionType.AttemptRewrite)
                .extracting(r -> r.targetResource().toString()).containsExactlyInAnyOrder("pods", "deployments.apps");
        assertThat(p.resolutionRules()).filteredOn(r -> r.policy() == ResolutionType.DoNotAttempt).hasSize(11);
    }

    @Test
    void anExplicitEmptyResolutionRuleListStaysEmptyAndGivenRulesInheritTheGlobalMode() throws Exception {
        assertThat(parse("{kind: ImagePolicyConfig, apiVersion: v1, resolutionRules: []}").resolutionRules()).isEmpty();
        ImagePolicy p = parse("""
                {kind: ImagePolicyConfig, apiVersion: v1, resolveImages: Required,
                 resolutionRules: [{targetResource: {group: batch, resource: jobs}}, {targetResource: {resource: builds}, policy: Attempt}]}
                """);
        assertThat(p.resolutionRules()).containsExactly(
                new ResolutionRule(GroupResource.of("batch", "jobs"), ResolutionType.Required, false),
                new ResolutionRule(Resources.BUILDS, ResolutionType.Attempt, false));
    }

    @Test
    void aSecondUnnamedRuleIsADuplicateAsUpstream() {
        assertThat(problems("p.yaml", "{kind: ImagePolicyConfig, apiVersion: v1, executionRules: [{reject: true}, {reject: false}]}"))
                .singleElement().extracting(PolicyProblem::message).asString()
                .startsWith("a second execution rule without a name; give each rule a unique name (first at p.yaml:1)");
    }

    @Test
    void metadataConditionsNeedResolution() {
        assertThat(problems("p.yaml", """
                apiVersion: v1
                kind: ImagePolicyConfig
                resolveImages: DoNotAttempt
                executionRules:
                - name: labels
                  matchImageLabels: [{}]
                """)).singleElement().satisfies(p -> {
                    assertThat(p.line()).isEqualTo(5);
                    assertThat(p.message()).contains("images are never resolved");
                });
    }

    @Test
    void wrongKindsAndVersionsAndSyntaxAreLocated() {
        assertThat(problems("p.yaml", "apiVersion: v2\nkind: ImagePolicy\n")).extracting(PolicyProblem::format).containsExactly(
                "p.yaml:1: apiVersion: apiVersion \"v2\" is not an ImagePolicyConfig version; write image.openshift.io/v1 (OpenShift 4) or v1 (OpenShift 3)",
                "p.yaml:2: kind: kind is \"ImagePolicy\"; an image policy has kind: ImagePolicyConfig");
        assertThat(problems("p.yaml", "kind: ImagePolicyConfig\napiVersion: v1\nexecutionRules:\n  - name: [\n")).singleElement()
                .satisfies(p -> assertThat(p.format()).startsWith("p.yaml:").contains("invalid YAML"));
        assertThat(problems("p.json", "{\"kind\": \"ImagePolicyConfig\",\n\t\"kind\": \"x\"}")).singleElement()
                .satisfies(p -> assertThat(p.format()).startsWith("p.json:2: invalid JSON: Duplicate field 'kind'"));
        assertThat(problems("p.yaml", "")).singleElement().satisfies(p -> assertThat(p.message()).startsWith("the file is empty"));
        assertThat(problems("p.yaml", "kind: ImagePolicyConfig\napiVersion: v1\n---\nkind: ImagePolicyConfig\napiVersion: v1\n"))
                .singleElement().satisfies(p -> assertThat(p.message()).contains("holds 2 YAML documents"));
    }

    @Test
    void tabIndentedJsonAsOpenShiftShipsItIsRead() throws Exception {
        ImagePolicy p = PARSER.parse("p.json", "{\n\t\"kind\": \"ImagePolicyConfig\",\n\t\"apiVersion\": \"v1\",\n"
                + "\t\"executionRules\": [{\"name\": \"a\", \"reject\": true, \"matchRegistries\": [\"quay.io\"]}]\n}").policy();
        assertThat(p.executionRules().get(0).reject()).isTrue();
    }

    @Test
    void mergesFilesAndNamesBothFilesOnConflicts() throws Exception {
        PolicyParser.Parsed merged = PARSER.parse(List.of(
                new PolicyParser.Source("a.yaml", "{kind: ImagePolicyConfig, apiVersion: v1, resolveImages: Attempt, exemptNamespaces: [kube-system],"
                        + " executionRules: [{name: one, matchRegistries: [docker.io]}]}"),
                new PolicyParser.Source("b.yaml", "{kind: ImagePolicyConfig, apiVersion: v1, integratedRegistryHostnames: [reg.svc:5000],"
                        + " executionRules: [{name: two, reject: true, matchRegistries: [quay.io]}]}")));
        assertThat(merged.policy().executionRules()).extracting(ExecutionRule::name).containsExactly("one", "two");
        assertThat(merged.policy().exemptNamespaces()).containsExactly("kube-system");
        assertThat(merged.policy().integratedRegistryHostnames()).hasSize(1);

        PolicyException conflict = org.junit.jupiter.api.Assertions.assertThrows(PolicyException.class, () -> PARSER.parse(List.of(
                new PolicyParser.Source("a.yaml", "kind: ImagePolicyConfig\napiVersion: v1\nresolveImages: Attempt\nexecutionRules: [{name: one}]\n"),
                new PolicyParser.Source("b.yaml", "kind: ImagePolicyConfig\napiVersion: v1\nresolveImages: Required\nexecutionRules: [{name: one}]\n"))));
        assertThat(conflict.problems()).extracting(PolicyProblem::format).containsExactlyInAnyOrder(
                "b.yaml:3: resolveImages: resolveImages is Required here but Attempt in a.yaml:3; the files of one policy must agree,"
                        + " so set it in one file only",
                "b.yaml:4: executionRules[0].name: duplicate rule name \"one\"; rule names must be unique (first at a.yaml:4)");
    }

    @Test
    void readsExtensionsAndLegacyGroups() throws Exception {
        ImagePolicy p = parse("""
                apiVersion: v1
                kind: ImagePolicyConfig
                defaultRegistry: docker.io
                skipControllerOwned: true
                executionRules:
                - name: r
                  enforcement: Warn
                  onResources: [{resource: deploymentconfigs}, {resource: buildconfigs}, {group: extensions, resource: daemonsets}]
                  matchRepositories: [quay.io/org/**]
                  matchImageAnnotations: [{key: a, set: true}]
                  matchImageLabels: [{matchExpressions: [{key: tier, operator: In, values: [gold]}]}]
                """);
        assertThat(p.defaultRegistry()).isEqualTo("docker.io");
        assertThat(p.skipControllerOwned()).isTrue();
        ExecutionRule r = p.executionRules().get(0);
        assertThat(r.enforcement()).isEqualTo(Enforcement.Warn);
        assertThat(r.onResources()).extracting(GroupResource::toString)
                .containsExactly("deploymentconfigs.apps.openshift.io", "buildconfigs.build.openshift.io", "daemonsets.extensions");
        assertThat(r.describe()).isEqualTo("allow rule \"r\" (matchRepositories [quay.io/org/**], matchImageLabels [{tier In [gold]}],"
                + " matchImageAnnotations [a (set)])");
    }

    @Test
    void selectorOperatorsAreValidated() {
        assertThat(problems("p.yaml", """
                kind: ImagePolicyConfig
                apiVersion: v1
                executionRules:
                - name: r
                  matchImageLabels:
                  - matchExpressions:
                    - {key: a, operator: In}
                    - {key: b, operator: Exists, values: [x]}
                    - {key: c, operator: Like, values: [x]}
                """)).extracting(PolicyProblem::message).containsExactly(
                "In needs at least one value", "Exists takes no values; remove them",
                "operator \"Like\" is not one of In, NotIn, Exists, DoesNotExist");
    }
}
