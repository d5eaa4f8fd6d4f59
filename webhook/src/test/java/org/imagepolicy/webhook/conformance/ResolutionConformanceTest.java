package org.imagepolicy.webhook.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imagepolicy.webhook.conformance.Conformance.IMAGE1_SHA;
import static org.imagepolicy.webhook.conformance.Conformance.INTEGRATED;
import static org.imagepolicy.webhook.conformance.Conformance.assertAllowed;
import static org.imagepolicy.webhook.conformance.Conformance.assertDenied;
import static org.imagepolicy.webhook.conformance.Conformance.build;
import static org.imagepolicy.webhook.conformance.Conformance.create;
import static org.imagepolicy.webhook.conformance.Conformance.createPod;
import static org.imagepolicy.webhook.conformance.Conformance.dockerRef;
import static org.imagepolicy.webhook.conformance.Conformance.engine;
import static org.imagepolicy.webhook.conformance.Conformance.facts;
import static org.imagepolicy.webhook.conformance.Conformance.only;
import static org.imagepolicy.webhook.conformance.Conformance.ownedByController;
import static org.imagepolicy.webhook.conformance.Conformance.pod;
import static org.imagepolicy.webhook.conformance.Conformance.podWith;
import static org.imagepolicy.webhook.conformance.Conformance.update;
import static org.imagepolicy.webhook.conformance.Conformance.workload;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.imagepolicy.webhook.admission.AdmissionInput;
import org.imagepolicy.webhook.admission.Decision;
import org.imagepolicy.webhook.admission.ImageFacts;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.image.ImageMetadata;
import org.imagepolicy.webhook.policy.GroupResource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * §4 B, C and D, decision parts only: whether resolution is attempted, whether its failure is fatal, and
 * the resulting allow/deny. Rewriting (pinning to digests) does not exist yet, so "rewritten" expectations
 * are reduced to "allowed".
 */
class ResolutionConformanceTest {
    private static final ImageMetadata IMAGE1 = new ImageMetadata(IMAGE1_SHA, Map.of(), Map.of());
    private static final String MYSQL_IMAGE1 = INTEGRATED + "/test/mysql@" + IMAGE1_SHA;

    /** §4 B's config: resolveImages P, resolution rules {"", *} and {extensions, *} with policy P, allow-all on pods and builds. */
    private static ImagePolicyEngine bConfig(String p) {
        return engine("""
                kind: ImagePolicyConfig
                apiVersion: image.openshift.io/v1
                integratedRegistryHostnames: [integrated.registry]
                resolveImages: %1$s
                resolutionRules:
                - targetResource: {group: "", resource: "*"}
                  localNames: true
                  policy: %1$s
                - targetResource: {group: extensions, resource: "*"}
                  localNames: true
                  policy: %1$s
                executionRules:
                - name: allow-all
                  onResources:
                  - {group: build.openshift.io, resource: builds}
                  - {group: "", resource: pods}
                """.formatted(p));
    }

    /** §4 C's config: AttemptRewrite, no resolution rules, allow-all on pods plus deny matchRegistries [index.docker.io]. */
    private static ImagePolicyEngine cConfig(String extra) {
        return engine("""
                kind: ImagePolicyConfig
                apiVersion: image.openshift.io/v1
                resolveImages: AttemptRewrite
                resolutionRules: []
                executionRules:
                - name: allow-all
                - name: deny-index
                  reject: true
                  matchRegistries: [index.docker.io]
                """ + extra);
    }

    @Test
    @DisplayName("§4 B.17 RequiredRewrite, nothing resolves: denied with one field error per reference, each carrying the resolution error")
    void b17_requiredFailuresDeny() {
        Conformance.StubFacts f = facts();
        Decision d = bConfig("RequiredRewrite").decide(
                create("", "pods", podWith(List.of("myregistry.com/mysql/mysql:latest"), List.of(INTEGRATED + "/test/mysql@" + Conformance.GOOD_SHA))),
                f);
        assertDenied(d, "spec.initContainers[0].image", "spec.containers[0].image");
        assertThat(d.violations().get(0).reason())
                .contains("(myregistry.com/mysql/mysql:latest) could not be resolved to an exact image reference");
        // upstream lost the NotFound detail here (§2.8); difference 13 keeps every resolution error in full
        assertThat(d.violations().get(1).reason())
                .contains("(" + INTEGRATED + "/test/mysql@" + Conformance.GOOD_SHA + ") could not be resolved to an exact image reference");
        assertThat(d.message()).contains("spec.initContainers[0].image: Forbidden: this image is prohibited by policy: ")
                .contains("spec.containers[0].image: Forbidden: this image is prohibited by policy: ");
    }

    @Test
    @DisplayName("§4 B.18 RequiredRewrite, image1 exists: a pod with the by-digest name is allowed (rewrite is out of scope)")
    void b18_requiredResolvedAllowed() {
        assertAllowed(bConfig("RequiredRewrite").decide(createPod(MYSQL_IMAGE1), facts().resolveIntegrated(MYSQL_IMAGE1, IMAGE1)));
    }

    @Test
    @DisplayName("§4 B.19 same as B.18 as an init container: allowed (rewrite is out of scope)")
    void b19_requiredResolvedInitAllowed() {
        Conformance.StubFacts f = facts().resolveIntegrated(MYSQL_IMAGE1, IMAGE1);
        assertAllowed(bConfig("RequiredRewrite").decide(create("", "pods", podWith(List.of(MYSQL_IMAGE1), List.of(MYSQL_IMAGE1))), f));
    }

    @Test
    @DisplayName("§4 B.22 built-in defaults: an extensions ReplicaSet with an integrated tag is allowed (rewrite is out of scope)")
    void b22_builtInDefaultsReplicaSet() {
        ImagePolicyEngine e = engine("kind: ImagePolicyConfig\napiVersion: image.openshift.io/v1\n");
        Decision d = e.decide(create("extensions", "replicasets", workload("extensions/v1beta1", "ReplicaSet", INTEGRATED + "/default/test:other")),
                facts());
        assertAllowed(d);
    }

    @Test
    @DisplayName("§4 B.25 AttemptRewrite, the lookup fails: the ReplicaSet is allowed (rewrite is out of scope)")
    void b25_attemptFailureAllowed() {
        Conformance.StubFacts f = facts();
        assertAllowed(bConfig("AttemptRewrite").decide(create("extensions", "replicasets",
                workload("extensions/v1beta1", "ReplicaSet", INTEGRATED + "/default/test:other")), f));
        assertThat(bConfig("AttemptRewrite").requestsResolution(GroupResource.of("extensions", "replicasets")))
                .as("the extensions/* rule requests resolution").isTrue();
        assertThat(f.lookups.get()).as("issue 3: no rule reads metadata and a failure is not fatal, so no lookup is made").isZero();
    }

    @Test
    @DisplayName("§4 B.27 RequiredRewrite, image1 exists: a Build sourceStrategy.from by digest is allowed (rewrite is out of scope)")
    void b27_buildByDigestAllowed() {
        var b = build("Build", List.of(), "sourceStrategy", dockerRef(MYSQL_IMAGE1));
        assertAllowed(bConfig("RequiredRewrite").decide(create("build.openshift.io", "builds", b), facts().resolveIntegrated(MYSQL_IMAGE1, IMAGE1)));
    }

    @Test
    @DisplayName("§4 B.29 Build UPDATE with old == new: nothing is visited, so even a failing Required lookup does not deny")
    void b29_unchangedBuildNotVisited() {
        ImagePolicyEngine e = bConfig("RequiredRewrite");
        var b = build("Build", List.of(), "customStrategy", dockerRef(INTEGRATED + "/default/test:other"));
        Conformance.StubFacts f = facts();
        assertAllowed(e.decide(update("build.openshift.io", "builds", b, b.deepCopy()), f));
        assertThat(f.lookups.get()).isZero();
        assertDenied(e.decide(create("build.openshift.io", "builds", b), f), "spec.strategy.customStrategy.from.name");
    }

    @Test
    @DisplayName("§4 B.32 global DoNotAttempt with a builds rule of policy AttemptRewrite: the build's image is resolved, allowed (rewrite is out of scope)")
    void b32_coveringRuleRequestsResolution() {
        ImagePolicyEngine e = engine("""
                kind: ImagePolicyConfig
                apiVersion: image.openshift.io/v1
                resolveImages: DoNotAttempt
                resolutionRules:
                - targetResource: {group: build.openshift.io, resource: builds}
                  policy: AttemptRewrite
                """);
        Conformance.StubFacts f = facts().resolve(MYSQL_IMAGE1, IMAGE1);
        assertAllowed(e.decide(create("build.openshift.io", "builds", build("Build", List.of(), "customStrategy", dockerRef(MYSQL_IMAGE1))), f));
        assertThat(e.requestsResolution(GroupResource.of("build.openshift.io", "builds"))).isTrue();
        assertThat(f.looked).as("issue 3: nothing reads the answer in /validate, so no lookup is made").isEmpty();
        Conformance.StubFacts failing = facts();
        assertAllowed(e.decide(create("build.openshift.io", "builds", build("Build", List.of(), "customStrategy", dockerRef("quay.io/a/b:1"))), failing));
        assertThat(failing.lookups.get()).isZero();
    }

    @Test
    @DisplayName("§4 C.35 AttemptRewrite: pod index.docker.io/mysql:latest is denied by the deny rule")
    void c35_denyRegistry() {
        Decision d = cConfig("").decide(createPod("index.docker.io/mysql:latest"),
                facts().resolve("index.docker.io/mysql:latest", IMAGE1));
        assertDenied(d, "spec.containers[0].image");
        assertThat(only(d).rule()).isEqualTo("deny-index");
        // ... and also when the resolver fails
        assertDenied(cConfig("").decide(createPod("index.docker.io/mysql:latest"), facts()), "spec.containers[0].image");
    }

    @Test
    @DisplayName("§4 C.36 two containers myregistry.com/mysql/mysql:latest: allowed whether the resolver fails or works")
    void c36_resolverFailsOrWorks() {
        ImagePolicyEngine e = cConfig("");
        AdmissionInput in = createPod("myregistry.com/mysql/mysql:latest", "myregistry.com/mysql/mysql:latest");
        assertAllowed(e.decide(in, facts()));
        assertAllowed(e.decide(in, facts().resolve("myregistry.com/mysql/mysql:latest", IMAGE1)));
    }

    @Test
    @DisplayName("§4 C.37 with skipControllerOwned: true a controller-owned pod is allowed with no resolution at all")
    void c37_controllerOwnedSkipped() {
        ImagePolicyEngine e = cConfig("skipControllerOwned: true\n");
        Conformance.StubFacts f = facts();
        assertAllowed(e.decide(create("", "pods", ownedByController(pod("index.docker.io/mysql:latest"))), f));
        assertThat(f.lookups.get()).isZero();
    }

    @Test
    @DisplayName("§4 C.38 owner reference removed, resolver working: allowed (rewrite is out of scope)")
    void c38_ownerRemovedAllowed() {
        ImagePolicyEngine e = cConfig("skipControllerOwned: true\n");
        Conformance.StubFacts f = facts().resolve("myregistry.com/mysql/mysql:latest", IMAGE1);
        assertAllowed(e.decide(createPod("myregistry.com/mysql/mysql:latest", "myregistry.com/mysql/mysql:latest"), f));
        assertThat(f.lookups.get()).as("issue 3: no rule reads metadata, so the allowed pod costs no lookup").isZero();
    }

    /**
     * §4 D rows as (resolve, fail): {@code resolve} is upstream's RequestsResolution for the resource; {@code fail}
     * is whether a failed lookup denies. The resource gets an allow-all execution rule so it is always judged.
     * Issue 3: a lookup is actually made only where it can change the decision, i.e. here in the Required rows.
     */
    @ParameterizedTest(name = "§4 D.{0} {1}; rules {2}; {3}.{4} {5} -> resolve={6} fail={7}")
    @DisplayName("§4 D.40-48 resolution decision table, (resolve, fail) columns, plus §2.4 Required rows R1-R3; rewrite is out of scope")
    @CsvSource(delimiter = '|', value = {
        "40 | AttemptRewrite | ''                      | ''    | pods         | CREATE | true  | false",
        "41 | DoNotAttempt   | '\"\"/*'                | ''    | pods         | CREATE | true  | false",
        "43 | DoNotAttempt   | apps/*                  | batch | jobs         | CREATE | false | false",
        "44 | DoNotAttempt   | apps/deployments        | apps  | replicasets  | CREATE | false | false",
        "45 | DoNotAttempt   | apps/deployments        | apps  | deployments  | CREATE | true  | false",
        "46 | DoNotAttempt   | batch/jobs              | batch | jobs         | UPDATE | true  | false",
        "47 | DoNotAttempt   | batch/jobs              | batch | jobs         | CREATE | true  | false",
        "48 | DoNotAttempt   | build.openshift.io/builds | build.openshift.io | builds | UPDATE | true | false",
        "R1 | Required       | ''                      | ''    | pods         | CREATE | true  | true",
        "R2 | RequiredRewrite | apps/deployments       | apps  | deployments  | CREATE | true  | true",
        "R3 | Attempt        | '\"\"/pods:Required'    | ''    | pods         | CREATE | true  | false",
    })
    void d_resolutionDecisionTable(String row, String global, String rule, String group, String resource, String op,
            boolean resolve, boolean fail) {
        StringBuilder policy = new StringBuilder("kind: ImagePolicyConfig\napiVersion: image.openshift.io/v1\nresolveImages: " + global + "\n");
        policy.append("resolutionRules:");
        if (rule.isEmpty()) {
            policy.append(" []\n");
        } else {
            String[] gr = rule.split("/", 2);
            String[] rp = gr[1].split(":", 2);
            policy.append("\n- targetResource: {group: ").append(gr[0].isEmpty() ? "\"\"" : gr[0])
                    .append(", resource: \"").append(rp[0]).append("\"}\n  localNames: true\n");
            if (rp.length == 2) {
                policy.append("  policy: ").append(rp[1]).append('\n');
            }
        }
        policy.append("executionRules:\n- name: allow-all\n  onResources: [{group: \"").append(group).append("\", resource: ")
                .append(resource).append("}]\n");
        ImagePolicyEngine e = engine(policy.toString());

        String image = "quay.io/org/app:1";
        ObjectNode object;
        ObjectNode old;
        switch (resource) {
            case "pods":
                object = pod(image);
                old = pod("quay.io/org/app:0");
                break;
            case "builds":
                object = build("Build", List.of(), "dockerStrategy", dockerRef(image));
                old = build("Build", List.of(), "dockerStrategy", dockerRef("quay.io/org/app:0"));
                break;
            default:
                object = workload(group + "/v1", "Thing", image);
                old = workload(group + "/v1", "Thing", "quay.io/org/app:0");
                break;
        }
        AdmissionInput in = op.equals("UPDATE") ? update(group, resource, object, old) : create(group, resource, object);
        Conformance.StubFacts f = facts();
        Decision d = e.decide(in, f);
        assertThat(e.requestsResolution(GroupResource.of(group, resource))).as("resolution requested").isEqualTo(resolve);
        assertThat(f.lookups.get() > 0).as("a lookup made, which only a fatal failure makes worth it here").isEqualTo(fail);
        assertThat(d.allowed()).as("allowed after a failed lookup; %s", d.message()).isEqualTo(!fail);
    }

    @Test
    @DisplayName("§2.4/§2 Required with registry lookups not yet available: every covered image is denied, and the reason says offline")
    void requiredOfflineDenies() {
        ImagePolicyEngine e = bConfig("Required");
        Decision d = e.decide(createPod("quay.io/org/app:1"), ImageFacts.OFFLINE);
        assertDenied(d, "spec.containers[0].image");
        assertThat(only(d).reason()).contains("offline");
    }
}
