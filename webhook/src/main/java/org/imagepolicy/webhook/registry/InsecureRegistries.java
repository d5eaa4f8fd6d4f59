package org.imagepolicy.webhook.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.imagepolicy.webhook.image.HostPattern;

/**
 * The registries lookups may reach over plain HTTP or unverified TLS: those the command line names, fixed for
 * the process, and those the policy names (a cluster image configuration, a registries.conf), which follow each
 * policy reload, so that a registry taken off the list is verified again from the next request on.
 *
 * <p>Entries are canonical registry keys or {@code *.domain[:port]} wildcards, a wildcard for one or more whole
 * leftmost labels of the canonical key as written ({@link HostPattern#matchesLiterally(String)}), and an entry
 * without a port for the default port only, since insecurity is a relaxation. Unlike rules, a wildcard does not
 * reach Docker Hub through its other names: {@code *.docker.io} leaves {@code docker.io} verified, as on the nodes.
 *
 * <p>Only registries named one by one are also let past the internal-address guard ({@link #named}): a wildcard
 * vouches for a whole DNS subtree, whose names resolve wherever their zone says.
 */
final class InsecureRegistries {
    private record Entries(Set<String> keys, List<HostPattern> wildcards) {
        static Entries of(Collection<String> entries) {
            Set<String> keys = new HashSet<>();
            List<HostPattern> wildcards = new ArrayList<>();
            for (String entry : entries) {
                if (entry.startsWith("*.")) {
                    wildcards.add(HostPattern.parse(entry));
                } else {
                    keys.add(entry);
                }
            }
            return new Entries(Set.copyOf(keys), List.copyOf(wildcards));
        }

        boolean contains(String registryKey) {
            if (keys.contains(registryKey)) {
                return true;
            }
            for (HostPattern p : wildcards) {
                if (p.matchesLiterally(registryKey)) {
                    return true;
                }
            }
            return false;
        }
    }

    private final Entries fixed;
    private volatile Entries policy = Entries.of(List.of());
    /**
     * Counts changes of the policy's entries, raised after each change is visible: a lookup that reads it before
     * reaching a registry, and finds it raised when the answer arrives, may have read under the other setting.
     */
    private volatile long generation;

    /** @param fixed the command line's entries, and a one-shot command's policy entries */
    InsecureRegistries(Collection<String> fixed) {
        this.fixed = Entries.of(fixed);
    }

    /**
     * The policy's entries from now on; those it no longer names are verified again.
     *
     * @return whether a registry key's insecurity, or its passage through the address guard, changed: answers read
     *         under the other setting are stale
     */
    synchronized java.util.function.Predicate<String> policy(Collection<String> entries) {
        Entries before = policy;
        Entries now = Entries.of(entries);
        policy = now;
        if (!now.equals(before)) {
            generation++;
        }
        return key -> !fixed.contains(key) && before.contains(key) != now.contains(key)
                || !fixed.keys().contains(key) && before.keys().contains(key) != now.keys().contains(key);
    }

    /** Read before a lookup reaches a registry; see {@link LookupCache}. */
    long generation() {
        return generation;
    }

    boolean contains(String registryKey) {
        return fixed.contains(registryKey) || policy.contains(registryKey);
    }

    /** Whether the registry is named one by one, so that an operator vouched for wherever it resolves. */
    boolean named(String registryKey) {
        return fixed.keys().contains(registryKey) || policy.keys().contains(registryKey);
    }
}
