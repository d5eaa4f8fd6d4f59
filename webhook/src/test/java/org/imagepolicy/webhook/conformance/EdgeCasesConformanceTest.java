package org.imagepolicy.webhook.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imagepolicy.webhook.conformance.Conformance.assertAllowed;
import static org.imagepolicy.webhook.conformance.Conformance.assertDenied;
import static org.imagepolicy.webhook.conformance.Conformance.container;
import static org.imagepolicy.webhook.conformance.Conformance.create;
import static org.imagepolicy.webhook.conformance.Conformance.createPod;
import static org.imagepolicy.webhook.conformance.Conformance.engine;
import static org.imagepolicy.webhook.conformance.Conformance.only;
import static org.imagepolicy.webhook.conformance.Conformance.ownedByController;
import static org.imagepolicy.webhook.conformance.Conformance.pod;
import static org.imagepolicy.webhook.conformance.Conformance.review;
import static org.imagepolicy.webhook.conformance.Conformance.update;
import static org.imagepolicy.webhook.conformance.Conformance.workload;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import org.imagepolicy.webhook.admission.Decision;
import org.imagepolicy.webhook.admission.ImageFacts;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.image.Resolution;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** §4 I: edge cases read from upstream's code (87-92), with the decisions applied. */
class EdgeCasesConformanceTest {
    private static final String HEADER = "kind: ImagePolicyConfig\napiVersion: image.openshift.io/v1\n";

    @Test
    @DisplayName("§4 I.87 allow-list on matchIntegratedRegistry, Attempt, docker.io/library/nginx:1.25: denied by the rule; issue 3: an"
            + " image its name already denies is never looked up, so no resolution error stands in front of the rule")
    void i87_resolutionErrorReported() {
        ImagePolicyEngine e = engine(HEADER + "integratedRegistryHostnames: [image-registry.openshift-image-registry.svc:5000]\n"
                + "executionRules:\n- name: internal-only\n  matchIntegratedRegistry: true\n");
        java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
        Decision d = e.decide(createPod("docker.io/library/nginx:1.25"), (field, ref) -> {
            lookups.incrementAndGet();
            return new Resolution.Failed("unreachable");
        });
        assertDenied(d, "spec.containers[0].image");
        assertThat(d.message()).contains("spec.containers[0].image: Forbidden: this image is prohibited by policy: ")
                .contains("internal-only").doesNotContain("unreachable");
        assertThat(lookups.get()).isZero();
    }

    @Test
    @DisplayName("§4 I.88 global Required, pod image nginx that cannot be resolved: denied")
    void i88_requiredUnresolvableDenied() {
        ImagePolicyEngine e = engine(HEADER + "resolveImages: Required\n");
        Decision d = e.decide(createPod("nginx"), ImageFacts.OFFLINE);
        assertDenied(d, "spec.containers[0].image");
        assertThat(only(d).reason()).contains("offline");
    }

    @Test
    @DisplayName("§4 I.89 namespace annotation \"a, b\" excludes only rule a: \" b\" keeps its space and matches no rule")
    void i89_ignoreRulesNotTrimmed() {
        ImagePolicyEngine e = engine(HEADER + "executionRules:\n- name: a\n  reject: true\n  matchRegistries: [evil.example]\n"
                + "- name: b\n  reject: true\n  matchRegistries: [evil.example]\n");
        Set<String> excluded = Set.of("a, b".split(",", -1));
        Decision d = e.decide(createPod("evil.example/x:1"), excluded, ImageFacts.OFFLINE);
        assertDenied(d, "spec.containers[0].image");
        assertThat(only(d).rule()).isEqualTo("b");
        assertAllowed(e.decide(createPod("evil.example/x:1"), Set.of("a,b".split(",", -1)), ImageFacts.OFFLINE));
    }

    @Test
    @DisplayName("§4 I.90 (difference 8) a pod with a controller ownerReference to a non-existent owner is checked, not a bypass")
    void i90_controllerOwnerIsNoBypass() {
        ImagePolicyEngine e = engine(HEADER + "executionRules:\n- name: quay-only\n  matchRegistries: [quay.io]\n");
        assertDenied(e.decide(create("", "pods", ownedByController(pod("evil.example/miner:1"))), ImageFacts.OFFLINE),
                "spec.containers[0].image");
    }

    @Test
    @DisplayName("§4 I.91 a pod UPDATE that only changes labels visits no reference: allowed even though the policy now forbids the image")
    void i91_labelOnlyUpdateAllowed() {
        ImagePolicyEngine e = engine(HEADER + "executionRules:\n- name: quay-only\n  matchRegistries: [quay.io]\n");
        ObjectNode old = pod("evil.example/x:1");
        ObjectNode now = pod("evil.example/x:1");
        ((ObjectNode) now.path("metadata")).putObject("labels").put("team", "blue");
        Conformance.StubFacts f = Conformance.facts();
        Decision d = e.decide(update("", "pods", now, old), f);
        assertAllowed(d);
        assertThat(f.lookups.get()).isZero();
    }

    @Test
    @DisplayName("§4 I.92 UPDATE of deployments/scale is allowed (subresource)")
    void i92_scaleSubresourceAllowed() {
        ImagePolicyEngine e = engine(HEADER + "executionRules:\n- name: quay-only\n  matchRegistries: [quay.io]\n"
                + "  onResources: [{group: apps, resource: deployments}]\n");
        ObjectNode scale = Conformance.object("autoscaling/v1", "Scale", "test");
        scale.putObject("spec").put("replicas", 3);
        Decision d = e.decide(review("UPDATE", "apps", "v1", "deployments", "scale", "default", scale, scale.deepCopy()), ImageFacts.OFFLINE);
        assertAllowed(d);
        assertThat(d.outcome()).isEqualTo(Decision.Outcome.SKIPPED);
    }

    @Test
    @DisplayName("§4 I.92 (difference 10) pods/ephemeralcontainers UPDATE that adds no new ephemeral image is allowed")
    void i92_ephemeralWithoutNewImageAllowed() {
        ImagePolicyEngine e = engine(HEADER + "executionRules:\n- name: quay-only\n  matchRegistries: [quay.io]\n");
        ObjectNode old = pod("evil.example/x:1");
        ((ObjectNode) old.path("spec")).putArray("ephemeralContainers").add(container("debugger", "quay.io/tools/debug:1"));
        ObjectNode now = old.deepCopy();
        assertAllowed(e.decide(review("UPDATE", "", "v1", "pods", "ephemeralcontainers", "default", now, old), ImageFacts.OFFLINE));
    }

    @Test
    @DisplayName("§2.1 an object whose container list is not a list cannot be read: 400, not a policy denial")
    void unreadableObject() {
        ImagePolicyEngine e = engine(HEADER + "executionRules:\n- name: quay-only\n  matchRegistries: [quay.io]\n");
        ObjectNode bad = pod("quay.io/x/y:1");
        ((ObjectNode) bad.path("spec")).put("containers", "quay.io/x/y:1");
        Decision d = e.decide(create("", "pods", bad), ImageFacts.OFFLINE);
        assertThat(d.allowed()).isFalse();
        assertThat(d.code()).isEqualTo(400);
        assertThat(d.outcome()).isEqualTo(Decision.Outcome.INVALID);
        assertThat(Conformance.encoded(d).path("response").path("status").path("code").asInt()).isEqualTo(400);
    }

    @Test
    @DisplayName("§2.1 a Deployment UPDATE that only changes replicas visits no reference")
    void replicasOnlyUpdateAllowed() {
        ImagePolicyEngine e = engine(HEADER + "executionRules:\n- name: quay-only\n  matchRegistries: [quay.io]\n"
                + "  onResources: [{group: apps, resource: deployments}]\n");
        ObjectNode old = workload("apps/v1", "Deployment", "evil.example/x:1");
        ObjectNode now = workload("apps/v1", "Deployment", "evil.example/x:1");
        ((ObjectNode) now.path("spec")).put("replicas", 5);
        assertAllowed(e.decide(update("apps", "deployments", now, old), ImageFacts.OFFLINE));
        assertDenied(e.decide(create("apps", "deployments", now), ImageFacts.OFFLINE), "spec.template.spec.containers[0].image");
    }
}
