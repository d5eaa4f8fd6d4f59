package org.imagepolicy.webhook.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.imagepolicy.webhook.cluster.ClusterSettings;
import org.imagepolicy.webhook.cluster.ClusterWatch;
import org.imagepolicy.webhook.cluster.KubernetesClients;
import org.imagepolicy.webhook.cluster.openshift.OpenShiftImages;
import org.imagepolicy.webhook.cluster.SecretRef;
import org.imagepolicy.webhook.image.HostPattern;
import org.imagepolicy.webhook.policy.PolicyException;
import org.imagepolicy.webhook.policy.PolicyProblem;
import org.imagepolicy.webhook.registry.CacheBudget;
import org.imagepolicy.webhook.registry.credentials.CredentialsException;
import org.imagepolicy.webhook.server.ServerSettings;
import org.imagepolicy.webhook.server.WebhookServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the HTTPS admission webhook (POST /validate) and the health port (/healthz, /readyz, /metrics).",
            "Policy and certificate files are reloaded when they change; an invalid policy at start-up exits 2."})
final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = Logger.getLogger(ServeCommand.class.getName());

    @Option(names = "--policy", required = true, paramLabel = "PATH",
            description = "Policy file or directory (repeatable; all are merged into one policy).")
    List<Path> policy;

    @Option(names = "--strict", description = "Treat unknown policy fields as errors.")
    boolean strict;

    @Option(names = "--host", defaultValue = "0.0.0.0", paramLabel = "ADDRESS", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8443", paramLabel = "PORT", description = "HTTPS port for admissions (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--health-port", defaultValue = "8080", paramLabel = "PORT", description = "Plain HTTP port for probes and metrics (default: ${DEFAULT-VALUE}).")
    int healthPort;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain. Without it a self-signed certificate is generated.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key (PKCS#8, PKCS#1 or EC).")
    Path tlsKey;

    @Option(names = "--cert-dir", paramLabel = "DIR", description = "Where a generated certificate and its CA are kept (default: ${DEFAULT-VALUE}).",
            defaultValue = "${sys:java.io.tmpdir}/image-policy-webhook")
    Path certDir;

    @Option(names = "--offline", description = "Never contact registries; every resolution fails with \"offline\".")
    boolean offline;

    @Option(names = "--integrated-registry", paramLabel = "HOST", description = "Also treat HOST[:PORT] as the integrated registry (repeatable).")
    List<String> integratedRegistries = new ArrayList<>();

    @Option(names = "--exempt-namespace", paramLabel = "NAMESPACE", description = "Admit requests in NAMESPACE unchecked (repeatable).")
    List<String> exemptNamespaces = new ArrayList<>();

    @Option(names = "--reload-interval", defaultValue = "2", paramLabel = "SECONDS", description = "How often policy and certificate files are checked (default: ${DEFAULT-VALUE}).")
    long reloadSeconds;

    @Option(names = "--shutdown-grace", defaultValue = "20", paramLabel = "SECONDS", description = "After the shutdown delay, how long in-flight requests may take (default: ${DEFAULT-VALUE}).")
    long graceSeconds;

    @Option(names = "--warm-up", defaultValue = "1s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = {"Before reporting ready, send this long of admissions to ourselves over loopback (no registry contacted,",
                "nothing logged or counted), so the first live ones are not answered by a cold JVM; 0s for none (default: ${DEFAULT-VALUE})."})
    Duration warmUp;

    @Option(names = "--shutdown-delay", defaultValue = "10s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = {"After SIGTERM, how long admissions are still accepted and answered, each answer asking its client to",
                "reconnect elsewhere, before in-flight requests are finished; longer than endpoint removal takes (default: ${DEFAULT-VALUE})."})
    Duration shutdownDelay;

    @Option(names = "--log-format", defaultValue = "text", paramLabel = "text|json",
            description = "text for people, json for log shippers: one object per line (default: ${DEFAULT-VALUE}).")
    LogSetup.Format logFormat;

    @Option(names = "--cache-max-heap-percent", defaultValue = "25", paramLabel = "N",
            description = "Share of the maximum heap the registry cache may hold, at least 16 MiB (default: ${DEFAULT-VALUE}).")
    int cacheMaxHeapPercent;

    @Option(names = "--instances", paramLabel = "N", description = "Event loops answering admissions (default: one per core).")
    Integer instances;

    @Option(names = "--decision-timeout", defaultValue = "2.5s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Time a decision may spend on registry lookups; keep it below the webhook's timeoutSeconds (default: ${DEFAULT-VALUE}).")
    Duration decisionTimeout;

    @picocli.CommandLine.Mixin
    RegistryOptions registry = new RegistryOptions();

    @Option(names = "--cluster", description = {"Read pull secrets, service accounts and namespaces from the cluster (list and watch):",
        "each pod's own credentials and its namespace's ignore-rules annotation. Not ready until they are listed."})
    boolean cluster;

    @Option(names = "--image-api", description = {"With --cluster on OpenShift: resolve image streams, local names and digests the",
            "cluster knows through the image.openshift.io API (ImageStreams watched, Images read once and",
            "refreshed every 30 s); everything else still goes to registries."})
    boolean imageApi;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "With --cluster: a kubeconfig instead of the in-cluster service account.")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "With --cluster: the kubeconfig context (default: its current one).")
    String kubeContext;

    @Option(names = "--global-pull-secret", paramLabel = "NAMESPACE/NAME",
            description = "With --cluster: a pull secret every lookup may use after the pod's own, e.g. openshift-config/pull-secret.")
    String globalPullSecret;

    @Option(names = "--cluster-namespace", paramLabel = "NAMESPACE",
            description = {"With --cluster: read pull secrets and service accounts of this namespace only (repeatable; default: all).",
                "Needs list/watch there (a Role) and get/list/watch on the namespace object itself; pods elsewhere get global credentials only."})
    List<String> clusterNamespaces = new ArrayList<>();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LogSetup.use(logFormat);
        List<HostPattern> integrated = new ArrayList<>();
        for (String h : integratedRegistries) {
            try {
                integrated.add(HostPattern.parse(h));
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("--integrated-registry: " + e.getMessage());
                return Main.INVALID;
            }
        }
        ServerSettings settings;
        try {
            settings = new ServerSettings(policy, strict, host, port, healthPort, tlsCert, tlsKey, certDir, offline, integrated,
                    Set.copyOf(exemptNamespaces), Duration.ofSeconds(Math.max(1, reloadSeconds)), shutdownDelay,
                    Duration.ofSeconds(graceSeconds), instances == null ? Runtime.getRuntime().availableProcessors() : Math.max(1, instances),
                    decisionTimeout, registry.settings(), CacheBudget.of(cacheMaxHeapPercent, Runtime.getRuntime().maxMemory()), warmUp);
        } catch (IllegalArgumentException | CredentialsException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return Main.INVALID;
        }
        if (!cluster && (kubeconfig != null || kubeContext != null || globalPullSecret != null || !clusterNamespaces.isEmpty() || imageApi)) {
            spec.commandLine().getErr().println("--kubeconfig, --context, --global-pull-secret, --cluster-namespace and --image-api need --cluster");
            return Main.INVALID;
        }
        ClusterWatch watch = null;
        KubernetesClient client = null;
        OpenShiftImages images = null;
        if (cluster) {
            try {
                ClusterSettings clusterSettings = new ClusterSettings(kubeconfig, kubeContext,
                        globalPullSecret == null ? null : SecretRef.parse(globalPullSecret), ClusterOptions.namespaces(clusterNamespaces,
                                "--cluster-namespace"));
                client = KubernetesClients.create(clusterSettings);
                LOG.info("reading pull secrets, service accounts and namespaces from " + client.getMasterUrl() + "; not ready until they are listed");
                watch = ClusterWatch.start(client, clusterSettings, settings.registry().credentials());
                if (imageApi) {
                    images = OpenShiftImages.start(client, watch, integrated, OpenShiftImages.REFRESH);
                    LOG.info("resolving image streams and cluster images through " + client.getMasterUrl() + " (image.openshift.io/v1)");
                }
            } catch (IllegalArgumentException | java.io.IOException | io.fabric8.kubernetes.client.KubernetesClientException e) {
                spec.commandLine().getErr().println(e.getMessage());
                closeCluster(watch, client, null);
                return Main.INVALID;
            }
        }
        WebhookServer server = watch == null ? new WebhookServer(settings)
                : images == null ? new WebhookServer(settings, watch.context()) : new WebhookServer(settings, watch.context(), images);
        if (watch != null) {
            server.metrics().cluster(watch::staleness);
        }
        ClusterWatch informers = watch;
        KubernetesClient kube = client;
        OpenShiftImages imageApiLayer = images;
        try {
            server.start();
        } catch (PolicyException e) {
            for (PolicyProblem p : e.problems()) {
                spec.commandLine().getErr().println(p.format());
            }
            spec.commandLine().getErr().println("the policy is invalid; fix it and start again");
            server.close();
            closeCluster(informers, kube, imageApiLayer);
            return Main.INVALID;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("SIGTERM: draining, then stopping");
            server.close();
            closeCluster(informers, kube, imageApiLayer);
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }

    private static void closeCluster(ClusterWatch watch, KubernetesClient client, OpenShiftImages images) {
        if (images != null) {
            images.close();
        }
        if (watch != null) {
            watch.close();
        }
        if (client != null) {
            client.close();
        }
    }
}
