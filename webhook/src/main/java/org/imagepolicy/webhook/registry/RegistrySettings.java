package org.imagepolicy.webhook.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.imagepolicy.webhook.registry.credentials.CredentialSource;

/**
 * How registries are reached: who may be contacted insecurely or at private addresses, extra trust,
 * credentials, cache lifetimes and limits. Validated by the command line, immutable afterwards.
 *
 * @param insecureRegistries registry keys ({@code host[:port]}) allowed plain HTTP or unverified TLS, and
 *        {@code *.domain[:port]} wildcards from a policy (see {@link InsecureRegistries})
 * @param certificatesDirectory a docker {@code certs.d} tree, or {@code null}
 * @param allowedAddresses registry keys that may resolve to loopback, link-local or private addresses
 * @param platform the platform whose manifest an index resolves to for labels, e.g. {@code linux/amd64}
 */
public record RegistrySettings(
        Set<String> insecureRegistries,
        Path certificatesDirectory,
        Set<String> allowedAddresses,
        String platform,
        Duration tagTtl,
        Duration negativeTtl,
        Duration maxStale,
        int maxConcurrentPerRegistry,
        CredentialSource credentials) {

    public static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    public static final int MAX_CONFIG_BYTES = 8 * 1024 * 1024;

    public RegistrySettings {
        insecureRegistries = Set.copyOf(insecureRegistries);
        allowedAddresses = Set.copyOf(allowedAddresses);
    }

    /**
     * These settings with more insecure registries: those a policy source (registries.conf, the cluster image
     * configuration) names, for one-shot commands; {@code serve} hands them to the resolver instead, to follow reloads.
     */
    public RegistrySettings withInsecure(java.util.Collection<String> more) {
        if (insecureRegistries.containsAll(more)) {
            return this;
        }
        Set<String> all = new java.util.HashSet<>(insecureRegistries);
        all.addAll(more);
        return new RegistrySettings(all, certificatesDirectory, allowedAddresses, platform, tagTtl, negativeTtl, maxStale,
                maxConcurrentPerRegistry, credentials);
    }
}
