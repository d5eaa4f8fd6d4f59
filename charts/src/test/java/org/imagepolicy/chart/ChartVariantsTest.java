package org.imagepolicy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.imagepolicy.webhook.cli.Main;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Every documented install: linted strictly, rendered, read with the fabric8 models, and held to what must always hold. */
class ChartVariantsTest {

    /** serve flags the chart passes that the server branch adds; the test fails once they exist, to be removed here. */

    static Stream<String> variants() {
        return Variants.all().stream();
    }

    @ParameterizedTest
    @MethodSource("variants")
    void rendersAsTheGoldenRendering(String variant) throws Exception {
        RenderedChart r = RenderedChart.variant(variant);
        GoldenRendering.assertMatches(Project.resources().resolve("golden/" + variant + ".yaml"), r.yaml);
    }

    @ParameterizedTest
    @MethodSource("variants")
    void passesHelmLintStrict(String variant, @TempDir Path dir) throws Exception {
        // helm-java's lint takes no values file, so the variant's values are merged into a copy's values.yaml.
        Path chart = Project.chart();
        if (!variant.equals("defaults")) {
            chart = dir.resolve("image-policy-webhook");
            copy(Project.chart(), chart);
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
            JsonNode merged = merge(yaml.readTree(chart.resolve("values.yaml").toFile()), yaml.readTree(Project.variant(variant).toFile()));
            Files.writeString(chart.resolve("values.yaml"), yaml.writeValueAsString(merged));
        }
        LintResult result = new Helm(chart).lint().strict().call();
        assertThat(result.getMessages()).as("helm lint --strict messages").noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
        assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
    }

    @ParameterizedTest
    @MethodSource("variants")
    void everyNamespacedObjectIsInTheReleaseNamespace(String variant) {
        RenderedChart r = RenderedChart.variant(variant);
        Set<String> clusterScoped = Set.of("ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "ClusterRole",
                "ClusterRoleBinding");
        for (HasMetadata o : r.objects) {
            if (o.getMetadata().getName().equals(RenderedChart.FULLNAME + "-cluster") && o.getKind().startsWith("Role")
                    || o.getMetadata().getName().equals(RenderedChart.FULLNAME + "-global-pull-secret")) {
                continue; // cluster.namespaces: read access granted where the pull secrets are (ClusterRbacTest)
            }
            if (!clusterScoped.contains(o.getKind())) {
                assertThat(o.getMetadata().getNamespace()).as("%s/%s", o.getKind(), o.getMetadata().getName())
                        .isEqualTo(RenderedChart.NAMESPACE);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void theReleaseNamespaceIsAlwaysExcludedFromEveryWebhook(String variant) {
        RenderedChart r = RenderedChart.variant(variant);
        List<io.fabric8.kubernetes.api.model.LabelSelector> selectors = new ArrayList<>();
        r.all(ValidatingWebhookConfiguration.class).forEach(c -> c.getWebhooks().forEach(w -> selectors.add(w.getNamespaceSelector())));
        r.all(MutatingWebhookConfiguration.class).forEach(c -> c.getWebhooks().forEach(w -> selectors.add(w.getNamespaceSelector())));
        assertThat(selectors).isNotEmpty();
        for (var selector : selectors) {
            assertThat(selector.getMatchExpressions()).anySatisfy(e -> {
                assertThat(e.getKey()).isEqualTo("kubernetes.io/metadata.name");
                assertThat(e.getOperator()).isEqualTo("NotIn");
                assertThat(e.getValues()).contains(RenderedChart.NAMESPACE, "kube-system");
            });
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void everyWebhookIsSafeByConstruction(String variant) {
        RenderedChart r = RenderedChart.variant(variant);
        int timeoutSeconds = r.one(ValidatingWebhookConfiguration.class, RenderedChart.FULLNAME).getWebhooks().get(0).getTimeoutSeconds();
        long decisionMillis = Long.parseLong(Workload.serveFlags(r).get("--decision-timeout").replace("ms", ""));
        assertThat(decisionMillis).as("decision timeout against timeoutSeconds %s", timeoutSeconds)
                .isPositive().isLessThanOrEqualTo(timeoutSeconds * 1000L - 500);
        r.all(ValidatingWebhookConfiguration.class).forEach(c -> c.getWebhooks().forEach(w -> {
            assertThat(w.getSideEffects()).isEqualTo("None");
            assertThat(w.getAdmissionReviewVersions()).containsExactly("v1", "v1beta1");
            assertThat(w.getMatchPolicy()).isEqualTo("Equivalent");
            assertThat(w.getTimeoutSeconds()).isBetween(1, 30);
            assertThat(w.getClientConfig().getService().getPath()).isEqualTo("/validate");
            // ImageStreamImport is create-only and an ImageStream's status is only ever updated: the two rules with one operation.
            assertThat(w.getRules()).allSatisfy(rule -> assertThat(rule.getOperations())
                    .containsExactlyElementsOf(rule.getResources().equals(List.of("imagestreamimports")) ? List.of("CREATE")
                            : rule.getResources().equals(List.of("imagestreams/status")) ? List.of("UPDATE") : List.of("CREATE", "UPDATE")));
            assertThat(w.getRules().get(0).getResources()).contains("pods", "pods/ephemeralcontainers");
        }));
    }

    @ParameterizedTest
    @MethodSource("variants")
    void everyPodIsHardened(String variant) {
        RenderedChart r = RenderedChart.variant(variant);
        boolean openshift = variant.startsWith("openshift");
        List<PodSpec> pods = new ArrayList<>();
        r.all(Deployment.class).forEach(d -> pods.add(d.getSpec().getTemplate().getSpec()));
        r.all(Job.class).forEach(j -> pods.add(j.getSpec().getTemplate().getSpec()));
        r.all(Pod.class).forEach(p -> pods.add(p.getSpec()));
        assertThat(pods).hasSizeGreaterThanOrEqualTo(3); // the webhook, the uninstall hook, the helm test
        for (PodSpec pod : pods) {
            PodSecurityContext psc = pod.getSecurityContext();
            assertThat(psc.getRunAsNonRoot()).isTrue();
            assertThat(psc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            if (openshift) {
                // restricted-v2 assigns them from the namespace's range; fixing them would be refused.
                assertThat(psc.getRunAsUser()).isNull();
                assertThat(psc.getFsGroup()).isNull();
            } else {
                assertThat(psc.getRunAsUser()).isEqualTo(65532L);
            }
            assertThat(pod.getEnableServiceLinks()).isFalse();
            for (Container c : pod.getContainers()) {
                assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
                assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
                assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
                assertThat(c.getSecurityContext().getPrivileged()).isNotEqualTo(Boolean.TRUE);
                assertThat(c.getResources().getLimits()).containsKey("memory");
            }
        }
        PodSpec webhook = Workload.deployment(r).getSpec().getTemplate().getSpec();
        assertThat(webhook.getAutomountServiceAccountToken()).as("the webhook calls the API only with cluster.enabled")
                .isEqualTo(variant.startsWith("cluster"));
        r.all(Job.class).forEach(j -> assertThat(j.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken()).isTrue());
    }

    @ParameterizedTest
    @MethodSource("variants")
    void probesUseThePlainHealthPort(String variant) {
        Container c = Workload.webhook(RenderedChart.variant(variant));
        assertThat(c.getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("health");
            assertThat(p.getContainerPort()).isEqualTo(8080);
        });
        assertThat(Workload.serveFlags(RenderedChart.variant(variant))).containsEntry("--health-port", "8080");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        for (var probe : List.of(c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe())) {
            assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("health");
            assertThat(probe.getHttpGet().getScheme()).isNull(); // HTTP
        }
        // Sized to the measured 1.7-1.9 s start: at least 15 times that before liveness may act.
        assertThat(c.getStartupProbe().getPeriodSeconds() * c.getStartupProbe().getFailureThreshold()).isGreaterThanOrEqualTo(28);
    }

    @ParameterizedTest
    @MethodSource("variants")
    void aPodDisruptionBudgetGuardsEveryMultiReplicaInstall(String variant) {
        RenderedChart r = RenderedChart.variant(variant);
        Deployment d = Workload.deployment(r);
        boolean hpa = !r.all(io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class).isEmpty();
        assertThat(d.getSpec().getReplicas() == null).as("replicas left to the HPA").isEqualTo(hpa);
        PodDisruptionBudget pdb = r.one(PodDisruptionBudget.class, RenderedChart.FULLNAME);
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(d.getSpec().getSelector().getMatchLabels());
        assertThat(d.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .as("above drain delay plus grace").isGreaterThan(30L);
    }

    @ParameterizedTest
    @MethodSource("variants")
    void everyCommandTheChartRunsIsOneTheJarUnderstands(String variant) {
        RenderedChart r = RenderedChart.variant(variant);
        List<Container> containers = new ArrayList<>();
        r.all(Deployment.class).forEach(d -> containers.addAll(d.getSpec().getTemplate().getSpec().getContainers()));
        r.all(Job.class).forEach(j -> containers.addAll(j.getSpec().getTemplate().getSpec().getContainers()));
        r.all(Pod.class).forEach(p -> containers.addAll(p.getSpec().getContainers()));
        for (Container c : containers) {
            assertThat(c.getCommand().get(0)).isEqualTo("java");
            assertThat(c.getCommand()).containsSequence("-jar", "/app/image-policy-webhook.jar");
            List<String> args = Workload.jarArguments(c);
            CommandLine cli = new CommandLine(new Main());
            CommandLine.ParseResult parsed = cli.parseArgs(args.toArray(String[]::new));
            assertThat(parsed.hasSubcommand()).as("%s runs a subcommand", c.getName()).isTrue();
        }
    }

    private static JsonNode merge(JsonNode base, JsonNode override) {
        if (base instanceof ObjectNode b && override.isObject()) {
            override.fields().forEachRemaining(e -> b.set(e.getKey(), b.has(e.getKey()) ? merge(b.get(e.getKey()), e.getValue()) : e.getValue()));
            return b;
        }
        return override;
    }

    static void copy(Path from, Path to) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t);
                }
            }
        }
    }

    static Map<String, String> labels(HasMetadata o) {
        return o.getMetadata().getLabels();
    }

    static List<LabelSelectorRequirement> none() {
        return List.of();
    }
}
