package org.imagepolicy.webhook.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EphemeralContainerBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.ReplicationControllerBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.openshift.api.model.BuildBuilder;
import io.fabric8.openshift.api.model.BuildConfigBuilder;
import io.fabric8.openshift.api.model.DeploymentConfigBuilder;
import java.util.List;
import java.util.Set;
import org.imagepolicy.webhook.policy.GroupResource;
import org.imagepolicy.webhook.policy.PolicyParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Objects built with the real Kubernetes and OpenShift models, so the field paths the engine reads are
 * checked against the schemas rather than against our own idea of them. Every image below is from
 * quay.io, which the policy denies, so each reference the engine finds shows up as a violation path.
 */
class Fabric8ModelsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DENIED = "quay.io/org/app:1";
    private static ImagePolicyEngine engine;

    @BeforeAll
    static void policy() throws Exception {
        engine = new ImagePolicyEngine(new PolicyParser(true).parse("p.yaml", """
                apiVersion: v1
                kind: ImagePolicyConfig
                executionRules:
                - name: no-quay
                  reject: true
                  matchRegistries: [quay.io]
                  onResources: [{resource: pods}, {resource: podtemplates}, {resource: replicationcontrollers},
                    {group: apps, resource: deployments}, {group: apps, resource: replicasets}, {group: apps, resource: statefulsets},
                    {group: apps, resource: daemonsets}, {group: batch, resource: jobs}, {group: batch, resource: cronjobs},
                    {resource: deploymentconfigs}, {resource: builds}, {resource: buildconfigs}]
                """).policy());
    }

    static Container container(String name) {
        return new ContainerBuilder().withName(name).withImage(DENIED).build();
    }

    static PodSpec spec() {
        return new PodSpecBuilder().withInitContainers(container("init")).withContainers(container("a"), container("b")).build();
    }

    static PodTemplateSpec template() {
        return new PodTemplateSpecBuilder().withNewMetadata().withLabels(java.util.Map.of("app", "x")).endMetadata().withSpec(spec()).build();
    }

    static List<String> deniedPaths(String group, String resource, Object object) {
        JsonNode tree = JSON.valueToTree(object);
        AdmissionInput in = new AdmissionInput(AdmissionReviewCodec.V1, "u", "CREATE", GroupResource.of(group, resource), "",
                tree.path("kind").asText(), "ns", "x", false, tree, null);
        Decision d = engine.decide(in, Set.of(), ImageFacts.OFFLINE);
        return d.violations().stream().map(v -> v.field().path()).toList();
    }

    static List<String> podPaths(String prefix) {
        return List.of(prefix + ".initContainers[0].image", prefix + ".containers[0].image", prefix + ".containers[1].image");
    }

    @Test
    void podsIncludingEphemeralContainers() {
        Object pod = new PodBuilder().withNewMetadata().withName("x").endMetadata()
                .withSpec(new PodSpecBuilder(spec()).withEphemeralContainers(new EphemeralContainerBuilder().withName("debug")
                        .withImage(DENIED).build()).build()).build();
        assertThat(deniedPaths("", "pods", pod)).containsExactly("spec.initContainers[0].image", "spec.containers[0].image",
                "spec.containers[1].image", "spec.ephemeralContainers[0].image");
    }

    @Test
    void templatesOfEveryWorkloadKind() {
        assertThat(deniedPaths("", "podtemplates", new PodTemplateBuilder().withNewMetadata().withName("x").endMetadata()
                .withTemplate(template()).build())).isEqualTo(podPaths("template.spec"));
        assertThat(deniedPaths("", "replicationcontrollers", new ReplicationControllerBuilder().withNewSpec().withTemplate(template())
                .endSpec().build())).isEqualTo(podPaths("spec.template.spec"));
        assertThat(deniedPaths("apps", "deployments", new DeploymentBuilder().withNewSpec().withTemplate(template()).endSpec().build()))
                .isEqualTo(podPaths("spec.template.spec"));
        assertThat(deniedPaths("apps", "replicasets", new ReplicaSetBuilder().withNewSpec().withTemplate(template()).endSpec().build()))
                .isEqualTo(podPaths("spec.template.spec"));
        assertThat(deniedPaths("apps", "statefulsets", new StatefulSetBuilder().withNewSpec().withTemplate(template()).endSpec().build()))
                .isEqualTo(podPaths("spec.template.spec"));
        assertThat(deniedPaths("apps", "daemonsets", new DaemonSetBuilder().withNewSpec().withTemplate(template()).endSpec().build()))
                .isEqualTo(podPaths("spec.template.spec"));
        assertThat(deniedPaths("batch", "jobs", new JobBuilder().withNewSpec().withTemplate(template()).endSpec().build()))
                .isEqualTo(podPaths("spec.template.spec"));
        assertThat(deniedPaths("batch", "cronjobs", new CronJobBuilder().withNewSpec().withSchedule("* * * * *").withNewJobTemplate()
                .withNewSpec().withTemplate(template()).endSpec().endJobTemplate().endSpec().build()))
                .isEqualTo(podPaths("spec.jobTemplate.spec.template.spec"));
        assertThat(deniedPaths("apps.openshift.io", "deploymentconfigs", new DeploymentConfigBuilder().withNewSpec()
                .withTemplate(template()).endSpec().build())).isEqualTo(podPaths("spec.template.spec"));
    }

    @Test
    void buildsAndBuildConfigsReadSourceImagesAndEveryStrategy() {
        var from = new ObjectReferenceBuilder().withKind("DockerImage").withName(DENIED).build();
        Object build = new BuildBuilder().withNewSpec()
                .withNewSource().addNewImage().withFrom(from).endImage().endSource()
                .withNewStrategy().withType("Docker").withNewDockerStrategy().withFrom(from).endDockerStrategy().endStrategy()
                .withNewOutput().withTo(from).endOutput()
                .endSpec().build();
        assertThat(deniedPaths("build.openshift.io", "builds", build))
                .containsExactly("spec.source.images[0].from.name", "spec.strategy.dockerStrategy.from.name");
        Object config = new BuildConfigBuilder().withNewSpec()
                .withNewStrategy().withType("Source").withNewSourceStrategy().withFrom(from).endSourceStrategy().endStrategy()
                .endSpec().build();
        assertThat(deniedPaths("build.openshift.io", "buildconfigs", config)).containsExactly("spec.strategy.sourceStrategy.from.name");
        Object custom = new BuildBuilder().withNewSpec().withNewStrategy().withType("Custom").withNewCustomStrategy().withFrom(from)
                .endCustomStrategy().endStrategy().endSpec().build();
        assertThat(deniedPaths("build.openshift.io", "builds", custom)).containsExactly("spec.strategy.customStrategy.from.name");
    }
}
