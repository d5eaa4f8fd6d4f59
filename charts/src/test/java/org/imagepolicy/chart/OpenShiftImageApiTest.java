package org.imagepolicy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With {@code openshift.enabled}: the import policy's webhook rules (ImageStreams, ImageStreamTags and ImageTags on
 * CREATE and UPDATE, ImageStream status on UPDATE, ImageStreamImports on CREATE) on the validating webhook only, and the read-only RBAC the image API
 * resolver needs; without it, neither.
 */
class OpenShiftImageApiTest {
    private static List<RuleWithOperations> imageRules(List<RuleWithOperations> rules) {
        return rules.stream().filter(r -> r.getApiGroups().contains("image.openshift.io")).toList();
    }

    @Test
    void openShiftValidatesImageStreamsAndImports() {
        RenderedChart r = RenderedChart.variant("openshift");
        List<RuleWithOperations> rules = imageRules(r.one(ValidatingWebhookConfiguration.class, RenderedChart.FULLNAME)
                .getWebhooks().get(0).getRules());
        assertThat(rules).hasSize(3);
        assertThat(rules.get(0).getResources()).containsExactly("imagestreams", "imagestreamtags", "imagetags");
        assertThat(rules.get(0).getOperations()).containsExactly("CREATE", "UPDATE");
        assertThat(rules.get(1).getResources()).as("what the import controller writes").containsExactly("imagestreams/status");
        assertThat(rules.get(1).getOperations()).containsExactly("UPDATE");
        assertThat(rules.get(2).getResources()).containsExactly("imagestreamimports");
        assertThat(rules.get(2).getOperations()).containsExactly("CREATE");
        assertThat(rules).flatExtracting(RuleWithOperations::getResources).as("read-only, or the registry's own pushes")
                .doesNotContain("imagestreamimages", "imagestreammappings");
        assertThat(rules).allSatisfy(rule -> {
            assertThat(rule.getApiVersions()).containsExactly("v1");
            assertThat(rule.getScope()).isEqualTo("Namespaced");
        });
        r.all(MutatingWebhookConfiguration.class).forEach(m -> m.getWebhooks()
                .forEach(w -> assertThat(imageRules(w.getRules())).as("nothing to pin on an image stream").isEmpty()));
    }

    @Test
    void openShiftGrantsReadOnlyAccessToTheImageApi() {
        RenderedChart r = RenderedChart.variant("openshift");
        ClusterRole role = r.one(ClusterRole.class, RenderedChart.FULLNAME + "-image-api");
        List<PolicyRule> rules = role.getRules();
        assertThat(rules).hasSize(3);
        assertThat(rules.get(0).getApiGroups()).containsExactly("image.openshift.io");
        assertThat(rules.get(0).getResources()).containsExactly("imagestreams");
        assertThat(rules.get(0).getVerbs()).containsExactly("get", "list", "watch");
        assertThat(rules.get(1).getApiGroups()).containsExactly("image.openshift.io");
        assertThat(rules.get(1).getResources()).containsExactly("images");
        assertThat(rules.get(1).getVerbs()).containsExactly("get");
        assertThat(rules.get(2).getApiGroups()).containsExactly("config.openshift.io");
        assertThat(rules.get(2).getResources()).containsExactly("images");
        assertThat(rules.get(2).getResourceNames()).containsExactly("cluster");
        assertThat(rules.get(2).getVerbs()).containsExactly("get", "list", "watch");
        assertThat(rules).allSatisfy(rule -> assertThat(rule.getVerbs()).doesNotContain("create", "update", "patch", "delete", "*"));

        ClusterRoleBinding binding = r.one(ClusterRoleBinding.class, RenderedChart.FULLNAME + "-image-api");
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(s.getName()).isEqualTo(RenderedChart.FULLNAME);
            assertThat(s.getNamespace()).isEqualTo(RenderedChart.NAMESPACE);
        });
    }

    @Test
    void withoutOpenShiftThereIsNeitherRuleNorRole() {
        RenderedChart r = RenderedChart.variant("defaults");
        assertThat(imageRules(r.one(ValidatingWebhookConfiguration.class, RenderedChart.FULLNAME).getWebhooks().get(0).getRules()))
                .isEmpty();
        assertThat(r.find(ClusterRole.class, RenderedChart.FULLNAME + "-image-api")).isEmpty();
        assertThat(r.find(ClusterRoleBinding.class, RenderedChart.FULLNAME + "-image-api")).isEmpty();
    }

    @Test
    void theImageApiIsReadWhenTheClusterIsToo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path both = dir.resolve("openshift-cluster.yaml");
        java.nio.file.Files.writeString(both, "openshift:\n  enabled: true\ncluster:\n  enabled: true\n");
        assertThat(Workload.webhook(RenderedChart.render(both)).getArgs()).contains("--cluster", "--image-api");
        assertThat(Workload.webhook(RenderedChart.variant("openshift")).getArgs())
                .as("without cluster.enabled the webhook has no token to read the image API with").doesNotContain("--image-api");
        assertThat(Workload.webhook(RenderedChart.variant("cluster")).getArgs()).as("not on plain Kubernetes").doesNotContain("--image-api");
    }

    @Test
    void theJvmMapsTheImagesClassDataArchiveUnlessToldNot(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        assertThat(Workload.webhook(RenderedChart.variant("defaults")).getCommand()).contains("-XX:SharedArchiveFile=/app/image-policy-webhook.jsa");
        java.nio.file.Path off = dir.resolve("no-cds.yaml");
        java.nio.file.Files.writeString(off, "jvm:\n  classDataSharing: false\n");
        assertThat(Workload.webhook(RenderedChart.render(off)).getCommand()).noneMatch(o -> o.startsWith("-XX:SharedArchiveFile"));
    }
}
