package org.imagepolicy.webhook.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * A client from a kubeconfig (and context), or from the pod's service account in the cluster. The JDK's
 * HTTP client carries it: fabric8's Vert.x client for this version is built on Vert.x 4 and breaks
 * under the webhook's Vert.x 5, and nothing here is on the admission path.
 */
public final class KubernetesClients {
    private KubernetesClients() {
    }

    /** @throws IOException when the kubeconfig cannot be read; the message names the file */
    public static KubernetesClient create(ClusterSettings settings) throws IOException {
        Config config;
        if (settings.kubeconfig() != null) {
            String text;
            try {
                text = Files.readString(settings.kubeconfig(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IOException("--kubeconfig " + settings.kubeconfig() + ": cannot read (" + e.getClass().getSimpleName() + ")", e);
            }
            config = Config.fromKubeconfig(settings.context(), text, settings.kubeconfig().toString());
        } else {
            config = Config.autoConfigure(settings.context());
        }
        return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory()).build();
    }
}
