package org.imagepolicy.webhook.cluster.openshift;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import org.imagepolicy.webhook.image.HostPattern;

/**
 * The integrated registry's names as the cluster publishes them in {@code image.config.openshift.io/cluster}:
 * {@code status.internalRegistryHostname} (the service, e.g. {@code image-registry.openshift-image-registry.svc:5000})
 * and {@code status.externalRegistryHostnames} (routes and names the admins added), plus
 * {@code spec.externalRegistryHostnames} for clusters whose operator has not copied them to status yet.
 */
final class RegistryHostnames {
    private static final Logger LOG = Logger.getLogger(RegistryHostnames.class.getName());
    private volatile List<HostPattern> hosts = List.of();

    List<HostPattern> get() {
        return hosts;
    }

    void update(JsonNode config) {
        Set<String> names = new LinkedHashSet<>();
        JsonNode status = config.path("status");
        if (status.path("internalRegistryHostname").isTextual()) {
            names.add(status.path("internalRegistryHostname").textValue());
        }
        for (JsonNode n : status.path("externalRegistryHostnames")) {
            names.add(n.asText());
        }
        for (JsonNode n : config.path("spec").path("externalRegistryHostnames")) {
            names.add(n.asText());
        }
        List<HostPattern> out = new ArrayList<>();
        for (String n : names) {
            if (n.isBlank()) {
                continue;
            }
            try {
                out.add(HostPattern.parse(n.trim()));
            } catch (IllegalArgumentException e) {
                LOG.warning(() -> "image.config.openshift.io/cluster names the registry hostname \"" + n + "\", which is not a host[:port]: "
                        + e.getMessage() + "; ignored");
            }
        }
        if (!out.equals(hosts)) {
            LOG.info(() -> "integrated registry hostnames from image.config.openshift.io/cluster: " + out);
        }
        hosts = List.copyOf(out);
    }

    void clear() {
        hosts = List.of();
    }
}
