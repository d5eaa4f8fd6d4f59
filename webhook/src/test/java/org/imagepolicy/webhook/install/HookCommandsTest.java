package org.imagepolicy.webhook.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.imagepolicy.webhook.cli.HookClients;
import org.imagepolicy.webhook.cli.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The hook Jobs' command lines, as the chart renders them, against the CRUD mock API server through the JDK HTTP client. */
@EnableKubernetesMockClient(crud = true)
class HookCommandsTest {
    KubernetesClient client;

    @BeforeEach
    void useTheMockServer() {
        HookClients.use(() -> new KubernetesClientBuilder().withConfig(client.getConfiguration()).build());
    }

    @AfterEach
    void restore() {
        HookClients.reset();
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new String[] {String.valueOf(exit), out.toString(), err.toString()};
    }

    @Test
    void installThenUpgradeThenUninstall() {
        client.admissionRegistration().v1().validatingWebhookConfigurations().resource(new ValidatingWebhookConfigurationBuilder()
                .withNewMetadata().withName("ipw").endMetadata().addNewWebhook().withName("validate.image-policy-webhook.io")
                .withNewClientConfig().endClientConfig().endWebhook().build()).create();
        client.apps().deployments().inNamespace("policy-system").resource(new DeploymentBuilder().withNewMetadata().withName("ipw")
                .endMetadata().withNewSpec().withReplicas(3).endSpec().build()).create();
        String[] certs = {"certs", "kubernetes", "--namespace=policy-system", "--service=ipw", "--ca-secret=ipw-ca", "--tls-secret=ipw-tls",
            "--validating-webhook-configuration=ipw", "--label=app.kubernetes.io/instance=ipw", "--require-webhook-configurations"};

        String[] install = run(certs);
        assertThat(install[0]).as(install[2]).isEqualTo("0");
        assertThat(install[1]).contains("created a CA in Secret ipw-ca").contains("issued a serving certificate in Secret ipw-tls")
                .contains("set the CA bundle of ValidatingWebhookConfiguration ipw (1 webhooks)");
        String ca = client.secrets().inNamespace("policy-system").withName("ipw-ca").get().getData().get("ca.crt");

        String[] upgrade = run(certs);
        assertThat(upgrade[0]).isEqualTo("0");
        assertThat(upgrade[1]).contains("kept the CA in Secret ipw-ca").contains("kept the serving certificate in Secret ipw-tls");
        assertThat(client.secrets().inNamespace("policy-system").withName("ipw-ca").get().getData().get("ca.crt")).isEqualTo(ca);
        assertThat(client.secrets().inNamespace("policy-system").withName("ipw-tls").get().getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/instance", "ipw");

        String[] uninstall = run("uninstall-hook", "--namespace=policy-system", "--deployment=ipw", "--validating-webhook-configuration=ipw",
                "--secret=ipw-ca", "--secret=ipw-tls");
        assertThat(uninstall[0]).as(uninstall[2]).isEqualTo("0");
        assertThat(uninstall[1]).isEqualTo("scaled Deployment ipw to 0 replicas\ndeleted ValidatingWebhookConfiguration ipw\n"
                + "deleted Secret ipw-ca\ndeleted Secret ipw-tls\n");
    }

    @Test
    void aMissingConfigurationAfterInstallFailsTheJobWithTheReason() {
        String[] r = run("certs", "kubernetes", "--namespace=ns", "--service=ipw", "--ca-secret=ipw-ca", "--tls-secret=ipw-tls",
                "--validating-webhook-configuration=ipw", "--require-webhook-configurations");
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[2]).isEqualTo("certs kubernetes: ValidatingWebhookConfiguration ipw does not exist; the chart should have created it\n");
    }
}
