package org.imagepolicy.webhook.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.imagepolicy.webhook.admission.AdmissionInput;
import org.imagepolicy.webhook.admission.AdmissionReviewCodec;
import org.imagepolicy.webhook.policy.GroupResource;
import org.junit.jupiter.api.Test;

/** Whose pull secrets an object's images use, read as the kubelet and OpenShift's build controller read them. */
class PullSecretReferencesTest {

    static PullSecretReferences of(String group, String resource, String yamlishJson) throws Exception {
        JsonNode object = ClusterFixture.JSON.readTree(yamlishJson);
        return PullSecretReferences.of(new AdmissionInput(AdmissionReviewCodec.V1, "u", "CREATE", GroupResource.of(group, resource), "",
                "K", "team-a", "x", false, object, null));
    }

    @Test
    void aPodsOwnSecretsAndItsServiceAccountDefaultWhenUnset() throws Exception {
        assertThat(of("", "pods", "{\"spec\":{\"imagePullSecrets\":[{\"name\":\"a\"},{\"name\":\"b\"},{\"name\":\"a\"},{}]}}"))
                .isEqualTo(new PullSecretReferences(java.util.List.of("a", "b"), "default"));
        assertThat(of("", "pods", "{\"spec\":{\"serviceAccount\":\"old-spelling\"}}").serviceAccount()).isEqualTo("old-spelling");
        assertThat(of("", "pods", "{\"spec\":{\"serviceAccountName\":\"runner\",\"serviceAccount\":\"old\"}}").serviceAccount()).isEqualTo("runner");
    }

    @Test
    void workloadControllersUseTheirPodTemplates() throws Exception {
        String template = "{\"spec\":{\"template\":{\"spec\":{\"imagePullSecrets\":[{\"name\":\"t\"}],\"serviceAccountName\":\"web\"}}}}";
        for (String[] gr : new String[][] {{"apps", "deployments"}, {"apps", "statefulsets"}, {"apps", "daemonsets"}, {"apps", "replicasets"},
            {"batch", "jobs"}, {"", "replicationcontrollers"}, {"apps.openshift.io", "deploymentconfigs"}}) {
            assertThat(of(gr[0], gr[1], template)).as(gr[1]).isEqualTo(new PullSecretReferences(java.util.List.of("t"), "web"));
        }
        assertThat(of("batch", "cronjobs", "{\"spec\":{\"jobTemplate\":{\"spec\":{\"template\":{\"spec\":{\"imagePullSecrets\":[{\"name\":\"c\"}]}}}}}}"))
                .isEqualTo(new PullSecretReferences(java.util.List.of("c"), "default"));
    }

    @Test
    void buildsUseTheStrategysPullSecretAndTheBuilderAccount() throws Exception {
        assertThat(of("build.openshift.io", "buildconfigs", "{\"spec\":{\"strategy\":{\"dockerStrategy\":{\"pullSecret\":{\"name\":\"p\"}}}}}"))
                .isEqualTo(new PullSecretReferences(java.util.List.of("p"), "builder"));
        assertThat(of("build.openshift.io", "builds", "{\"spec\":{\"serviceAccount\":\"ci\",\"strategy\":{\"sourceStrategy\":{}}}}"))
                .isEqualTo(new PullSecretReferences(java.util.List.of(), "ci"));
    }
}
