package org.imagepolicy.webhook.admission;

import java.util.List;
import org.imagepolicy.webhook.image.HostPattern;
import org.imagepolicy.webhook.image.RepositoryPattern;
import org.imagepolicy.webhook.policy.ExecutionRule;

/** The conditions of a rule that read only the image's name: integrated registry, registries, repositories. */
final class NameConditions {
    private NameConditions() {
    }

    static boolean hold(ExecutionRule rule, PlannedReference p) {
        return hold(rule, p, p.integrated());
    }

    static boolean hold(ExecutionRule rule, PlannedReference p, boolean integrated) {
        return hold(rule, p.reference() != null, p.registryKey(), p.repository(), integrated);
    }

    /**
     * A pattern without a port covers every port where a match leads to a denial (a deny rule, or an
     * inverted allow rule) and only the default port where it leads to admission, so the unwritten port
     * is always read the safe way.
     */
    static boolean hold(ExecutionRule rule, boolean named, String registryKey, String repository, boolean integrated) {
        if (rule.matchIntegratedRegistry() && !integrated) {
            return false;
        }
        boolean anyPort = rule.reject() != rule.invertMatch();
        if (!rule.matchRegistries().isEmpty() && (!named || !anyHost(rule.matchRegistries(), registryKey, anyPort))) {
            return false;
        }
        return rule.matchRepositories().isEmpty() || anyRepository(rule.matchRepositories(), repository, anyPort);
    }

    /** Exact identity, for settings such as the integrated registry's hostnames. */
    static boolean anyHost(List<HostPattern> patterns, String registryKey) {
        return anyHost(patterns, registryKey, false);
    }

    private static boolean anyHost(List<HostPattern> patterns, String registryKey, boolean anyPort) {
        for (int i = 0, n = patterns.size(); i < n; i++) { // indexed: no iterator per rule on the hot path
            if (patterns.get(i).matches(registryKey, anyPort)) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyRepository(List<RepositoryPattern> patterns, String repository, boolean anyPort) {
        for (int i = 0, n = patterns.size(); i < n; i++) {
            if (patterns.get(i).matches(repository, anyPort)) {
                return true;
            }
        }
        return false;
    }
}
