package org.imagepolicy.webhook.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.imagepolicy.webhook.admission.AdmissionReviewCodec;
import org.imagepolicy.webhook.admission.Decision;
import org.imagepolicy.webhook.admission.ImageFacts;
import org.imagepolicy.webhook.admission.Violation;
import org.imagepolicy.webhook.policy.PolicyParser;
import org.imagepolicy.webhook.policy.PolicyProblem;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 8: the engine judges what the node will pull and run, not what the string says. Each class of
 * attempt and its neighbours are rows of {@code conformance/runtime-identity.psv};
 * {@code RuntimeIdentityHttpsTest} sends the same rows to {@code /validate}.
 */
class RuntimeIdentityTest {

    static List<RuntimeIdentityCases.Case> cases() {
        return RuntimeIdentityCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theEngineJudgesWhatTheRuntimeDials(RuntimeIdentityCases.Case c) throws Exception {
        Decision d = Conformance.engine(c.policyText()).decide(AdmissionReviewCodec.decode(Conformance.JSON.writeValueAsBytes(c.review())),
                ImageFacts.OFFLINE);
        String reasons = d.violations().stream().map(Violation::reason).collect(Collectors.joining("\n"));
        assertThat(d.allowed()).as("%s\n%s", c, reasons).isEqualTo(c.allowed());
        if (!c.allowed()) {
            assertThat(d.message()).as("the denial names the image").contains(c.image().length() > 60 ? c.image().substring(0, 60) : c.image());
            assertThat(d.message()).as("the denial says why").contains(c.fragment());
        }
    }

    @Test
    void everyClassOfTheIssueHasRows() {
        List<String> whys = cases().stream().map(RuntimeIdentityCases.Case::why).toList();
        assertThat(cases()).hasSizeGreaterThan(50);
        assertThat(String.join("\n", whys)).contains("default port", "leading zero", "IPv6", "inet_aton", "image ID", "candidates",
                "255-character path");
    }

    @Test
    @DisplayName("check-policy warns when deny rules leave unqualified images unjudged, and names the setting")
    void aDenyListWithoutSearchRegistriesIsWarnedAbout() throws Exception {
        PolicyParser.Parsed upstream = new PolicyParser(false).parse("p.yaml", Conformance.resource("runtime-identity/unqualified-upstream.yaml"));
        assertThat(upstream.warnings()).extracting(PolicyProblem::format)
                .anySatisfy(w -> assertThat(w).contains("p.yaml:5").contains("unqualifiedSearchRegistries"));
        PolicyParser.Parsed searched = new PolicyParser(false).parse("p.yaml", Conformance.resource("runtime-identity/unqualified-searched.yaml"));
        assertThat(searched.warnings()).extracting(PolicyProblem::format).noneMatch(w -> w.contains("unqualifiedSearchRegistries"));
        PolicyParser.Parsed allowList = new PolicyParser(false).parse("p.yaml", Conformance.resource("runtime-identity/allow-list.yaml"));
        assertThat(allowList.warnings()).as("an allow-list already denies unqualified images").isEmpty();
    }

    @Test
    void searchRegistriesAndDefaultRegistryAreOneOrTheOther() {
        assertThat(Conformance.errorText("""
                kind: ImagePolicyConfig
                apiVersion: v1
                defaultRegistry: docker.io
                unqualifiedSearchRegistries: [quay.io, docker.io]
                """)).contains("policy.yaml:4").contains("not both");
        assertThat(Conformance.errorText("""
                kind: ImagePolicyConfig
                apiVersion: v1
                unqualifiedSearchRegistries: ["*.example.com"]
                """)).contains("policy.yaml:3").contains("not a wildcard");
    }

    @Test
    void anUnqualifiedImageUnderRequiredIsNotResolvedAgainstOneOfSeveralRegistries() {
        Decision d = Conformance.decide(Conformance.engine("""
                kind: ImagePolicyConfig
                apiVersion: v1
                resolveImages: Required
                unqualifiedSearchRegistries: [quay.io, docker.io]
                executionRules:
                - name: anything
                  matchRegistries: [quay.io, docker.io]
                """), Conformance.createPod("nginx:1"), (field, ref) -> {
                    throw new AssertionError("no lookup: the node, not the image string, picks the registry");
                });
        assertThat(d.allowed()).isFalse();
        assertThat(d.message()).contains("any of quay.io, docker.io").contains("write the registry, as in quay.io/nginx:1");
    }
}
