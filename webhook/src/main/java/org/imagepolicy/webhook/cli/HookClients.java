package org.imagepolicy.webhook.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.function.Supplier;

/**
 * Where the hook commands get their Kubernetes client: the pod's service account in a cluster (or ~/.kube/config
 * outside one). Tests point it at a mock API server.
 */
public final class HookClients {
    private static final Supplier<KubernetesClient> IN_CLUSTER = () -> new KubernetesClientBuilder().build();
    private static volatile Supplier<KubernetesClient> clients = IN_CLUSTER;

    private HookClients() {
    }

    static KubernetesClient create() {
        return clients.get();
    }

    /** For tests: every hook command from now on uses clients from {@code supplier} (each is closed after use). */
    public static void use(Supplier<KubernetesClient> supplier) {
        clients = supplier;
    }

    public static void reset() {
        clients = IN_CLUSTER;
    }
}
