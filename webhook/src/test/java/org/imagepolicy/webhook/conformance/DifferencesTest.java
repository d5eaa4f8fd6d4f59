package org.imagepolicy.webhook.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.imagepolicy.webhook.conformance.Conformance.BAD;
import static org.imagepolicy.webhook.conformance.Conformance.always;
import static org.imagepolicy.webhook.conformance.Conformance.assertAllowed;
import static org.imagepolicy.webhook.conformance.Conformance.assertDenied;
import static org.imagepolicy.webhook.conformance.Conformance.build;
import static org.imagepolicy.webhook.conformance.Conformance.container;
import static org.imagepolicy.webhook.conformance.Conformance.create;
import static org.imagepolicy.webhook.conformance.Conformance.createPod;
import static org.imagepolicy.webhook.conformance.Conformance.dockerRef;
import static org.imagepolicy.webhook.conformance.Conformance.encoded;
import static org.imagepolicy.webhook.conformance.Conformance.engine;
import static org.imagepolicy.webhook.conformance.Conformance.errorText;
import static org.imagepolicy.webhook.conformance.Conformance.errors;
import static org.imagepolicy.webhook.conformance.Conformance.only;
import static org.imagepolicy.webhook.conformance.Conformance.ownedByController;
import static org.imagepolicy.webhook.conformance.Conformance.pod;
import static org.imagepolicy.webhook.conformance.Conformance.policy;
import static org.imagepolicy.webhook.conformance.Conformance.review;
import static org.imagepolicy.webhook.conformance.Conformance.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.imagepolicy.webhook.admission.AdmissionInput;
import org.imagepolicy.webhook.admission.Decision;
import org.imagepolicy.webhook.admission.ImageFacts;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.admission.Violation;
import org.imagepolicy.webhook.image.HostPattern;
import org.imagepolicy.webhook.image.ImageReference;
import org.imagepolicy.webhook.image.InvalidImageReferenceException;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.policy.Enforcement;
import org.imagepolicy.webhook.policy.GroupResource;
import org.imagepolicy.webhook.policy.ImagePolicy;
import org.imagepolicy.webhook.policy.PolicyProblem;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The issue's 13 deliberate differences from upstream, plus exempt namespaces, the unqualified-image hint and the seed policy. */
class DifferencesTest {
    private static final String HEADER = "kind: ImagePolicyConfig\napiVersion: image.openshift.io/v1\n";

    private static ImagePolicyEngine allowRegistries(String... entries) {
        return engine(HEADER + "executionRules:\n- name: allow-listed\n  matchRegistries: [" + quoted(entries) + "]\n");
    }

    private static ImagePolicyEngine allowRepositories(String... entries) {
        return engine(HEADER + "executionRules:\n- name: allow-repos\n  matchRepositories: [" + quoted(entries) + "]\n");
    }

    private static String quoted(String... entries) {
        StringBuilder sb = new StringBuilder();
        for (String e : entries) {
            sb.append(sb.length() == 0 ? "" : ", ").append('"').append(e).append('"');
        }
        return sb.toString();
    }

    private static boolean allowed(ImagePolicyEngine e, String image) {
        return e.decide(createPod(image), ImageFacts.OFFLINE).allowed();
    }

    // ---------------------------------------------------------------- 1. registry host comparison

    @ParameterizedTest(name = "difference 1: matchRegistries [{0}] vs {1} -> {2}")
    @DisplayName("difference 1: hosts compare case-insensitively, Docker Hub aliases are one registry, ports match exactly")
    @CsvSource({
        "quay.io,              QUAY.IO/org/app:1,                   true",
        "Quay.IO,              quay.io/org/app:1,                   true",
        "docker.io,            index.docker.io/library/nginx:1,     true",
        "docker.io,            registry-1.docker.io/library/nginx:1, true",
        "index.docker.io,      docker.io/library/nginx:1,           true",
        "registry-1.docker.io, index.docker.io/bitnami/redis:7,     true",
        "myregistry.io,        myregistry.io:5000/test:latest,      false",
        "myregistry.io:5000,   myregistry.io/test:latest,           false",
        "myregistry.io:5000,   myregistry.io:5000/test:latest,      true",
        "myregistry.io:5000,   myregistry.io:5001/test:latest,      false",
        "quay.io,              quay.io.evil.net/org/app:1,          false",
        "quay.io,              evilquay.io/org/app:1,               false",
    })
    void d1_hostComparison(String entry, String image, boolean expected) {
        assertThat(allowed(allowRegistries(entry), image)).isEqualTo(expected);
    }

    // ---------------------------------------------------------------- 2. wildcards

    @ParameterizedTest(name = "difference 2: matchRegistries [{0}] vs {1} -> {2}")
    @DisplayName("difference 2: *.example.com matches subdomains only, never example.com or example.com.evil.net")
    @CsvSource({
        "*.example.com,      a.example.com/x/y:1,         true",
        "*.example.com,      a.b.example.com/x/y:1,       true",
        "*.example.com,      A.Example.COM/x/y:1,         true",
        "*.example.com,      example.com/x/y:1,           false",
        "*.example.com,      example.com.evil.net/x/y:1,  false",
        "*.example.com,      evilexample.com/x/y:1,       false",
        "*.example.com,      a.example.com:5000/x/y:1,    false",
        "*.example.com:5000, a.example.com:5000/x/y:1,    true",
    })
    void d2_wildcardMatching(String entry, String image, boolean expected) {
        assertThat(allowed(allowRegistries(entry), image)).isEqualTo(expected);
    }

    @Test
    @DisplayName("difference 2: *.example.com never matches example.com.evil.net (HostPattern)")
    void d2_hostPatternDirect() {
        HostPattern p = HostPattern.parse("*.example.com");
        assertThat(p.matches(ImageReference.parse("a.example.com/x").registryKey())).isTrue();
        assertThat(p.matches(ImageReference.parse("example.com.evil.net/x").registryKey())).isFalse();
        assertThat(p.matches(ImageReference.parse("example.com/x").registryKey())).isFalse();
        assertThat(p.matches("")).isFalse();
    }

    @ParameterizedTest(name = "difference 2: matchRegistries entry \"{0}\" is a validation error with a hint")
    @DisplayName("difference 2: other asterisks, schemes, paths and empty entries are validation errors with a hint")
    @ValueSource(strings = {"*", "**", "foo*.example.com", "*example.com", "ex*ample.com", "*.*.example.com", "example.com.*",
        "*quay.io*", "https://quay.io", "quay.io/org", "", "  "})
    void d2_invalidEntries(String entry) {
        List<PolicyProblem> errs = errors(HEADER + "executionRules:\n- name: r\n  matchRegistries: [\"" + entry + "\"]\n");
        assertThat(errs).anySatisfy(p -> {
            assertThat(p.path()).isEqualTo("executionRules[0].matchRegistries[0]");
            assertThat(p.message()).containsAnyOf("as in", "write", "use ");
        });
        assertThatThrownBy(() -> HostPattern.parse(entry)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("difference 2: *my.registry.example.com* from the seed documents is rejected: the error says the asterisks are formatting")
    void d2_asterisksAreFormatting() {
        String text = errorText(HEADER + "executionRules:\n- name: r\n  matchRegistries: [\"*my.registry.example.com*\"]\n");
        assertThat(text).contains("formatting").contains("my.registry.example.com");
        assertThatThrownBy(() -> HostPattern.parse("*my.registry.example.com*")).hasMessageContaining("formatting");
    }

    @Test
    @DisplayName("difference 2: integratedRegistryHostnames are validated the same way")
    void d2_integratedHostnamesValidated() {
        assertThat(errors(HEADER + "integratedRegistryHostnames: [\"https://registry.example.com\"]\n"))
                .anySatisfy(p -> assertThat(p.path()).isEqualTo("integratedRegistryHostnames[0]"));
        assertThat(errors(HEADER + "integratedRegistryHostnames: [\"*registry.example.com*\"]\n"))
                .anySatisfy(p -> assertThat(p.message()).contains("formatting"));
    }

    // ---------------------------------------------------------------- 3. unqualified images

    @Test
    @DisplayName("difference 3: an unqualified image has registry \"\" and matches no registry")
    void d3_unqualifiedHasNoRegistry() {
        ImageReference r = ImageReference.parse("nginx");
        assertThat(r.registry()).isEmpty();
        assertThat(r.registryKey()).isEmpty();
        assertThat(ImageReference.parse("kubernetes/guestbook").registry()).isEmpty();
        assertThat(allowed(allowRegistries("docker.io"), "nginx")).isFalse();
    }

    @ParameterizedTest(name = "difference 3: denial of unqualified {0} says to write {1}")
    @DisplayName("difference 3: the denial of an unqualified image says to write the registry")
    @CsvSource({"nginx, docker.io/library/nginx", "kubernetes/guestbook, docker.io/kubernetes/guestbook",
        "nginx:1.25, docker.io/library/nginx:1.25"})
    void d3_unqualifiedHint(String image, String hint) {
        Decision d = allowRegistries("docker.io").decide(createPod(image), ImageFacts.OFFLINE);
        assertDenied(d, "spec.containers[0].image");
        assertThat(only(d).reason()).contains(hint).contains("allow-listed");
    }

    @Test
    @DisplayName("difference 3: defaultRegistry: docker.io reads unqualified images as Docker Hub (library/ for one segment)")
    void d3_defaultRegistry() {
        ImagePolicyEngine registries = engine(HEADER + "defaultRegistry: docker.io\nexecutionRules:\n- name: hub\n  matchRegistries: [docker.io]\n");
        assertThat(allowed(registries, "nginx")).isTrue();
        assertThat(allowed(registries, "kubernetes/guestbook:v3")).isTrue();
        assertThat(allowed(registries, "quay.io/org/app")).isFalse();
        ImagePolicyEngine repos = engine(HEADER + "defaultRegistry: docker.io\nexecutionRules:\n- name: hub\n"
                + "  matchRepositories: [docker.io/library/nginx, docker.io/kubernetes/*]\n");
        assertThat(allowed(repos, "nginx:1.25")).isTrue();
        assertThat(allowed(repos, "kubernetes/guestbook:v3")).isTrue();
        assertThat(allowed(repos, "redis")).isFalse();
        assertThat(allowed(allowRepositories("docker.io/library/nginx"), "nginx")).as("without defaultRegistry").isFalse();
        assertThat(ImageReference.parse("nginx").canonicalRepository("docker.io")).isEqualTo("docker.io/library/nginx");
        assertThat(ImageReference.parse("kubernetes/guestbook").canonicalRepository("docker.io")).isEqualTo("docker.io/kubernetes/guestbook");
        assertThat(ImageReference.parse("nginx").canonicalRepository(null)).isNull();
    }

    // ---------------------------------------------------------------- 4. matchRepositories

    @ParameterizedTest(name = "difference 4: matchRepositories [{0}] vs {1} -> {2}")
    @DisplayName("difference 4: matchRepositories compares path components after Docker Hub normalization")
    @CsvSource({
        "docker.io/nginx,          docker.io/library/nginx:1,      true",
        "docker.io/library/nginx,  docker.io/nginx,                true",
        "docker.io/nginx,          index.docker.io/nginx:1,        true",
        "docker.io/nginx,          docker.io/nginxx,               false",
        "quay.io/myorg/*,          quay.io/myorg/app:1,            true",
        "quay.io/myorg/*,          quay.io/myorg/team/app:1,       false",
        "quay.io/myorg/**,         quay.io/myorg/team/app:1,       true",
        "quay.io/myorg/**,         quay.io/myorg/app:1,            true",
        "quay.io/myorg/**,         quay.io/myorg-evil/x:1,         false",
        "quay.io/myorg/**,         quay.io/myorg:1,                false",
        "quay.io/*/app,            quay.io/any/app:1,              true",
        "quay.io/*/app,            quay.io/any/app2:1,             false",
        "*.example.com/team/**,    r.example.com/team/x:1,         true",
        "*.example.com/team/**,    example.com/team/x:1,           false",
        "quay.io/myorg/app,        QUAY.io/myorg/app:1,            true",
        "quay.io/myorg/app,        quay.io:443/myorg/app:1,        true",
        "quay.io/myorg/**,         myorg/app,                      false",
    })
    void d4_repositoryMatching(String pattern, String image, boolean expected) {
        assertThat(allowed(allowRepositories(pattern), image)).isEqualTo(expected);
    }

    @Test
    @DisplayName("difference 4: matchRepositories is ANDed with the other conditions")
    void d4_andedWithOtherConditions() {
        ImagePolicyEngine e = engine(HEADER + "executionRules:\n- name: r\n  matchRegistries: [quay.io]\n"
                + "  matchRepositories: [quay.io/team/**, ghcr.io/team/**]\n");
        assertThat(allowed(e, "quay.io/team/app:1")).isTrue();
        assertThat(allowed(e, "ghcr.io/team/app:1")).as("repository matches, registry does not").isFalse();
        assertThat(allowed(e, "quay.io/other/app:1")).as("registry matches, repository does not").isFalse();
    }

    @ParameterizedTest(name = "difference 4: matchRepositories entry \"{0}\" is a validation error")
    @DisplayName("difference 4: malformed matchRepositories patterns are validation errors")
    @ValueSource(strings = {"quay.io", "quay.io/my*org", "quay.io/**/app", "quay.io/org/app:1", "https://quay.io/org", "quay.io/MyOrg", ""})
    void d4_invalidPatterns(String pattern) {
        assertThat(errors(HEADER + "executionRules:\n- name: r\n  matchRepositories: [\"" + pattern + "\"]\n"))
                .anySatisfy(p -> assertThat(p.path()).isEqualTo("executionRules[0].matchRepositories[0]"));
    }

    // ---------------------------------------------------------------- 5. integratedRegistryHostnames

    @Test
    @DisplayName("difference 5: several integratedRegistryHostnames all count as the integrated registry")
    void d5_severalIntegratedHostnames() {
        ImagePolicyEngine e = engine(HEADER + "integratedRegistryHostnames:\n- image-registry.openshift-image-registry.svc:5000\n"
                + "- \"*.apps.example.com\"\nexecutionRules:\n- name: internal-only\n  matchIntegratedRegistry: true\n");
        assertThat(allowed(e, "image-registry.openshift-image-registry.svc:5000/ns/app:1")).isTrue();
        assertThat(allowed(e, "default-route-openshift-image-registry.apps.example.com/ns/app:1")).isTrue();
        assertThat(allowed(e, "image-registry.openshift-image-registry.svc/ns/app:1")).as("port must match").isFalse();
        assertThat(allowed(e, "quay.io/ns/app:1")).isFalse();
        ImagePolicy p = policy(HEADER + "integratedRegistryHostnames: [a.example.com, b.example.com:5000]\n");
        assertThat(p.integratedRegistryHostnames()).extracting(HostPattern::text).containsExactly("a.example.com", "b.example.com:5000");
    }

    // ---------------------------------------------------------------- 6. enforcement

    @Test
    @DisplayName("difference 6: a Warn deny rule admits the request and returns the violation as a warning")
    void d6_warn() {
        ImagePolicyEngine e = engine(HEADER + "executionRules:\n- name: warn-hub\n  reject: true\n  enforcement: Warn\n"
                + "  matchRegistries: [docker.io]\n");
        Decision d = e.decide(createPod("docker.io/library/nginx:1"), ImageFacts.OFFLINE);
        assertThat(d.allowed()).isTrue();
        assertThat(d.outcome()).isEqualTo(Decision.Outcome.WARNED);
        assertThat(d.warnings()).singleElement().asString().contains("spec.containers[0].image").contains("warn-hub");
        assertThat(only(d).enforcement()).isEqualTo(Enforcement.Warn);
        JsonNode response = encoded(d).path("response");
        assertThat(response.path("allowed").asBoolean()).isTrue();
        assertThat(response.path("status").isMissingNode()).isTrue();
        assertThat(response.path("warnings")).hasSize(1);
        assertThat(response.path("warnings").get(0).asText()).contains("warn-hub");
    }

    @Test
    @DisplayName("difference 6: an Audit deny rule admits the request and records the violation in auditAnnotations")
    void d6_audit() {
        ImagePolicyEngine e = engine(HEADER + "executionRules:\n- name: audit-hub\n  reject: true\n  enforcement: Audit\n"
                + "  matchRegistries: [docker.io]\n");
        Decision d = e.decide(createPod("docker.io/library/nginx:1"), ImageFacts.OFFLINE);
        assertThat(d.allowed()).isTrue();
        assertThat(d.outcome()).isEqualTo(Decision.Outcome.AUDITED);
        assertThat(d.warnings()).isEmpty();
        assertThat(d.auditAnnotations()).isNotEmpty();
        assertThat(String.join(" ", d.auditAnnotations().values())).contains("spec.containers[0].image").contains("audit-hub");
        JsonNode response = encoded(d).path("response");
        assertThat(response.path("allowed").asBoolean()).isTrue();
        assertThat(response.path("auditAnnotations").isObject()).isTrue();
        assertThat(response.path("auditAnnotations").toString()).contains("audit-hub");
        assertThat(response.path("warnings").isMissingNode()).isTrue();
    }

    @ParameterizedTest(name = "difference 6: allow rules with enforcements {0} and {1}: an image no allow rule matches is {2}")
    @DisplayName("difference 6: a reference no allow rule matches takes the strongest enforcement among the allow rules")
    @CsvSource({"Warn, Audit, WARNED", "Audit, Audit, AUDITED", "Warn, Deny, DENIED", "Audit, Deny, DENIED", "Warn, Warn, WARNED"})
    void d6_noAllowRuleTakesStrongestAllowEnforcement(String first, String second, Decision.Outcome outcome) {
        ImagePolicyEngine e = engine(HEADER + "executionRules:\n- name: a\n  enforcement: " + first + "\n  matchRegistries: [quay.io]\n"
                + "- name: b\n  enforcement: " + second + "\n  matchRegistries: [ghcr.io]\n");
        Decision d = e.decide(createPod("docker.io/library/nginx:1"), ImageFacts.OFFLINE);
        assertThat(d.outcome()).isEqualTo(outcome);
        assertThat(d.allowed()).isEqualTo(outcome != Decision.Outcome.DENIED);
        assertThat(allowed(e, "quay.io/org/app:1")).isTrue();
    }

    @Test
    @DisplayName("difference 6: enforcement defaults to Deny; an unknown enforcement is a validation error")
    void d6_defaultsAndValidation() {
        assertThat(policy(HEADER + "executionRules:\n- name: r\n").executionRules().get(0).enforcement()).isEqualTo(Enforcement.Deny);
        assertThat(errors(HEADER + "executionRules:\n- name: r\n  enforcement: Block\n"))
                .anySatisfy(p -> assertThat(p.path()).isEqualTo("executionRules[0].enforcement"));
    }

    @Test
    @DisplayName("difference 6: a Warn violation and a Deny violation in one request: denied, and the Deny reference is the one rejected")
    void d6_mixedEnforcement() {
        ImagePolicyEngine e = engine(HEADER + "executionRules:\n- name: warn-hub\n  reject: true\n  enforcement: Warn\n"
                + "  matchRegistries: [docker.io]\n- name: deny-evil\n  reject: true\n  matchRegistries: [evil.example]\n");
        Decision d = e.decide(createPod("docker.io/library/nginx:1", "evil.example/x:1"), ImageFacts.OFFLINE);
        assertThat(d.allowed()).isFalse();
        assertThat(d.message()).contains("spec.containers[1].image: Forbidden").doesNotContain("spec.containers[0].image: Forbidden");
        JsonNode causes = encoded(d).path("response").path("status").path("details").path("causes");
        assertThat(causes).hasSize(1);
        assertThat(causes.get(0).path("field").asText()).isEqualTo("spec.containers[1].image");
    }

    // ---------------------------------------------------------------- 7. exemptNamespaces

    @Test
    @DisplayName("difference 7: requests in exemptNamespaces are allowed unchecked")
    void d7_exemptNamespaces() {
        ImagePolicyEngine e = engine(HEADER + "exemptNamespaces: [kube-system, openshift-monitoring]\nexecutionRules:\n"
                + "- name: quay-only\n  matchRegistries: [quay.io]\n");
        Conformance.StubFacts f = Conformance.facts();
        Decision d = e.decide(review("CREATE", "", "v1", "pods", null, "kube-system", pod("evil.example/x:1"), null), f);
        assertAllowed(d);
        assertThat(d.outcome()).isEqualTo(Decision.Outcome.SKIPPED);
        assertThat(f.lookups.get()).as("unchecked: not even resolved").isZero();
        assertDenied(e.decide(review("CREATE", "", "v1", "pods", null, "default", pod("evil.example/x:1"), null), f));
        assertThat(errors(HEADER + "exemptNamespaces: [Kube_System]\n"))
                .anySatisfy(p -> assertThat(p.path()).isEqualTo("exemptNamespaces[0]"));
    }

    // ---------------------------------------------------------------- 8. controller-owned objects

    @Test
    @DisplayName("difference 8: a pod owned by a controller is checked (upstream skipped it)")
    void d8_controllerOwnedChecked() {
        ImagePolicyEngine e = allowRegistries("quay.io");
        assertDenied(e.decide(create("", "pods", ownedByController(pod("evil.example/x:1"))), ImageFacts.OFFLINE),
                "spec.containers[0].image");
    }

    @Test
    @DisplayName("difference 8: skipControllerOwned: true restores upstream: controller-owned objects are skipped, others still checked")
    void d8_skipControllerOwned() {
        ImagePolicyEngine e = engine(HEADER + "skipControllerOwned: true\nexecutionRules:\n- name: quay-only\n  matchRegistries: [quay.io]\n"
                + "  onResources: [{resource: pods}, {group: apps, resource: replicasets}]\n");
        assertThat(e.decide(create("", "pods", ownedByController(pod("evil.example/x:1"))), ImageFacts.OFFLINE).outcome())
                .isEqualTo(Decision.Outcome.SKIPPED);
        assertThat(e.decide(create("apps", "replicasets", ownedByController(workload("apps/v1", "ReplicaSet", "evil.example/x:1"))),
                ImageFacts.OFFLINE).allowed()).isTrue();
        ObjectNode notController = pod("evil.example/x:1");
        ((ObjectNode) ownedByController(notController).path("metadata").path("ownerReferences").get(0)).put("controller", false);
        assertThat(e.decide(create("", "pods", notController), ImageFacts.OFFLINE).allowed()).as("owner but not controller").isFalse();
        assertThat(policy(HEADER).skipControllerOwned()).as("default").isFalse();
    }

    // ---------------------------------------------------------------- 9. 3.x legacy groups

    @Test
    @DisplayName("difference 9: 3.x {resource: builds} (group \"\") is read as build.openshift.io/builds, and so are the other OpenShift resources")
    void d9_legacyGroupsInConfig() {
        ImagePolicy p = policy("kind: ImagePolicyConfig\napiVersion: v1\nexecutionRules:\n- name: r\n  onResources:\n"
                + "  - resource: builds\n  - resource: buildconfigs\n  - resource: deploymentconfigs\n");
        assertThat(p.executionRules().get(0).onResources()).containsExactly(
                GroupResource.of("build.openshift.io", "builds"),
                GroupResource.of("build.openshift.io", "buildconfigs"),
                GroupResource.of("apps.openshift.io", "deploymentconfigs"));
    }

    @Test
    @DisplayName("difference 9: the 3.x default policy denies a bad Build addressed in either group (requests are normalized too)")
    void d9_legacyGroupsInRequests() {
        ImagePolicyEngine e = new ImagePolicyEngine(policy(Conformance.resource("default-policy-3x.yaml")));
        ImageFacts facts = always(BAD);
        var b = build("Build", List.of(), "dockerStrategy", dockerRef("quay.io/org/bad@" + Conformance.BAD_SHA));
        assertDenied(e.decide(create("build.openshift.io", "builds", b), facts), "spec.strategy.dockerStrategy.from.name");
        AdmissionInput legacy = create("", "builds", b);
        assertThat(legacy.resource()).isEqualTo(GroupResource.of("build.openshift.io", "builds"));
        assertDenied(e.decide(legacy, facts), "spec.strategy.dockerStrategy.from.name");
        assertThat(create("", "deploymentconfigs", workload("v1", "DeploymentConfig", "x")).resource())
                .isEqualTo(GroupResource.of("apps.openshift.io", "deploymentconfigs"));
    }

    @Test
    @DisplayName("difference 9: a 3.x {resource: builds} execution rule gives the built-in build.openshift.io/builds resolution rule the global mode; resolution rules are normalized too")
    void d9_legacyGroupsInResolutionRules() {
        ImagePolicy p = policy(Conformance.resource("default-policy-3x.yaml"));
        assertThat(p.resolutionRules()).filteredOn(r -> r.targetResource().equals(GroupResource.of("build.openshift.io", "builds")))
                .singleElement().satisfies(r -> assertThat(r.policy()).isEqualTo(org.imagepolicy.webhook.policy.ResolutionType.Attempt));
        ImagePolicy given = policy("kind: ImagePolicyConfig\napiVersion: v1\nresolutionRules:\n- targetResource: {resource: builds}\n  policy: Attempt\n");
        assertThat(given.resolutionRules()).singleElement()
                .satisfies(r -> assertThat(r.targetResource()).isEqualTo(GroupResource.of("build.openshift.io", "builds")));
    }

    // ---------------------------------------------------------------- 10. ephemeral containers

    private static ObjectNode withEphemeral(ObjectNode pod, String... images) {
        var list = ((ObjectNode) pod.path("spec")).putArray("ephemeralContainers");
        for (int i = 0; i < images.length; i++) {
            list.add(container("debugger-" + i, images[i]));
        }
        return pod;
    }

    private static AdmissionInput ephemeralUpdate(ObjectNode now, ObjectNode old) {
        return review("UPDATE", "", "v1", "pods", "ephemeralcontainers", "default", now, old);
    }

    @Test
    @DisplayName("difference 10: a pods/ephemeralcontainers UPDATE adding a forbidden image is denied (judged as pods)")
    void d10_newEphemeralContainerDenied() {
        ImagePolicyEngine e = allowRegistries("quay.io");
        ObjectNode old = pod("quay.io/org/app:1");
        ObjectNode now = withEphemeral(pod("quay.io/org/app:1"), "docker.io/library/busybox:1");
        assertDenied(e.decide(ephemeralUpdate(now, old), ImageFacts.OFFLINE), "spec.ephemeralContainers[0].image");
        assertAllowed(e.decide(ephemeralUpdate(withEphemeral(pod("quay.io/org/app:1"), "quay.io/tools/debug:1"), old), ImageFacts.OFFLINE));
    }

    @Test
    @DisplayName("difference 10: only ephemeral images new since oldObject are judged")
    void d10_onlyNewEphemeralImages() {
        ImagePolicyEngine e = allowRegistries("quay.io");
        ObjectNode old = withEphemeral(pod("quay.io/org/app:1"), "docker.io/library/busybox:1");
        ObjectNode same = withEphemeral(pod("quay.io/org/app:1"), "docker.io/library/busybox:1");
        assertAllowed(e.decide(ephemeralUpdate(same, old), ImageFacts.OFFLINE));
        ObjectNode more = withEphemeral(pod("quay.io/org/app:1"), "docker.io/library/busybox:1", "docker.io/library/alpine:3");
        assertDenied(e.decide(ephemeralUpdate(more, old), ImageFacts.OFFLINE), "spec.ephemeralContainers[1].image");
    }

    @ParameterizedTest(name = "difference 10: UPDATE of {0}/{1} is allowed unchecked")
    @DisplayName("difference 10: subresources other than pods/ephemeralcontainers are allowed unchecked")
    @CsvSource({"pods, status, ''", "deployments, scale, apps", "pods, binding, ''", "replicasets, status, apps"})
    void d10_otherSubresourcesAllowed(String resource, String sub, String group) {
        ImagePolicyEngine e = engine(HEADER + "executionRules:\n- name: quay-only\n  matchRegistries: [quay.io]\n  onResources:\n"
                + "  - {resource: pods}\n  - {group: apps, resource: deployments}\n  - {group: apps, resource: replicasets}\n");
        ObjectNode object = resource.equals("pods") ? pod("evil.example/x:1") : workload("apps/v1", "Deployment", "evil.example/x:1");
        Decision d = e.decide(review("UPDATE", group, "v1", resource, sub, "default", object, null), ImageFacts.OFFLINE);
        assertAllowed(d);
        assertThat(d.outcome()).isEqualTo(Decision.Outcome.SKIPPED);
    }

    // ---------------------------------------------------------------- 11. unparseable references

    @ParameterizedTest(name = "difference 11: unparseable \"{0}\" is rejected with the parser's reason")
    @DisplayName("difference 11: an unparseable image reference is rejected with the parser's reason")
    @ValueSource(strings = {"Nginx:1", "docker.io/Library/nginx", "nginx@sha256:123", "nginx@md5:abcd", "nginx:", "nginx:-bad",
        "-bad/x:1", "quay.io//x", "quay.io/x y", "quay.io/org/app:tag@sha256:xyz"})
    void d11_unparseableRejected(String image) {
        String reason = null;
        try {
            ImageReference.parse(image);
        } catch (InvalidImageReferenceException ex) {
            reason = ex.getMessage();
        }
        assertThat(reason).as("the parser refuses %s", image).isNotBlank();
        // a deny-only policy (default-allow) that would otherwise admit any image
        ImagePolicyEngine e = engine(HEADER + "executionRules:\n- name: deny-evil\n  reject: true\n  matchRegistries: [evil.example]\n");
        Decision d = e.decide(createPod(image), ImageFacts.OFFLINE);
        assertDenied(d, "spec.containers[0].image");
        assertThat(only(d).reason()).contains(reason);
        assertThat(d.message()).contains(reason);
    }

    @Test
    @DisplayName("difference 11: an unparseable image in a resource nothing covers is not judged")
    void d11_uncoveredResourceNotJudged() {
        ImagePolicyEngine e = engine(HEADER + "resolutionRules: []\nexecutionRules:\n- name: quay-only\n  matchRegistries: [quay.io]\n");
        assertAllowed(e.decide(create("apps", "deployments", workload("apps/v1", "Deployment", "Not_A_Valid/Image")), ImageFacts.OFFLINE));
        assertDenied(e.decide(createPod("Not_A_Valid/Image"), ImageFacts.OFFLINE));
    }

    // ---------------------------------------------------------------- 12. onResources must carry images

    @ParameterizedTest(name = "difference 12 (supersedes §4 E.68, H.86): onResources {0} is a validation error listing the supported resources")
    @DisplayName("difference 12 (supersedes §4 E.68, H.86): onResources naming a resource without images is a validation error listing the supported resources")
    @ValueSource(strings = {"{resource: services}", "{resource: nodes}", "{group: extra, resource: services}", "{group: extra, resource: nodes}",
        "{resource: configmaps}", "{group: image.openshift.io, resource: imagestreams}", "{resource: imagestreams}"})
    void d12_resourcesWithoutImages(String gr) {
        List<PolicyProblem> errs = errors(HEADER + "executionRules:\n- name: r\n  onResources: [" + gr + "]\n");
        assertThat(errs).anySatisfy(p -> {
            assertThat(p.path()).startsWith("executionRules[0].onResources[0]");
            assertThat(p.message()).contains("pods").contains("deployments").contains("builds").contains("cronjobs");
        });
    }

    @Test
    @DisplayName("difference 12: deployments named without group apps is an error that names the right group")
    void d12_wrongGroupHint() {
        assertThat(errorText(HEADER + "executionRules:\n- name: r\n  onResources: [{resource: deployments}]\n")).contains("apps");
    }

    // ---------------------------------------------------------------- 13. denial format

    @Test
    @DisplayName("difference 13: 403 Forbidden, one message line and one cause per rejected reference, each naming its rule")
    void d13_encodedDenial() {
        ImagePolicyEngine e = engine(HEADER + "executionRules:\n- name: allow-quay\n  matchRegistries: [quay.io]\n"
                + "- name: deny-quay-evil\n  reject: true\n  matchRepositories: [quay.io/evil/**]\n");
        ObjectNode pod = pod("quay.io/evil/miner:1", "quay.io/good/app:1", "ghcr.io/other/app:1");
        Decision d = e.decide(create("", "pods", pod), ImageFacts.OFFLINE);
        assertDenied(d, "spec.containers[0].image", "spec.containers[2].image");
        Violation denied = d.violations().get(0);
        assertThat(denied.rule()).isEqualTo("deny-quay-evil");
        assertThat(denied.reason()).contains("deny-quay-evil");
        Violation noAllow = d.violations().get(1);
        assertThat(noAllow.reason()).containsPattern("no allow rule.* matched").contains("allow-quay");

        JsonNode response = encoded(d).path("response");
        assertThat(response.path("uid").asText()).isEqualTo("uid-1");
        assertThat(response.path("allowed").asBoolean(true)).isFalse();
        JsonNode status = response.path("status");
        assertThat(status.path("code").asInt()).isEqualTo(403);
        assertThat(status.path("reason").asText()).isEqualTo("Forbidden");
        String message = status.path("message").asText();
        assertThat(message)
                .contains("spec.containers[0].image: Forbidden: this image is prohibited by policy: " + denied.reason())
                .contains("spec.containers[2].image: Forbidden: this image is prohibited by policy: " + noAllow.reason())
                .doesNotContain("spec.containers[1].image");
        JsonNode causes = status.path("details").path("causes");
        assertThat(causes).hasSize(2);
        assertThat(causes.get(0).path("field").asText()).isEqualTo("spec.containers[0].image");
        assertThat(causes.get(1).path("field").asText()).isEqualTo("spec.containers[2].image");
        assertThat(causes.get(0).path("message").asText()).contains("this image is prohibited by policy: ").contains("deny-quay-evil");
    }

    @Test
    @DisplayName("difference 13: the same forbidden image in two containers gives two causes (no upstream de-duplication)")
    void d13_repeatedReferenceKeepsEveryCause() {
        Decision d = allowRegistries("quay.io").decide(createPod("ghcr.io/a/b:1", "ghcr.io/a/b:1"), ImageFacts.OFFLINE);
        assertDenied(d, "spec.containers[0].image", "spec.containers[1].image");
        assertThat(encoded(d).path("response").path("status").path("details").path("causes")).hasSize(2);
    }

    @Test
    @DisplayName("difference 13: the reason carries the resolution error in full")
    void d13_resolutionErrorInFull() {
        String error = "GET https://registry.example/v2/org/app/manifests/1: 401 Unauthorized: authentication required";
        ImageFacts failing = (field, ref) -> new Resolution.Failed(error);
        ImagePolicyEngine e = engine(HEADER + "executionRules:\n- name: labelled\n  matchImageLabels: [{matchLabels: {approved: \"yes\"}}]\n");
        Decision d = e.decide(createPod("registry.example/org/app:1"), failing);
        assertDenied(d, "spec.containers[0].image");
        assertThat(only(d).reason()).contains(error).contains("labelled");
        assertThat(encoded(d).path("response").path("status").path("message").asText()).contains(error);
    }

    // ---------------------------------------------------------------- the seed policy, end to end

    private static final String SEED = "{\"openshift.io/ImagePolicy\":{\"configuration\":{\"kind\":\"ImagePolicyConfig\",\"apiVersion\":\"v1\","
            + "\"executionRules\":[{\"name\":\"allow-images-from-other-registries\",\"onResources\":[{\"resource\":\"pods\"},"
            + "{\"resource\":\"builds\"}],\"matchRegistries\":[\"docker.io\",\"*my.registry.example.com*\",\"registry.access.redhat.com\"]}]}}}";

    @Test
    @DisplayName("seed policy: the 3.x docs' pluginConfig verbatim is rejected with a hint that the asterisks are formatting")
    void seedVerbatimRejected() {
        List<PolicyProblem> errs = errors(SEED);
        assertThat(errs).anySatisfy(p -> {
            assertThat(p.path()).isEqualTo("executionRules[0].matchRegistries[1]");
            assertThat(p.message()).contains("formatting").contains("my.registry.example.com");
        });
    }

    @Test
    @DisplayName("seed policy: with my.registry.example.com written plainly it loads; docker.io is allowed, quay.io denied naming the rule")
    void seedPlainWorks() {
        ImagePolicyEngine e = engine(SEED.replace("*my.registry.example.com*", "my.registry.example.com"));
        assertAllowed(e.decide(createPod("docker.io/library/nginx:1.25"), ImageFacts.OFFLINE));
        assertAllowed(e.decide(createPod("my.registry.example.com/team/app:2"), ImageFacts.OFFLINE));
        assertAllowed(e.decide(createPod("registry.access.redhat.com/ubi9/ubi:latest"), ImageFacts.OFFLINE));
        Decision d = e.decide(createPod("quay.io/org/app:1"), ImageFacts.OFFLINE);
        assertDenied(d, "spec.containers[0].image");
        assertThat(d.message()).contains("allow-images-from-other-registries");
        // the seed's { resource: builds } covers builds (difference 9)
        var b = build("Build", List.of(), "dockerStrategy", dockerRef("quay.io/org/base:1"));
        assertDenied(e.decide(create("build.openshift.io", "builds", b), ImageFacts.OFFLINE), "spec.strategy.dockerStrategy.from.name");
    }
}
