package org.imagepolicy.webhook.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pre-delete hook against fabric8's mock API server, which keeps objects as a real one would (CRUD mode); a new one per test. */
@EnableKubernetesMockClient(crud = true)
class UninstallerTest {
    KubernetesClient client;
    KubernetesMockServer server;

    private static final Uninstaller.Settings SETTINGS = new Uninstaller.Settings("policy-system", "ipw",
            List.of("ipw-validating"), List.of("ipw-mutating"), List.of("ipw-ca", "ipw-tls"));

    @Test
    void scalesToZeroBeforeDeletingTheWebhookConfigurationsAndTheSecretsLast() throws Exception {
        client.apps().deployments().inNamespace("policy-system").resource(new DeploymentBuilder().withNewMetadata().withName("ipw")
                .endMetadata().withNewSpec().withReplicas(3).endSpec().build()).create();
        client.admissionRegistration().v1().validatingWebhookConfigurations().resource(new ValidatingWebhookConfigurationBuilder()
                .withNewMetadata().withName("ipw-validating").endMetadata().build()).create();
        client.admissionRegistration().v1().mutatingWebhookConfigurations().resource(new MutatingWebhookConfigurationBuilder()
                .withNewMetadata().withName("ipw-mutating").endMetadata().build()).create();
        for (String name : List.of("ipw-ca", "ipw-tls", "unrelated")) {
            client.secrets().inNamespace("policy-system").resource(new SecretBuilder().withNewMetadata().withName(name).endMetadata()
                    .build()).create();
        }
        drain();

        List<String> steps = new Uninstaller(client).run(SETTINGS);

        assertThat(steps).containsExactly("scaled Deployment ipw to 0 replicas", "deleted ValidatingWebhookConfiguration ipw-validating",
                "deleted MutatingWebhookConfiguration ipw-mutating", "deleted Secret ipw-ca", "deleted Secret ipw-tls");
        assertThat(client.apps().deployments().inNamespace("policy-system").withName("ipw").get().getSpec().getReplicas()).isZero();
        assertThat(client.admissionRegistration().v1().validatingWebhookConfigurations().list().getItems()).isEmpty();
        assertThat(client.admissionRegistration().v1().mutatingWebhookConfigurations().list().getItems()).isEmpty();
        assertThat(client.secrets().inNamespace("policy-system").list().getItems()).extracting(s -> s.getMetadata().getName())
                .containsExactly("unrelated");
        // The order the API server saw: the Deployment changed before any configuration was deleted.
        List<String> writes = writes();
        assertThat(writes).hasSizeGreaterThanOrEqualTo(5);
        assertThat(writes.get(0)).startsWith("PATCH /apis/apps/v1/namespaces/policy-system/deployments/ipw");
        assertThat(writes.subList(1, 5)).containsExactly(
                "DELETE /apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/ipw-validating",
                "DELETE /apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/ipw-mutating",
                "DELETE /api/v1/namespaces/policy-system/secrets/ipw-ca",
                "DELETE /api/v1/namespaces/policy-system/secrets/ipw-tls");
    }

    @Test
    void aSecondRunAfterAPartialUninstallFinishesWithoutFailing() {
        List<String> steps = new Uninstaller(client).run(SETTINGS);

        assertThat(steps).containsExactly("Deployment ipw does not exist; nothing to scale", "no ValidatingWebhookConfiguration ipw-validating",
                "no MutatingWebhookConfiguration ipw-mutating", "no Secret ipw-ca", "no Secret ipw-tls");
    }

    private void drain() throws InterruptedException {
        while (server.takeRequest(10, TimeUnit.MILLISECONDS) != null) {
            // the set-up's requests
        }
    }

    /** Every request that changed something, in the order the server received them. */
    private List<String> writes() throws InterruptedException {
        List<String> writes = new ArrayList<>();
        for (var r = server.takeRequest(100, TimeUnit.MILLISECONDS); r != null; r = server.takeRequest(100, TimeUnit.MILLISECONDS)) {
            if (!r.getMethod().equals("GET")) {
                writes.add(r.getMethod() + " " + r.getPath());
            }
        }
        return writes;
    }
}
