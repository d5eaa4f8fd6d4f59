package org.imagepolicy.webhook.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.imagepolicy.webhook.image.HostPattern;
import picocli.CommandLine.Option;

/** {@code audit --cluster} and {@code diff --cluster}: which cluster, which namespaces, whose global secret, whether the image API. */
final class ClusterOptions {
    /** A namespace name as the API server accepts it (DNS-1123 label). */
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    @Option(names = "--cluster", description = {"Audit the live cluster instead of files: list every covered kind (paged) and judge",
        "each object with the credentials the webhook would use for it (serve --cluster)."})
    boolean cluster;

    @Option(names = "--namespace", paramLabel = "NAMESPACE", description = "With --cluster: only this namespace (repeatable; default: all).")
    List<String> namespaces = new ArrayList<>();

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "With --cluster: a kubeconfig (default: KUBECONFIG, ~/.kube/config, or in-cluster).")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "With --cluster: the kubeconfig context (default: its current one).")
    String context;

    @Option(names = "--global-pull-secret", paramLabel = "NAMESPACE/NAME",
            description = "With --cluster: the pull secret serve --global-pull-secret names, tried after each object's own.")
    String globalPullSecret;

    @Option(names = "--image-api", description = {"With --cluster on OpenShift: resolve image streams, local names and digests the cluster",
        "knows through the image.openshift.io API, as serve --cluster --image-api does (the integrated registry's",
        "hostnames from image.config.openshift.io/cluster included); everything else still goes to registries."})
    boolean imageApi;

    @Option(names = "--page-size", defaultValue = "500", paramLabel = "N",
            description = "With --cluster: objects per list request, 1 to 500 (default: ${DEFAULT-VALUE}).")
    int pageSize;

    /** Whether any option that needs --cluster was given without it. */
    boolean strayWithoutCluster() {
        return !cluster && (!namespaces.isEmpty() || kubeconfig != null || context != null || globalPullSecret != null || imageApi);
    }

    /** {@code --integrated-registry} values. @throws IllegalArgumentException naming the option and the bad name */
    static List<HostPattern> hosts(List<String> names, String option) {
        List<HostPattern> out = new ArrayList<>();
        for (String h : names) {
            try {
                out.add(HostPattern.parse(h));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** @throws IllegalArgumentException naming the option and the bad name */
    static List<String> namespaces(List<String> names, String option) {
        for (String n : names) {
            if (!NAMESPACE.matcher(n).matches()) {
                throw new IllegalArgumentException(option + " " + n + ": not a namespace name (lower case letters, digits and -, at most 63)");
            }
        }
        return List.copyOf(names);
    }
}
