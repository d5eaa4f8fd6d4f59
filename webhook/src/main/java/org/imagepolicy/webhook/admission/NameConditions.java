package org.imagepolicy.webhook.admission;

import java.util.List;
import org.imagepolicy.webhook.image.HostPattern;
import org.imagepolicy.webhook.image.RegistryName;
import org.imagepolicy.webhook.image.RepositoryPattern;
import org.imagepolicy.webhook.policy.ExecutionRule;

/**
 * The conditions of a rule that read only the image's name: integrated registry, registries, repositories.
 * With a trace list, every condition is evaluated and recorded for {@code explain}; without one (every
 * admission) the first failing condition ends the evaluation. Both go through the same matches.
 */
final class NameConditions {
    private NameConditions() {
    }

    static boolean hold(ExecutionRule rule, PlannedReference p) {
        return hold(rule, p, p.integrated(), null);
    }

    static boolean hold(ExecutionRule rule, PlannedReference p, boolean integrated, List<ConditionCheck> trace) {
        return hold(rule, p.reference() != null, p.registryKey(), p.repository(), integrated, trace);
    }

    /**
     * A pattern without a port covers every port where a match leads to a denial (a deny rule, or an
     * inverted allow rule) and only the default port where it leads to admission, so the unwritten port
     * is always read the safe way.
     */
    static boolean hold(ExecutionRule rule, boolean named, String registryKey, String repository, boolean integrated,
            List<ConditionCheck> trace) {
        // The messages are built only when tracing: an admission allocates nothing here.
        boolean all = true;
        if (rule.matchIntegratedRegistry()) {
            if (trace == null) {
                if (!integrated) {
                    return false;
                }
            } else {
                all &= record(trace, "matchIntegratedRegistry", integrated, integrated ? "the image is in the integrated registry"
                        : "the image is not in the integrated registry");
            }
        }
        boolean anyPort = rule.reject() != rule.invertMatch();
        if (!rule.matchRegistries().isEmpty()) {
            HostPattern hit = named ? firstHost(rule.matchRegistries(), registryKey, anyPort) : null;
            if (trace == null) {
                if (hit == null) {
                    return false;
                }
            } else {
                all &= record(trace, "matchRegistries " + rule.matchRegistries(), hit != null, hit != null
                    ? "registry " + registryKey + " matches " + hit + (hit.port() == RegistryName.NO_PORT && !hit.matches(registryKey, false)
                            ? " (a pattern without a port covers every port where a match denies)" : "")
                    : !named ? "the reference is not an image name"
                    : registryKey.isEmpty() ? "the image names no registry" : "registry " + registryKey + " matches none of them");
            }
        }
        if (!rule.matchRepositories().isEmpty()) {
            RepositoryPattern hit = firstRepository(rule.matchRepositories(), repository, anyPort);
            if (trace == null) {
                if (hit == null) {
                    return false;
                }
            } else {
                all &= record(trace, "matchRepositories " + rule.matchRepositories(), hit != null, hit != null
                        ? "repository " + repository + " matches " + hit
                        : repository == null ? "the image has no registry, so no repository to match"
                        : "repository " + repository + " matches none of them");
            }
        }
        return all;
    }

    /** Exact identity, for settings such as the integrated registry's hostnames. */
    static boolean anyHost(List<HostPattern> patterns, String registryKey) {
        return firstHost(patterns, registryKey, false) != null;
    }

    private static HostPattern firstHost(List<HostPattern> patterns, String registryKey, boolean anyPort) {
        for (int i = 0, n = patterns.size(); i < n; i++) { // indexed: no iterator per rule on the hot path
            HostPattern p = patterns.get(i);
            if (p.matches(registryKey, anyPort)) {
                return p;
            }
        }
        return null;
    }

    private static RepositoryPattern firstRepository(List<RepositoryPattern> patterns, String repository, boolean anyPort) {
        for (int i = 0, n = patterns.size(); i < n; i++) {
            RepositoryPattern p = patterns.get(i);
            if (p.matches(repository, anyPort)) {
                return p;
            }
        }
        return null;
    }

    /** Adds the check to the trace, if there is one, and passes its outcome through. */
    static boolean record(List<ConditionCheck> trace, String condition, boolean held, String detail) {
        if (trace != null) {
            trace.add(new ConditionCheck(condition, held, detail));
        }
        return held;
    }
}
