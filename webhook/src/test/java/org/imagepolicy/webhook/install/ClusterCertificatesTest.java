package org.imagepolicy.webhook.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.imagepolicy.certs.CertificateInfo;
import org.imagepolicy.certs.KeyType;
import org.imagepolicy.certs.Pem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The selfSigned hook against fabric8's mock API server in CRUD mode: what {@code helm install} and every
 * {@code helm upgrade} run. The upgrade tests are the part helm template cannot show: that the CA survives.
 */
@EnableKubernetesMockClient(crud = true)
class ClusterCertificatesTest {
    KubernetesClient client;

    private static ClusterCertificates.Settings settings(Duration validity, Duration caValidity, boolean require) {
        return new ClusterCertificates.Settings("policy-system", "ipw", List.of(), "ipw-ca", "ipw-tls", KeyType.EC_P256, validity,
                caValidity, Duration.ofDays(30), List.of("ipw-validating"), List.of("ipw-mutating"), require,
                Map.of("app.kubernetes.io/name", "image-policy-webhook"));
    }

    private static final ClusterCertificates.Settings DEFAULTS = settings(Duration.ofDays(365), Duration.ofDays(3650), true);

    @BeforeEach
    void webhookConfigurations() {
        client.admissionRegistration().v1().validatingWebhookConfigurations().resource(new ValidatingWebhookConfigurationBuilder()
                .withNewMetadata().withName("ipw-validating").endMetadata()
                .addNewWebhook().withName("pods.image-policy.io").withNewClientConfig().withNewService().withName("ipw")
                .withNamespace("policy-system").withPath("/validate").endService().endClientConfig().endWebhook()
                .addNewWebhook().withName("builds.image-policy.io").withNewClientConfig().withNewService().withName("ipw")
                .withNamespace("policy-system").withPath("/validate").endService().endClientConfig().endWebhook()
                .build()).create();
        client.admissionRegistration().v1().mutatingWebhookConfigurations().resource(new MutatingWebhookConfigurationBuilder()
                .withNewMetadata().withName("ipw-mutating").endMetadata()
                .addNewWebhook().withName("pin.image-policy.io").withNewClientConfig().withNewService().withName("ipw")
                .withNamespace("policy-system").withPath("/mutate").endService().endClientConfig().endWebhook()
                .build()).create();
    }

    @Test
    void installWritesACaSecretAServingSecretAndTheBundleIntoEveryWebhook() throws Exception {
        ClusterCertificates.Result result = new ClusterCertificates(client).apply(DEFAULTS, Instant.now());

        assertThat(result.caCreated()).isTrue();
        assertThat(result.certificateIssued()).isTrue();
        Secret tls = secret("ipw-tls");
        assertThat(tls.getType()).isEqualTo("kubernetes.io/tls");
        assertThat(tls.getData()).containsOnlyKeys("tls.crt", "tls.key", "ca.crt");
        assertThat(tls.getMetadata().getLabels()).containsEntry("app.kubernetes.io/name", "image-policy-webhook");
        X509Certificate ca = Pem.readCertificates(field(secret("ipw-ca"), "ca.crt")).get(0);
        X509Certificate leaf = Pem.readCertificates(field(tls, "tls.crt")).get(0);
        validate(leaf, ca);
        assertThat(CertificateInfo.of(leaf).dnsNames()).containsExactly("ipw.policy-system.svc", "ipw", "ipw.policy-system",
                "ipw.policy-system.svc.cluster.local");
        // The serving pods never get the CA key: it is only in the CA Secret.
        assertThat(secret("ipw-ca").getData()).containsOnlyKeys("ca.crt", "ca.key");
        String bundle = Base64.getEncoder().encodeToString(Pem.encode(ca).getBytes(StandardCharsets.US_ASCII));
        ValidatingWebhookConfiguration v = client.admissionRegistration().v1().validatingWebhookConfigurations().withName("ipw-validating").get();
        assertThat(v.getWebhooks()).allSatisfy(w -> assertThat(w.getClientConfig().getCaBundle()).isEqualTo(bundle)).hasSize(2);
        assertThat(client.admissionRegistration().v1().mutatingWebhookConfigurations().withName("ipw-mutating").get().getWebhooks())
                .allSatisfy(w -> assertThat(w.getClientConfig().getCaBundle()).isEqualTo(bundle));
    }

    @Test
    void aSecondUpgradeKeepsTheCaAndTheCertificateWhileTheyAreGood() {
        new ClusterCertificates(client).apply(DEFAULTS, Instant.now());
        Secret ca = secret("ipw-ca");
        Secret tls = secret("ipw-tls");

        ClusterCertificates.Result upgrade = new ClusterCertificates(client).apply(DEFAULTS, Instant.now());

        assertThat(upgrade.caCreated()).isFalse();
        assertThat(upgrade.certificateIssued()).isFalse();
        assertThat(secret("ipw-ca").getData()).isEqualTo(ca.getData());
        assertThat(secret("ipw-tls").getData()).isEqualTo(tls.getData());
        assertThat(upgrade.steps()).contains("kept the serving certificate in Secret ipw-tls (valid beyond renew-before)");
    }

    @Test
    void anUpgradeRenewsACertificateWithinRenewBeforeWithTheSameCa() throws Exception {
        new ClusterCertificates(client).apply(settings(Duration.ofDays(10), Duration.ofDays(3650), true), Instant.now());
        Map<String, String> ca = secret("ipw-ca").getData();
        String oldLeaf = field(secret("ipw-tls"), "tls.crt");

        ClusterCertificates.Result upgrade = new ClusterCertificates(client).apply(DEFAULTS, Instant.now());

        assertThat(upgrade.caCreated()).isFalse();
        assertThat(upgrade.certificateIssued()).isTrue();
        assertThat(secret("ipw-ca").getData()).isEqualTo(ca);
        X509Certificate renewed = Pem.readCertificates(field(secret("ipw-tls"), "tls.crt")).get(0);
        assertThat(Pem.encode(renewed)).isNotEqualTo(oldLeaf);
        validate(renewed, Pem.readCertificates(field(secret("ipw-ca"), "ca.crt")).get(0));
        assertThat(upgrade.steps()).anyMatch(s -> s.contains("within renew-before"));
    }

    @Test
    void aCaWithinRenewBeforeIsReplacedAndTheOldOneStaysInTheBundleUntilItExpires() {
        new ClusterCertificates(client).apply(settings(Duration.ofDays(10), Duration.ofDays(20), true), Instant.now());
        String oldCa = field(secret("ipw-ca"), "ca.crt");

        ClusterCertificates.Result upgrade = new ClusterCertificates(client).apply(DEFAULTS, Instant.now());

        assertThat(upgrade.caCreated()).isTrue();
        String newCa = field(secret("ipw-ca"), "ca.crt");
        assertThat(newCa).isNotEqualTo(oldCa);
        String bundle = new String(Base64.getDecoder().decode(client.admissionRegistration().v1().validatingWebhookConfigurations()
                .withName("ipw-validating").get().getWebhooks().get(0).getClientConfig().getCaBundle()), StandardCharsets.US_ASCII);
        assertThat(bundle).isEqualTo(newCa + oldCa);
    }

    @Test
    void beforeInstallTheConfigurationsAreSkippedAndAfterInstallTheirAbsenceFails() {
        client.admissionRegistration().v1().validatingWebhookConfigurations().withName("ipw-validating").delete();
        client.admissionRegistration().v1().mutatingWebhookConfigurations().withName("ipw-mutating").delete();

        ClusterCertificates.Result pre = new ClusterCertificates(client).apply(settings(Duration.ofDays(365), Duration.ofDays(3650), false),
                Instant.now());
        assertThat(pre.steps()).contains("ValidatingWebhookConfiguration ipw-validating does not exist yet; its CA bundle is set after install");
        assertThat(secret("ipw-tls")).isNotNull();

        assertThatThrownBy(() -> new ClusterCertificates(client).apply(DEFAULTS, Instant.now()))
                .hasMessage("ValidatingWebhookConfiguration ipw-validating does not exist; the chart should have created it");
    }

    @Test
    void aCaSecretWithoutItsKeyIsReportedNotOverwritten() {
        client.secrets().inNamespace("policy-system").resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata()
                .withName("ipw-ca").endMetadata().addToData("ca.crt", "eA==").build()).create();

        assertThatThrownBy(() -> new ClusterCertificates(client).apply(DEFAULTS, Instant.now()))
                .hasMessageStartingWith("Secret ipw-ca exists but lacks ca.crt or ca.key; delete it to start a new CA");
        assertThat(secret("ipw-ca").getData()).containsOnlyKeys("ca.crt");
    }

    private Secret secret(String name) {
        return client.secrets().inNamespace("policy-system").withName(name).get();
    }

    private static String field(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.US_ASCII);
    }

    private static void validate(X509Certificate leaf, X509Certificate ca) throws Exception {
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), params);
    }
}
