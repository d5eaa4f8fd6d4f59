package org.imagepolicy.chart;

import java.util.List;

/** The documented installs, each a values file under src/test/resources/variants (defaults: none). */
final class Variants {
    static final List<String> ALL = List.of("defaults", "self-signed", "cert-manager", "cert-manager-issuer", "existing-secret",
            "ha-hpa", "network-policy", "openshift", "openshift-service-ca", "mutation",
            "cluster", "cluster-namespaces");

    private Variants() {
    }

    static List<String> all() {
        return ALL;
    }
}
