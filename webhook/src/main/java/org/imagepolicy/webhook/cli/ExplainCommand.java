package org.imagepolicy.webhook.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.imagepolicy.webhook.admission.AdmissionInput;
import org.imagepolicy.webhook.admission.BadReviewException;
import org.imagepolicy.webhook.admission.ImageFacts;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.admission.PreparedRequest;
import org.imagepolicy.webhook.authoring.AdmissionRequests;
import org.imagepolicy.webhook.authoring.ExplainReport;
import org.imagepolicy.webhook.cluster.ClusterSettings;
import org.imagepolicy.webhook.cluster.SecretRef;
import org.imagepolicy.webhook.image.HostPattern;
import org.imagepolicy.webhook.image.ImageLookup;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.load.PolicyFiles;
import org.imagepolicy.webhook.policy.GroupResource;
import org.imagepolicy.webhook.policy.ImagePolicy;
import org.imagepolicy.webhook.policy.PolicyException;
import org.imagepolicy.webhook.policy.PolicyProblem;
import org.imagepolicy.webhook.registry.credentials.CredentialsException;
import org.imagepolicy.webhook.server.RequestContext;
import org.imagepolicy.webhook.server.ResolverLayer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The decision for one image, step by step, from the engine's own trace of it. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Explain the decision for one image: how the reference parses, what a lookup returns, which rules apply and match, and the answer.",
            "Exit status: 0 when the image would be admitted (with or without warnings), 1 when denied, 2 on bad input or an invalid policy."})
final class ExplainCommand implements Callable<Integer> {
    @Option(names = "--policy", required = true, paramLabel = "PATH", description = "Policy file or directory (repeatable).")
    List<Path> policy;

    @Option(names = "--resource", defaultValue = "pods", paramLabel = "RESOURCE",
            description = "The resource the image arrives in: pods, deployments, cronjobs, builds, ... (default: ${DEFAULT-VALUE}).")
    String resource;

    @Option(names = "--namespace", defaultValue = "default", paramLabel = "NS", description = "The namespace of the request (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--offline", description = "Never contact registries: say what would be looked up, and judge it as a failed lookup.")
    boolean offline;

    @Option(names = "--lookup-timeout", defaultValue = "10s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long registry lookups may take (default: ${DEFAULT-VALUE}).")
    Duration lookupTimeout;

    @Mixin
    RegistryOptions registry = new RegistryOptions();

    @Option(names = "--integrated-registry", paramLabel = "HOST",
            description = "Also treat HOST[:PORT] as the integrated registry, as serve --integrated-registry does (repeatable).")
    List<String> integratedRegistries = new ArrayList<>();

    @Option(names = "--cluster", description = {"Explain as serve --cluster would decide: with the namespace's ignore-rules annotation and",
        "the pull secrets of its default service account (read from the cluster, --namespace only)."})
    boolean cluster;

    @Option(names = "--image-api", description = {"With --cluster on OpenShift: resolve image streams, local names and digests the cluster",
        "knows through the image.openshift.io API, as serve --cluster --image-api does."})
    boolean imageApi;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "With --cluster: a kubeconfig (default: KUBECONFIG, ~/.kube/config, or in-cluster).")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "With --cluster: the kubeconfig context (default: its current one).")
    String kubeContext;

    @Option(names = "--global-pull-secret", paramLabel = "NAMESPACE/NAME",
            description = "With --cluster: the pull secret serve --global-pull-secret names, tried after the namespace's own.")
    String globalPullSecret;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image reference as a pod would carry it.")
    String image;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** What review and test say to --image-api: they read no cluster. */
    static final String IMAGE_API_NEEDS_A_CLUSTER = "--image-api needs a cluster, and this command reads none; image stream references"
            + " are judged as unresolved and other names looked up in registries, as a webhook without --image-api would."
            + " To judge with the image API use audit --cluster --image-api, diff --cluster --image-api or explain --cluster --image-api";

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!cluster && (imageApi || kubeconfig != null || kubeContext != null || globalPullSecret != null)) {
            err.println(imageApi ? "--image-api reads image streams and Images from a live cluster, so it needs --cluster;"
                    + " without it image stream references are judged as unresolved" : "--kubeconfig, --context and --global-pull-secret need --cluster");
            err.flush();
            return Main.INVALID;
        }
        List<HostPattern> integrated;
        ClusterSettings clusterSettings = null;
        try {
            integrated = ClusterOptions.hosts(integratedRegistries, "--integrated-registry");
            if (cluster) {
                clusterSettings = new ClusterSettings(kubeconfig, kubeContext, globalPullSecret == null ? null : SecretRef.parse(globalPullSecret),
                        ClusterOptions.namespaces(List.of(namespace), "--namespace"));
            }
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.flush();
            return Main.INVALID;
        }
        ImagePolicy loaded;
        try {
            loaded = PolicyFiles.load(policy, false).policy();
        } catch (PolicyException e) {
            e.problems().stream().filter(PolicyProblem::isError).map(PolicyProblem::format).forEach(err::println);
            err.flush();
            return Main.INVALID;
        }
        GroupResource gr;
        AdmissionInput input;
        try {
            gr = AdmissionRequests.parseResource(resource);
            input = AdmissionRequests.input(AdmissionRequests.objectWithImage(gr, image, "explain", namespace), namespace);
        } catch (IllegalArgumentException | BadReviewException e) {
            err.println("--resource " + resource + ": " + e.getMessage());
            err.flush();
            return Main.INVALID;
        }
        LiveCluster live = null;
        try {
            RequestContext context = RequestContext.NONE;
            ResolverLayer layer = ResolverLayer.NONE;
            if (cluster) {
                live = LiveCluster.open(clusterSettings, registry.settings().credentials(), imageApi, integrated);
                live.awaitSynced(SYNC_TIMEOUT);
                integrated = live.integrated(integrated);
                context = live.watch().context();
                layer = live.layer();
            }
            // The engine the webhook would build: with the configured integrated registry names and the cluster's.
            ImagePolicy effective = loaded.withServerSettings(integrated, java.util.Set.of());
            ImagePolicyEngine engine = new ImagePolicyEngine(effective);
            PreparedRequest prepared = engine.prepare(input, context.excludedRules(input));
            ImageFacts facts = ImageFacts.OFFLINE;
            List<ImageLookup> lookups = prepared.lookups();
            boolean asks = !lookups.isEmpty() && (!offline || imageApi);
            if (asks) {
                Map<ImageLookup, Resolution> found = RegistryLookups.resolve(registry.settings(effective), lookupTimeout, lookups, layer,
                        context.credentials(input), offline);
                facts = prepared.facts(found, new Resolution.Failed("no lookup was made for this image"));
            }
            ImagePolicyEngine.Explanation explained = engine.explain(prepared, facts);
            out.print(ExplainReport.render(effective, image, gr, namespace, explained, engine.judgesImagesOf(gr), offline));
            out.flush();
            return explained.decision().allowed() ? 0 : 1;
        } catch (CredentialsException | IllegalArgumentException | IOException e) {
            err.println(e.getMessage());
            err.flush();
            return Main.INVALID;
        } catch (java.util.concurrent.TimeoutException | KubernetesClientException e) {
            err.println("explain --cluster: " + e.getMessage());
            err.flush();
            return Main.INVALID;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Main.INVALID;
        } finally {
            if (live != null) {
                live.close();
            }
        }
    }

    /** How long the first list of the namespace's pull secrets, service accounts (and image streams) may take. */
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);
}
