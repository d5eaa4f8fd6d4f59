package org.imagepolicy.webhook.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.imagepolicy.webhook.admission.AdmissionInput;

/**
 * Which pull secrets and service account an object's images are pulled with, read from the admitted
 * object as the kubelet and OpenShift's build controller would: a pod's (or a pod template's)
 * {@code imagePullSecrets} and {@code serviceAccountName} ({@code default} when unset); a Build's or
 * BuildConfig's strategy {@code pullSecret} and its service account ({@code builder} when unset).
 */
record PullSecretReferences(List<String> secrets, String serviceAccount) {
    static final PullSecretReferences NONE = new PullSecretReferences(List.of(), null);

    static PullSecretReferences of(AdmissionInput in) {
        JsonNode object = in.object();
        if (object == null || !object.isObject()) {
            return NONE;
        }
        JsonNode spec = object.path("spec");
        String resource = in.resource().resource();
        if (resource.equals("builds") || resource.equals("buildconfigs")) {
            List<String> secrets = new ArrayList<>();
            JsonNode strategy = spec.path("strategy");
            for (String kind : new String[] {"sourceStrategy", "dockerStrategy", "customStrategy"}) {
                String name = strategy.path(kind).path("pullSecret").path("name").asText("");
                if (!name.isEmpty() && !secrets.contains(name)) {
                    secrets.add(name);
                }
            }
            String sa = spec.path("serviceAccount").asText("");
            return new PullSecretReferences(secrets, sa.isEmpty() ? "builder" : sa);
        }
        JsonNode podSpec = podSpec(resource, spec);
        if (podSpec == null) {
            return NONE;
        }
        List<String> secrets = new ArrayList<>();
        for (JsonNode ref : podSpec.path("imagePullSecrets")) {
            String name = ref.path("name").asText("");
            if (!name.isEmpty() && !secrets.contains(name)) {
                secrets.add(name);
            }
        }
        String sa = podSpec.path("serviceAccountName").asText("");
        if (sa.isEmpty()) {
            sa = podSpec.path("serviceAccount").asText(""); // the deprecated spelling, still accepted by the API
        }
        return new PullSecretReferences(secrets, sa.isEmpty() ? "default" : sa);
    }

    private static JsonNode podSpec(String resource, JsonNode spec) {
        if (resource.equals("pods")) {
            return spec;
        }
        if (spec.path("jobTemplate").isObject()) {
            return spec.path("jobTemplate").path("spec").path("template").path("spec");
        }
        if (spec.path("template").isObject()) {
            return spec.path("template").path("spec");
        }
        return null;
    }
}
