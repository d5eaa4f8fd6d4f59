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
        if (rule.matchIntegratedRegistry() && !integrated) {
            return false;
        }
        if (!rule.matchRegistries().isEmpty() && (p.reference() == null || !anyHost(rule.matchRegistries(), p.registryKey()))) {
            return false;
        }
        return rule.matchRepositories().isEmpty() || anyRepository(rule.matchRepositories(), p.repository());
    }

    static boolean anyHost(List<HostPattern> patterns, String registryKey) {
        for (HostPattern p : patterns) {
            if (p.matches(registryKey)) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyRepository(List<RepositoryPattern> patterns, String repository) {
        for (RepositoryPattern p : patterns) {
            if (p.matches(repository)) {
                return true;
            }
        }
        return false;
    }
}
