package org.imagepolicy.webhook.cluster;

import java.nio.file.Path;
import java.util.List;

/**
 * How {@code serve --cluster} reaches the API server and which global pull secret it reads.
 *
 * @param kubeconfig a kubeconfig file, or {@code null} for in-cluster configuration (then the usual
 *     {@code KUBECONFIG} and {@code ~/.kube/config} fallbacks)
 * @param context the kubeconfig context, or {@code null} for its current one
 * @param globalPullSecret read from the cluster and tried after every other credential, or {@code null}
 * @param namespaces the only namespaces whose pull secrets, service accounts and namespace object are read
 *     ({@code --cluster-namespace}); empty for all of them
 */
public record ClusterSettings(Path kubeconfig, String context, SecretRef globalPullSecret, List<String> namespaces) {

    public ClusterSettings {
        namespaces = namespaces == null ? List.of() : List.copyOf(new java.util.LinkedHashSet<>(namespaces));
    }

    /** Every namespace. */
    public ClusterSettings(Path kubeconfig, String context, SecretRef globalPullSecret) {
        this(kubeconfig, context, globalPullSecret, List.of());
    }
}
