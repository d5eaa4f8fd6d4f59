package org.imagepolicy.webhook.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imagepolicy.webhook.conformance.Conformance.annotate;
import static org.imagepolicy.webhook.conformance.Conformance.assertAllowed;
import static org.imagepolicy.webhook.conformance.Conformance.assertDenied;
import static org.imagepolicy.webhook.conformance.Conformance.build;
import static org.imagepolicy.webhook.conformance.Conformance.create;
import static org.imagepolicy.webhook.conformance.Conformance.cronJob;
import static org.imagepolicy.webhook.conformance.Conformance.dockerRef;
import static org.imagepolicy.webhook.conformance.Conformance.engine;
import static org.imagepolicy.webhook.conformance.Conformance.paths;
import static org.imagepolicy.webhook.conformance.Conformance.pod;
import static org.imagepolicy.webhook.conformance.Conformance.podTemplate;
import static org.imagepolicy.webhook.conformance.Conformance.podWith;
import static org.imagepolicy.webhook.conformance.Conformance.review;
import static org.imagepolicy.webhook.conformance.Conformance.update;
import static org.imagepolicy.webhook.conformance.Conformance.visitedImages;
import static org.imagepolicy.webhook.conformance.Conformance.workload;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.imagepolicy.webhook.admission.Decision;
import org.imagepolicy.webhook.admission.ImageFacts;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * §3 and §4 G: which image references of which objects are judged, in what order, and upstream's UPDATE
 * rule that references the old object already had unchanged are not judged again. The policy admits only
 * {@code allowed.example}, so every judged reference from elsewhere shows up as a violation, in visiting order.
 */
class ReferenceEnumerationConformanceTest {
    private static final String ALL_RESOURCES = """
            kind: ImagePolicyConfig
            apiVersion: image.openshift.io/v1
            resolveImages: DoNotAttempt
            resolutionRules: []
            executionRules:
            - name: only-allowed-example
              matchRegistries: [allowed.example]
              onResources:
              - {resource: pods}
              - {resource: podtemplates}
              - {resource: replicationcontrollers}
              - {group: apps, resource: deployments}
              - {group: apps, resource: replicasets}
              - {group: apps, resource: statefulsets}
              - {group: apps, resource: daemonsets}
              - {group: extensions, resource: deployments}
              - {group: extensions, resource: replicasets}
              - {group: extensions, resource: daemonsets}
              - {group: batch, resource: jobs}
              - {group: batch, resource: cronjobs}
              - {group: apps.openshift.io, resource: deploymentconfigs}
              - {group: build.openshift.io, resource: builds}
              - {group: build.openshift.io, resource: buildconfigs}
            """;
    private static final String OK = "allowed.example/ns/app:1";

    private final ImagePolicyEngine engine = engine(ALL_RESOURCES);

    private Decision decide(org.imagepolicy.webhook.admission.AdmissionInput in) {
        return engine.decide(in, ImageFacts.OFFLINE);
    }

    @Test
    @DisplayName("§4 G.80 init container test is visited before container test-2")
    void g80_initContainersFirst() {
        Decision d = decide(create("", "pods", podWith(List.of("test"), List.of("test-2"))));
        assertDenied(d, "spec.initContainers[0].image", "spec.containers[0].image");
        assertThat(visitedImages(d)).containsExactly("test", "test-2");
    }

    @Test
    @DisplayName("§4 G.81 UPDATE that only changes the init container's image visits only the init container")
    void g81_updateVisitsOnlyChangedContainer() {
        ObjectNode old = podWith(List.of("test-1"), List.of("test-2"));
        ObjectNode now = podWith(List.of("test"), List.of("test-2"));
        Decision d = decide(update("", "pods", now, old));
        assertDenied(d, "spec.initContainers[0].image");
        assertThat(visitedImages(d)).containsExactly("test");
    }

    @Test
    @DisplayName("§4 G.82 UPDATE with identical images but the resolve-names annotation toggled visits every container")
    void g82_resolveNamesToggleRevisitsAll() {
        ObjectNode old = podWith(List.of("test-1"), List.of("test-2"));
        ObjectNode now = annotate(podWith(List.of("test-1"), List.of("test-2")), "alpha.image.policy.openshift.io/resolve-names", "*");
        Decision d = decide(update("", "pods", now, old));
        assertThat(visitedImages(d)).containsExactly("test-1", "test-2");
        // without the toggle nothing is visited
        assertAllowed(decide(update("", "pods", podWith(List.of("test-1"), List.of("test-2")), old)));
    }

    @Test
    @DisplayName("§3.2 UPDATE compares by container name: the same image under a new name is visited again")
    void updateMatchesByName() {
        ObjectNode old = pod("evil.example/x:1");
        ObjectNode now = pod("evil.example/x:1");
        ((ObjectNode) now.path("spec").path("containers").get(0)).put("name", "renamed");
        assertDenied(decide(update("", "pods", now, old)), "spec.containers[0].image");
    }

    @Test
    @DisplayName("§3.2 UPDATE looks the name up in old init containers too: a container moved from init to main with its image is not revisited")
    void updateLooksUpInitContainersToo() {
        ObjectNode old = podWith(List.of("evil.example/x:1"), List.of(OK));
        ObjectNode now = pod(OK, OK);
        ((ObjectNode) now.path("spec").path("containers").get(1)).put("name", "i0");
        ((ObjectNode) now.path("spec").path("containers").get(1)).put("image", "evil.example/x:1");
        assertAllowed(decide(update("", "pods", now, old)));
    }

    @Test
    @DisplayName("§4 G.83 Build: custom, docker and source strategy from and each source image are visited")
    void g83_buildReferences() {
        for (String strategy : List.of("customStrategy", "dockerStrategy", "sourceStrategy")) {
            ObjectNode b = build("Build", List.of(dockerRef(OK), dockerRef("evil.example/src:1")), strategy, dockerRef("evil.example/base:1"));
            Decision d = decide(create("build.openshift.io", "builds", b));
            assertDenied(d, "spec.source.images[1].from.name", "spec.strategy." + strategy + ".from.name");
        }
    }

    @Test
    @DisplayName("§4 G.84 Build UPDATE where source.images gained test-2 (old had test-1 and test-3): only test-2 is visited")
    void g84_buildSourceImagesUpdate() {
        ObjectNode old = build("Build", List.of(dockerRef("test-1"), dockerRef("test-3")), "dockerStrategy", null);
        ObjectNode now = build("Build", List.of(dockerRef("test-3"), dockerRef("test-2"), dockerRef("test-1")), "dockerStrategy", null);
        Decision d = decide(update("build.openshift.io", "builds", now, old));
        assertDenied(d, "spec.source.images[1].from.name");
        assertThat(visitedImages(d)).containsExactly("test-2");
    }

    @ParameterizedTest(name = "§4 G.85 Build UPDATE with an unchanged {0} from: the strategy from is not visited")
    @DisplayName("§4 G.85 Build UPDATE with an unchanged strategy from: the from is not visited")
    @ValueSource(strings = {"dockerStrategy", "sourceStrategy", "customStrategy"})
    void g85_unchangedStrategyFromNotVisited(String strategy) {
        ObjectNode old = build("Build", List.of(), strategy, dockerRef("evil.example/base:1"));
        ObjectNode now = build("Build", List.of(), strategy, dockerRef("evil.example/base:1"));
        annotate(now, "unrelated", "change");
        assertAllowed(decide(update("build.openshift.io", "builds", now, old)));
        ObjectNode changed = build("Build", List.of(), strategy, dockerRef("evil.example/base:2"));
        assertDenied(decide(update("build.openshift.io", "builds", changed, old)), "spec.strategy." + strategy + ".from.name");
    }

    @Test
    @DisplayName("§3.3 spec.output.to is where a build pushes, not what it runs: it is not checked")
    void buildOutputNotChecked() {
        ObjectNode b = build("Build", List.of(), "dockerStrategy", dockerRef(OK));
        ((ObjectNode) b.path("spec").path("output")).set("to", dockerRef("evil.example/out:1"));
        assertAllowed(decide(create("build.openshift.io", "builds", b)));
    }

    static Stream<Arguments> resources() {
        String bad = "evil.example/app:1";
        return Stream.of(
                Arguments.of("", "pods", (Supplier<ObjectNode>) () -> pod(bad), "spec.containers[0].image"),
                Arguments.of("", "podtemplates", (Supplier<ObjectNode>) () -> podTemplate(bad), "template.spec.containers[0].image"),
                Arguments.of("", "replicationcontrollers", (Supplier<ObjectNode>) () -> workload("v1", "ReplicationController", bad),
                        "spec.template.spec.containers[0].image"),
                Arguments.of("apps", "deployments", (Supplier<ObjectNode>) () -> workload("apps/v1", "Deployment", bad),
                        "spec.template.spec.containers[0].image"),
                Arguments.of("apps", "replicasets", (Supplier<ObjectNode>) () -> workload("apps/v1", "ReplicaSet", bad),
                        "spec.template.spec.containers[0].image"),
                Arguments.of("apps", "statefulsets", (Supplier<ObjectNode>) () -> workload("apps/v1", "StatefulSet", bad),
                        "spec.template.spec.containers[0].image"),
                Arguments.of("apps", "daemonsets", (Supplier<ObjectNode>) () -> workload("apps/v1", "DaemonSet", bad),
                        "spec.template.spec.containers[0].image"),
                Arguments.of("extensions", "deployments", (Supplier<ObjectNode>) () -> workload("extensions/v1beta1", "Deployment", bad),
                        "spec.template.spec.containers[0].image"),
                Arguments.of("extensions", "replicasets", (Supplier<ObjectNode>) () -> workload("extensions/v1beta1", "ReplicaSet", bad),
                        "spec.template.spec.containers[0].image"),
                Arguments.of("extensions", "daemonsets", (Supplier<ObjectNode>) () -> workload("extensions/v1beta1", "DaemonSet", bad),
                        "spec.template.spec.containers[0].image"),
                Arguments.of("batch", "jobs", (Supplier<ObjectNode>) () -> workload("batch/v1", "Job", bad),
                        "spec.template.spec.containers[0].image"),
                Arguments.of("batch", "cronjobs", (Supplier<ObjectNode>) () -> cronJob(bad),
                        "spec.jobTemplate.spec.template.spec.containers[0].image"),
                Arguments.of("apps.openshift.io", "deploymentconfigs",
                        (Supplier<ObjectNode>) () -> workload("apps.openshift.io/v1", "DeploymentConfig", bad),
                        "spec.template.spec.containers[0].image"),
                Arguments.of("build.openshift.io", "builds",
                        (Supplier<ObjectNode>) () -> build("Build", List.of(), "sourceStrategy", dockerRef(bad)),
                        "spec.strategy.sourceStrategy.from.name"),
                Arguments.of("build.openshift.io", "buildconfigs",
                        (Supplier<ObjectNode>) () -> build("BuildConfig", List.of(dockerRef(bad)), "dockerStrategy", null),
                        "spec.source.images[0].from.name"));
    }

    @ParameterizedTest(name = "§3.1 {1}.{0}: a forbidden image at {3} is denied on CREATE")
    @DisplayName("§3.1 every image-bearing resource is checked at its field path")
    @MethodSource("resources")
    void everyResourceIsChecked(String group, String resource, Supplier<ObjectNode> object, String path) {
        Decision d = decide(create(group, resource, object.get()));
        assertDenied(d, path);
        assertThat(d.message()).contains(path + ": Forbidden: this image is prohibited by policy: ");
    }

    @ParameterizedTest(name = "§3.2 {1}.{0}: an UPDATE that keeps the forbidden image unchanged is allowed")
    @DisplayName("§3.2/§3.3 an UPDATE that keeps an image unchanged does not re-check it")
    @MethodSource("resources")
    void unchangedImagesAreNotRecheckedOnUpdate(String group, String resource, Supplier<ObjectNode> object, String path) {
        ObjectNode old = object.get();
        ObjectNode now = object.get();
        annotate(now, "example.com/touched", "yes");
        assertAllowed(decide(update(group, resource, now, old)));
    }

    @Test
    @DisplayName("§3.2 template toggle: a Deployment whose pod template gains resolve-names is rechecked in full")
    void templateAnnotationToggle() {
        ObjectNode old = workload("apps/v1", "Deployment", "evil.example/app:1");
        ObjectNode now = workload("apps/v1", "Deployment", "evil.example/app:1");
        ObjectNode templateMeta = (ObjectNode) now.path("spec").path("template").path("metadata");
        templateMeta.putObject("annotations").put("alpha.image.policy.openshift.io/resolve-names", "*");
        assertDenied(decide(update("apps", "deployments", now, old)), "spec.template.spec.containers[0].image");
    }

    @ParameterizedTest(name = "§2.1 operation {0} is not judged")
    @DisplayName("§2.1 only CREATE and UPDATE are judged")
    @ValueSource(strings = {"DELETE", "CONNECT"})
    void onlyCreateAndUpdateAreJudged(String operation) {
        Decision d = decide(review(operation, "", "v1", "pods", null, "default", pod("evil.example/app:1"), null));
        assertAllowed(d);
        assertThat(d.outcome()).isEqualTo(Decision.Outcome.SKIPPED);
    }

    @Test
    @DisplayName("§2.2 every reference is judged and every rejection is kept (the request is denied if any is rejected)")
    void everyReferenceJudged() {
        Decision d = decide(create("", "pods", podWith(List.of(OK, "evil.example/a:1"), List.of("evil.example/b:1", OK, "evil.example/c:1"))));
        assertThat(paths(d)).containsExactly("spec.initContainers[1].image", "spec.containers[0].image", "spec.containers[2].image");
    }
}
