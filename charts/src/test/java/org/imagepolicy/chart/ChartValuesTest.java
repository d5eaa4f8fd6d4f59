package org.imagepolicy.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each documented variant must render, and the values the chart must refuse. */
class ChartValuesTest {
    private static final String NAME = RenderedChart.FULLNAME;

    private static RenderedChart with(Path dir, String values) throws Exception {
        Path file = Files.createTempFile(dir, "values", ".yaml");
        Files.writeString(file, values);
        return RenderedChart.render(file);
    }

    private static ValidatingWebhook validating(RenderedChart r) {
        return r.one(ValidatingWebhookConfiguration.class, NAME).getWebhooks().get(0);
    }

    @Test
    void theSchemaRejectsAMisspelledKey(@TempDir Path dir) {
        assertThatThrownBy(() -> with(dir, "replicaCout: 2\n")).hasMessageContaining("replicaCout")
                .hasMessageContaining("Additional property replicaCout is not allowed");
        assertThatThrownBy(() -> with(dir, "webhook:\n  failurePolcy: Ignore\n")).hasMessageContaining("failurePolcy");
    }

    @Test
    void theSchemaRejectsATimeoutOf31AndMistypedValues(@TempDir Path dir) {
        assertThatThrownBy(() -> with(dir, "webhook:\n  timeoutSeconds: 31\n")).hasMessageContaining("timeoutSeconds")
                .hasMessageContaining("30");
        assertThatThrownBy(() -> with(dir, "webhook:\n  failurePolicy: fail\n")).hasMessageContaining("failurePolicy");
        assertThatThrownBy(() -> with(dir, "replicaCount: three\n")).hasMessageContaining("replicaCount");
        assertThatThrownBy(() -> with(dir, "resources:\n  limits: {memory: 1.5Gi}\n")).hasMessageContaining("memory");
    }

    @Test
    void aDecisionTimeoutThatDoesNotFitUnderTimeoutSecondsIsRefused(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> with(dir, "webhook:\n  timeoutSeconds: 3\n  decisionTimeoutMillis: 2800\n"))
                .hasMessageContaining("webhook.decisionTimeoutMillis 2800 must stay at least 500 ms below webhook.timeoutSeconds (3 s)");
        assertThat(Workload.serveFlags(with(dir, "webhook:\n  timeoutSeconds: 3\n  decisionTimeoutMillis: 2500\n")))
                .containsEntry("--decision-timeout", "2500ms");
        // Derived: half the webhook's budget, at most 2.5 s.
        assertThat(Workload.serveFlags(with(dir, "webhook:\n  timeoutSeconds: 1\n"))).containsEntry("--decision-timeout", "500ms");
        assertThat(Workload.serveFlags(with(dir, "webhook:\n  timeoutSeconds: 30\n"))).containsEntry("--decision-timeout", "2500ms");
    }

    @Test
    void memoryThatLeavesTooLittleOutsideTheHeapIsRefusedWithWhatToChange(@TempDir Path dir) {
        assertThatThrownBy(() -> with(dir, "resources:\n  limits: {memory: 512Mi}\n"))
                .hasMessageContaining("resources.limits.memory 512Mi with jvm.maxRAMPercentage 50 leaves 256Mi outside the heap")
                .hasMessageContaining("raise the limit to 576Mi or lower maxRAMPercentage to 37");
        assertThatThrownBy(() -> with(dir, "jvm: {maxRAMPercentage: 80}\n")).hasMessageContaining("leaves 154Mi outside the heap");
    }

    @Test
    void noPodDisruptionBudgetForASingleReplica(@TempDir Path dir) throws Exception {
        RenderedChart one = with(dir, "replicaCount: 1\n");
        assertThat(one.all(PodDisruptionBudget.class)).isEmpty();
        assertThat(RenderedChart.variant("defaults").all(PodDisruptionBudget.class)).hasSize(1);
        assertThat(with(dir, "replicaCount: 2\n").all(PodDisruptionBudget.class)).hasSize(1);
    }

    @Test
    void aUserSelectorKeepsTheReleaseNamespaceExcluded() {
        ValidatingWebhook w = validating(RenderedChart.variant("ha-hpa"));
        assertThat(w.getNamespaceSelector().getMatchLabels()).containsEntry("image-policy", "enforced");
        assertThat(w.getNamespaceSelector().getMatchExpressions()).hasSize(2);
        assertThat(w.getNamespaceSelector().getMatchExpressions().get(0).getKey()).isEqualTo("team");
        var excluded = w.getNamespaceSelector().getMatchExpressions().get(1);
        assertThat(excluded.getKey()).isEqualTo("kubernetes.io/metadata.name");
        assertThat(excluded.getOperator()).isEqualTo("NotIn");
        assertThat(excluded.getValues()).containsExactly(RenderedChart.NAMESPACE, "kube-system", "monitoring");
        assertThat(w.getMatchConditions()).extracting(c -> c.getName()).containsExactly("not-the-node-controller");
        assertThat(w.getTimeoutSeconds()).isEqualTo(5);
    }

    @Test
    void defaultsFailClosedWithTenSecondsAndNoMutation() {
        RenderedChart r = RenderedChart.variant("defaults");
        ValidatingWebhook w = validating(r);
        assertThat(w.getFailurePolicy()).isEqualTo("Fail");
        assertThat(w.getTimeoutSeconds()).isEqualTo(10);
        assertThat(w.getClientConfig().getService().getName()).isEqualTo(r.one(Service.class, NAME).getMetadata().getName());
        assertThat(w.getRules()).extracting(rule -> rule.getApiGroups().get(0)).containsExactly("", "apps", "batch");
        assertThat(r.all(MutatingWebhookConfiguration.class)).isEmpty();
        assertThat(Workload.deployment(r).getSpec().getReplicas()).isEqualTo(3);
        assertThat(r.one(ServiceAccount.class, NAME).getAutomountServiceAccountToken()).isFalse();
        assertThat(Workload.serveFlags(r)).containsEntry("--log-format", "json").containsEntry("--shutdown-delay", "10s")
                .containsEntry("--cache-max-heap-percent", "25").containsEntry("--tls-cert", "/etc/image-policy/tls/tls.crt");
    }

    @Test
    void selfSignedRunsTheCertsHookBeforeAndAfterInstallOnTheSameSecrets() {
        RenderedChart r = RenderedChart.variant("self-signed");
        Job pre = r.one(Job.class, NAME + "-certs-pre");
        Job post = r.one(Job.class, NAME + "-certs-post");
        assertThat(RenderedChart.annotations(pre)).containsEntry("helm.sh/hook", "pre-install,pre-upgrade");
        assertThat(RenderedChart.annotations(post)).containsEntry("helm.sh/hook", "post-install,post-upgrade");
        List<String> preArgs = Workload.jarArguments(pre.getSpec().getTemplate().getSpec().getContainers().get(0));
        List<String> postArgs = Workload.jarArguments(post.getSpec().getTemplate().getSpec().getContainers().get(0));
        assertThat(preArgs).startsWith("certs", "kubernetes").contains("--namespace=policy-system", "--service=" + NAME,
                "--tls-secret=" + NAME + "-tls", "--ca-secret=" + NAME + "-ca", "--validating-webhook-configuration=" + NAME,
                "--mutating-webhook-configuration=" + NAME, "--key-type=rsa-3072", "--renew-before=45d")
                .doesNotContain("--require-webhook-configurations");
        assertThat(postArgs).containsAll(preArgs).endsWith("--require-webhook-configurations");
        // The pods mount the Secret the hook writes; the webhook configurations carry no bundle until the hook patches it.
        assertThat(Workload.deployment(r).getSpec().getTemplate().getSpec().getVolumes()).anySatisfy(v ->
                assertThat(v.getSecret() == null ? null : v.getSecret().getSecretName()).isEqualTo(NAME + "-tls"));
        assertThat(validating(r).getClientConfig().getCaBundle()).isNull();
        // The hooks may touch exactly those Secrets and configurations, and exist in every phase that runs them.
        Role role = r.one(Role.class, NAME + "-hooks");
        assertThat(role.getRules()).anySatisfy(rule -> assertThat(rule.getResourceNames()).containsExactly(NAME + "-ca", NAME + "-tls"));
        ClusterRole clusterRole = r.one(ClusterRole.class, NAME + "-hooks");
        assertThat(clusterRole.getRules()).allSatisfy(rule -> assertThat(rule.getResourceNames()).containsExactly(NAME));
        assertThat(RenderedChart.annotations(role).get("helm.sh/hook").split(","))
                .contains("pre-install", "pre-upgrade", "post-install", "post-upgrade", "pre-delete");
        assertThat(Integer.parseInt(RenderedChart.annotations(role).get("helm.sh/hook-weight")))
                .isLessThan(Integer.parseInt(RenderedChart.annotations(pre).get("helm.sh/hook-weight")));
    }

    @Test
    void uninstallScalesToZeroThenDeletesTheConfigurationsItRendered() {
        for (String variant : List.of("defaults", "mutation", "cert-manager")) {
            RenderedChart r = RenderedChart.variant(variant);
            Job uninstall = r.one(Job.class, NAME + "-uninstall");
            assertThat(RenderedChart.annotations(uninstall)).containsEntry("helm.sh/hook", "pre-delete");
            List<String> args = Workload.jarArguments(uninstall.getSpec().getTemplate().getSpec().getContainers().get(0));
            // uninstall-hook scales first, then deletes (UninstallerTest checks the order against an API server).
            assertThat(args).startsWith("uninstall-hook", "--namespace=policy-system",
                    "--deployment=" + Workload.deployment(r).getMetadata().getName());
            r.all(ValidatingWebhookConfiguration.class).forEach(c ->
                    assertThat(args).contains("--validating-webhook-configuration=" + c.getMetadata().getName()));
            r.all(MutatingWebhookConfiguration.class).forEach(c ->
                    assertThat(args).contains("--mutating-webhook-configuration=" + c.getMetadata().getName()));
            assertThat(args.stream().anyMatch(a -> a.startsWith("--secret="))).as("the selfSigned Secrets are deleted last").isEqualTo(!variant.equals("cert-manager"));
            Role role = r.one(Role.class, NAME + "-hooks");
            assertThat(role.getRules().get(0).getResources()).containsExactly("deployments");
            assertThat(role.getRules().get(0).getVerbs()).containsExactly("get", "patch");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void certManagerInjectsTheCaOfTheCertificateTheChartRequests() {
        RenderedChart r = RenderedChart.variant("cert-manager");
        GenericKubernetesResource cert = r.one(GenericKubernetesResource.class, NAME);
        assertThat(cert.getApiVersion()).isEqualTo("cert-manager.io/v1");
        assertThat(RenderedChart.annotations(r.one(ValidatingWebhookConfiguration.class, NAME)))
                .containsEntry("cert-manager.io/inject-ca-from", RenderedChart.NAMESPACE + "/" + cert.getMetadata().getName());
        Map<String, Object> spec = (Map<String, Object>) cert.getAdditionalProperties().get("spec");
        assertThat(spec).containsEntry("secretName", NAME + "-tls");
        assertThat((List<Object>) spec.get("dnsNames")).contains(NAME + ".policy-system.svc");
        assertThat((Map<Object, Object>) spec.get("issuerRef")).containsEntry("name", NAME + "-ca").containsEntry("kind", "Issuer");
        assertThat(r.all(Job.class)).extracting(j -> j.getMetadata().getName()).containsExactly(NAME + "-uninstall");
        @SuppressWarnings("unchecked")
        Map<Object, Object> issuer = (Map<Object, Object>) ((Map<?, ?>) RenderedChart.variant("cert-manager-issuer").one(GenericKubernetesResource.class, NAME)
                .getAdditionalProperties().get("spec")).get("issuerRef");
        assertThat(issuer).containsEntry("name", "corp-ca").containsEntry("kind", "ClusterIssuer");
    }

    @Test
    void anExistingSecretIsMountedAndItsBundleSetByTheChart() {
        RenderedChart r = RenderedChart.variant("existing-secret");
        assertThat(validating(r).getClientConfig().getCaBundle()).startsWith("LS0tLS1CRUdJTi");
        assertThat(Workload.deployment(r).getSpec().getTemplate().getSpec().getVolumes())
                .anySatisfy(v -> assertThat(v.getSecret() == null ? null : v.getSecret().getSecretName()).isEqualTo("corp-webhook-tls"));
        assertThat(r.one(ConfigMap.class, NAME + "-test-ca").getData().get("ca.crt")).startsWith("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void openshiftCoversItsGroupsAndCanUseTheServiceCa() {
        RenderedChart plain = RenderedChart.variant("openshift");
        assertThat(validating(plain).getRules()).extracting(rule -> rule.getApiGroups().get(0))
                .containsExactly("", "apps", "batch", "apps.openshift.io", "build.openshift.io", "image.openshift.io", "image.openshift.io", "image.openshift.io");
        assertThat(Workload.serveFlags(plain)).containsEntry("--integrated-registry", "image-registry.openshift-image-registry.svc:5000");
        RenderedChart serviceCa = RenderedChart.variant("openshift-service-ca");
        assertThat(RenderedChart.annotations(serviceCa.one(Service.class, NAME)))
                .containsEntry("service.beta.openshift.io/serving-cert-secret-name", NAME + "-tls");
        assertThat(RenderedChart.annotations(serviceCa.one(ValidatingWebhookConfiguration.class, NAME)))
                .containsEntry("service.beta.openshift.io/inject-cabundle", "true");
        assertThat(RenderedChart.annotations(serviceCa.one(ConfigMap.class, NAME + "-service-ca")))
                .containsEntry("service.beta.openshift.io/inject-cabundle", "true");
    }

    @Test
    void theServiceCaModeNeedsOpenShift(@TempDir Path dir) {
        assertThatThrownBy(() -> with(dir, "certificates: {mode: openshiftServiceCA}\n"))
                .hasMessageContaining("certificates.mode openshiftServiceCA needs openshift.enabled");
    }

    @Test
    void mutationRegistersMutateWithReinvocation() {
        RenderedChart r = RenderedChart.variant("mutation");
        MutatingWebhook m = r.one(MutatingWebhookConfiguration.class, NAME).getWebhooks().get(0);
        assertThat(m.getReinvocationPolicy()).isEqualTo("IfNeeded");
        assertThat(m.getClientConfig().getService().getPath()).isEqualTo("/mutate");
        assertThat(m.getSideEffects()).isEqualTo("None");
        assertThat(r.one(ConfigMap.class, NAME + "-policy").getData()).containsOnlyKeys("pinning.yaml");
        assertThat(r.one(ConfigMap.class, NAME + "-policy").getData().get("pinning.yaml")).contains("resolveImages: AttemptRewrite");
    }

    @Test
    void highAvailabilityScalesOnCpuAndPassesRegistrySettings() {
        RenderedChart r = RenderedChart.variant("ha-hpa");
        HorizontalPodAutoscaler hpa = r.one(HorizontalPodAutoscaler.class, NAME);
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(3);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(12);
        assertThat(hpa.getSpec().getMetrics().get(0).getResource().getTarget().getAverageUtilization()).isEqualTo(60);
        assertThat(Workload.deployment(r).getSpec().getTemplate().getSpec().getPriorityClassName()).isEqualTo("system-cluster-critical");
        assertThat(Workload.webhook(r).getArgs()).contains("--registry-auth=/etc/image-policy/registry-auth/cluster-pull-secret/.dockerconfigjson",
                "--registry-certs=/etc/image-policy/registry-certs", "--insecure-registry=registry.lab.example.com", "--tag-ttl=30s",
                "--cache-max-heap-percent=30", "--decision-timeout=2500ms");
        var projected = Workload.deployment(r).getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals("registry-certs")).findFirst().orElseThrow().getProjected();
        assertThat(projected.getSources().get(0).getConfigMap().getItems().get(0).getPath()).isEqualTo("registry.corp.example.com:5000/ca.crt");
        GenericKubernetesResource monitor = r.one(GenericKubernetesResource.class, NAME);
        assertThat(monitor.getKind()).isEqualTo("ServiceMonitor");
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
    }

    @Test
    void theNetworkPolicyOpensTheWebhookPortDnsAndTheRegistriesOnly() {
        NetworkPolicy np = RenderedChart.variant("network-policy").one(NetworkPolicy.class, NAME);
        assertThat(np.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        assertThat(np.getSpec().getIngress().get(0).getPorts().get(0).getPort().getIntVal()).isEqualTo(8443);
        assertThat(np.getSpec().getIngress().get(0).getFrom().get(0).getIpBlock().getCidr()).isEqualTo("10.0.0.0/24");
        assertThat(np.getSpec().getIngress().get(1).getPorts().get(0).getPort().getIntVal()).isEqualTo(8080);
        assertThat(np.getSpec().getEgress().get(0).getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(53, 53);
        assertThat(np.getSpec().getEgress().get(1).getTo().get(0).getIpBlock().getCidr()).isEqualTo("10.20.0.0/16");
        assertThat(np.getSpec().getEgress().get(1).getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(443, 5000);
        assertThat(np.getSpec().getEgress()).hasSize(2);
    }

    @Test
    void onOpenShiftDnsIsAlsoAllowedOnTheDnsPodsPort(@TempDir Path dir) throws Exception {
        NetworkPolicy np = with(dir, "networkPolicy:\n  enabled: true\nopenshift:\n  enabled: true\n").one(NetworkPolicy.class, NAME);
        // OVN-Kubernetes judges DNS traffic after the dns-default Service's NAT, at the pods' port 5353.
        assertThat(np.getSpec().getEgress().get(0).getTo()).isNullOrEmpty();
        assertThat(np.getSpec().getEgress().get(0).getPorts()).extracting(p -> p.getPort().getIntVal() + "/" + p.getProtocol())
                .containsExactly("53/UDP", "53/TCP", "5353/UDP", "5353/TCP");
        assertThat(RenderedChart.variant("network-policy").one(NetworkPolicy.class, NAME).getSpec().getEgress().get(0).getPorts())
                .as("elsewhere port 53 only").extracting(p -> p.getPort().getIntVal()).containsExactly(53, 53);
    }

    private static List<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule> egressOnPort(NetworkPolicy np, int port) {
        return np.getSpec().getEgress().stream()
                .filter(e -> e.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == port) && e.getTo() != null).toList();
    }

    @Test
    void readingTheClusterOpensTheWayToTheApiServerAndOnlyThen(@TempDir Path dir) throws Exception {
        NetworkPolicy defaults = with(dir, "networkPolicy:\n  enabled: true\ncluster:\n  enabled: true\n").one(NetworkPolicy.class, NAME);
        assertThat(egressOnPort(defaults, 6443)).as("the API server's endpoints, by default anywhere on 443 and 6443")
                .hasSize(2).allSatisfy(e -> assertThat(e.getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(443, 6443))
                .extracting(e -> e.getTo().get(0).getIpBlock().getCidr()).containsExactly("0.0.0.0/0", "::/0");

        NetworkPolicy narrowed = with(dir, """
                networkPolicy:
                  enabled: true
                  registryEgress: [{cidr: 10.20.0.0/16, ports: [443]}]
                  apiServerEgress: [{cidr: 192.168.10.4/32, ports: [6443]}, {cidr: 192.168.10.5/32, ports: [6443]}]
                cluster:
                  enabled: true
                """).one(NetworkPolicy.class, NAME);
        assertThat(egressOnPort(narrowed, 6443)).extracting(e -> e.getTo().get(0).getIpBlock().getCidr())
                .containsExactly("192.168.10.4/32", "192.168.10.5/32");
        assertThat(narrowed.getSpec().getEgress()).as("DNS, the API server's two addresses, the registries").hasSize(4);
        assertThat(narrowed.getSpec().getEgress().get(3).getTo().get(0).getIpBlock().getCidr()).isEqualTo("10.20.0.0/16");

        NetworkPolicy withoutCluster = with(dir, "networkPolicy:\n  enabled: true\n  apiServerEgress: [{cidr: 192.168.10.4/32, ports: [6443]}]\n")
                .one(NetworkPolicy.class, NAME);
        assertThat(egressOnPort(withoutCluster, 6443)).as("a webhook that never reads the cluster is not let near the API server").isEmpty();
        assertThat(RenderedChart.variant("network-policy").one(NetworkPolicy.class, NAME).getSpec().getEgress())
                .noneMatch(e -> e.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == 6443));

        assertThatThrownBy(() -> with(dir, "networkPolicy:\n  enabled: true\n  apiServerEgress: []\ncluster:\n  enabled: true\n"))
                .hasMessageContaining("networkPolicy.apiServerEgress is empty, but cluster.enabled makes the webhook read the API server");
        assertThatThrownBy(() -> with(dir, "networkPolicy:\n  apiServerEgress: [{cidr: 10.0.0.1/32}]\n")).hasMessageContaining("ports");
    }

    @Test
    void theChartShipsTheRepositorysPoliciesVerbatim() throws Exception {
        Path repo = Project.root().resolve("policies");
        Path shipped = Project.chart().resolve("policies");
        try (Stream<Path> files = Files.list(repo)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                assertThat(shipped.resolve(p.getFileName())).as("charts/image-policy-webhook/policies/%s: copy policies/ again", p.getFileName())
                        .hasSameTextualContentAs(p);
            }
        }
        try (Stream<Path> files = Files.list(shipped)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList())
                    .containsExactlyInAnyOrder("openshift-default.yaml", "trusted-registries.yaml");
        }
        ConfigMap policy = RenderedChart.variant("defaults").one(ConfigMap.class, NAME + "-policy");
        assertThat(policy.getData().get("trusted-registries.yaml")).isEqualTo(Files.readString(repo.resolve("trusted-registries.yaml")));
    }

    @Test
    void theChartVersionAndImageTagAreTheProjectVersion() throws Exception {
        String chart = Files.readString(Project.chart().resolve("Chart.yaml"));
        assertThat(chart).contains("\nversion: " + Project.version() + "\n").contains("\nappVersion: \"" + Project.version() + "\"\n");
        assertThat(Workload.webhook(RenderedChart.variant("defaults")).getImage()).isEqualTo("image-policy-webhook:" + Project.version());
    }

    @Test
    void helmLintStrictFailsOnAValuesMistake(@TempDir Path dir) throws Exception {
        // The lint checks are real: a copy with a misspelled key fails them.
        Path chart = dir.resolve("image-policy-webhook");
        ChartVariantsTest.copy(Project.chart(), chart);
        Files.writeString(chart.resolve("values.yaml"), Files.readString(chart.resolve("values.yaml")) + "replicaCout: 2\n");
        var result = new Helm(chart).lint().strict().call();
        assertThat(result.isFailed()).isTrue();
        assertThat(result.getMessages()).anyMatch(m -> m.contains("replicaCout"));
    }
}
