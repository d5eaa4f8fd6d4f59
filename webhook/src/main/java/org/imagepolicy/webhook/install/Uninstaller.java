package org.imagepolicy.webhook.install;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/**
 * The chart's pre-delete hook. Scales the webhook to zero first, then deletes its webhook configurations, then the
 * certificate Secrets its hooks created (Helm does not own them). Scaling first, as Kyverno does, means nothing of
 * the release is left running that could recreate or answer for a configuration; deleting the configurations before
 * Helm deletes the Service means the API server never calls a webhook that is gone under {@code failurePolicy: Fail}.
 */
public final class Uninstaller {

    /**
     * @param namespace the release namespace
     * @param deployment the webhook's Deployment
     * @param validating ValidatingWebhookConfigurations to delete
     * @param mutating MutatingWebhookConfigurations to delete
     * @param secrets Secrets the hooks created, to delete last
     */
    public record Settings(String namespace, String deployment, List<String> validating, List<String> mutating,
            List<String> secrets) {
        public Settings {
            validating = List.copyOf(validating);
            mutating = List.copyOf(mutating);
            secrets = List.copyOf(secrets);
        }
    }

    private final KubernetesClient client;

    public Uninstaller(KubernetesClient client) {
        this.client = client;
    }

    /** Runs every step; a missing object is noted and skipped, since an uninstall may be retried. */
    public List<String> run(Settings s) {
        List<String> steps = new ArrayList<>();
        var deployment = client.apps().deployments().inNamespace(s.namespace()).withName(s.deployment());
        Deployment d = deployment.get();
        if (d == null) {
            steps.add("Deployment " + s.deployment() + " does not exist; nothing to scale");
        } else {
            deployment.edit(x -> {
                x.getSpec().setReplicas(0);
                return x;
            });
            steps.add("scaled Deployment " + s.deployment() + " to 0 replicas");
        }
        for (String name : s.validating()) {
            boolean deleted = !client.admissionRegistration().v1().validatingWebhookConfigurations().withName(name).delete().isEmpty();
            steps.add((deleted ? "deleted" : "no") + " ValidatingWebhookConfiguration " + name);
        }
        for (String name : s.mutating()) {
            boolean deleted = !client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(name).delete().isEmpty();
            steps.add((deleted ? "deleted" : "no") + " MutatingWebhookConfiguration " + name);
        }
        for (String name : s.secrets()) {
            boolean deleted = !client.secrets().inNamespace(s.namespace()).withName(name).delete().isEmpty();
            steps.add((deleted ? "deleted" : "no") + " Secret " + name);
        }
        return steps;
    }
}
