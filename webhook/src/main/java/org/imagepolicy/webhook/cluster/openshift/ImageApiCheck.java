package org.imagepolicy.webhook.cluster.openshift;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * Whether the API server serves {@code image.openshift.io/v1} at all, asked once before the image streams are
 * informed. A plain Kubernetes API server answers 404 for the group: the image API can never answer there, and
 * a webhook that started anyway would wait for ever for an ImageStream list (never ready) or, worse, run
 * with rules such as {@code deny-execution} that can never fire. So a 404 is a start-up error naming the group.
 * Anything else (no answer yet, 403, 503 from an OpenShift API server that is restarting) is not proof of
 * absence: the informers retry, readiness waits, and the log says why.
 */
final class ImageApiCheck {
    private static final Logger LOG = Logger.getLogger(ImageApiCheck.class.getName());

    private ImageApiCheck() {
    }

    /**
     * @param wait how long start-up waits for the answer; a later 404 is still logged as an error
     * @throws ImageApiUnavailableException when the API server says it has no {@code image.openshift.io/v1 imagestreams}
     */
    static void require(KubernetesClient client, Duration wait) {
        String server = String.valueOf(client.getMasterUrl());
        CompletableFuture<Void> answer = CompletableFuture.runAsync(() -> client.genericKubernetesResources(ImageApi.IMAGE_STREAMS)
                .inAnyNamespace().list(new ListOptionsBuilder().withLimit(1L).build()), r -> {
                    Thread t = new Thread(r, "image-api-check");
                    t.setDaemon(true);
                    t.start();
                });
        try {
            answer.get(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (notServed(cause)) {
                throw new ImageApiUnavailableException(missing(server));
            }
            LOG.warning(() -> "cannot list image.openshift.io/v1 imagestreams from " + server + " yet; not ready until it can ("
                    + hint(cause) + ")");
        } catch (TimeoutException e) {
            LOG.warning(() -> "the API server " + server + " has not answered whether it serves image.openshift.io/v1 within "
                    + wait.toSeconds() + " s; starting, not ready until image streams are listed");
            answer.whenComplete((v, failure) -> {
                if (failure != null && notServed(failure.getCause() == null ? failure : failure.getCause())) {
                    LOG.severe(() -> missing(server) + "; until then it stays not ready");
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean notServed(Throwable t) {
        return t instanceof KubernetesClientException k && k.getCode() == 404;
    }

    private static String hint(Throwable t) {
        if (t instanceof KubernetesClientException k && k.getCode() == 403) {
            return "403 Forbidden: grant the service account get, list and watch on imagestreams.image.openshift.io; the chart does"
                    + " with openshift.enabled";
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private static String missing(String server) {
        return "--image-api: the API server " + server + " does not serve image.openshift.io/v1 (imagestreams: 404 Not Found): it is not"
                + " an OpenShift cluster, so image streams and the cluster's Image objects cannot be read. Remove --image-api to run"
                + " without the image API (with the chart: openshift.enabled=false), or point --kubeconfig at an OpenShift cluster";
    }
}
