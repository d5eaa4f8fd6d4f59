package org.imagepolicy.webhook.cluster;

import java.nio.file.Path;

/**
 * How {@code serve --cluster} reaches the API server and which global pull secret it reads.
 *
 * @param kubeconfig a kubeconfig file, or {@code null} for in-cluster configuration (then the usual
 *     {@code KUBECONFIG} and {@code ~/.kube/config} fallbacks)
 * @param context the kubeconfig context, or {@code null} for its current one
 * @param globalPullSecret read from the cluster and tried after every other credential, or {@code null}
 */
public record ClusterSettings(Path kubeconfig, String context, SecretRef globalPullSecret) {
}
