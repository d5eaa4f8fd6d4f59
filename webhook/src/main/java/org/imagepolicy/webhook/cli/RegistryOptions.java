package org.imagepolicy.webhook.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.imagepolicy.webhook.image.HostPattern;
import org.imagepolicy.webhook.registry.RegistrySettings;
import org.imagepolicy.webhook.registry.credentials.CredentialSource;
import org.imagepolicy.webhook.registry.credentials.CredentialsException;
import org.imagepolicy.webhook.registry.credentials.DockerConfigFiles;
import picocli.CommandLine.Option;

/** How registries are reached, shared by {@code serve} and {@code review}. */
final class RegistryOptions {
    @Option(names = "--registry-auth", paramLabel = "FILE", description = "Docker config or pull secret (.dockerconfigjson or .dockercfg) with registry credentials (repeatable).")
    List<Path> registryAuth = new ArrayList<>();

    @Option(names = "--registry-certs", paramLabel = "DIR", description = "certs.d tree: DIR/<host[:port]>/*.crt are CAs, *.cert with *.key a client certificate.")
    Path registryCerts;

    @Option(names = "--insecure-registry", paramLabel = "HOST", description = "Allow plain HTTP or unverified TLS for this registry only (repeatable).")
    List<String> insecureRegistries = new ArrayList<>();

    @Option(names = "--allow-registry-address", paramLabel = "HOST", description = "Allow this registry to resolve to a loopback, link-local or private address (repeatable).")
    List<String> allowedAddresses = new ArrayList<>();

    @Option(names = "--platform", defaultValue = "linux/amd64", paramLabel = "OS/ARCH", description = "Platform whose image an index resolves to for labels (default: ${DEFAULT-VALUE}).")
    String platform;

    @Option(names = "--tag-ttl", defaultValue = "60s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long a tag's digest is trusted before it is looked up again (default: ${DEFAULT-VALUE}).")
    Duration tagTtl;

    @Option(names = "--negative-ttl", defaultValue = "15s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long an unknown manifest or a denied access is remembered (default: ${DEFAULT-VALUE}).")
    Duration negativeTtl;

    @Option(names = "--max-stale", defaultValue = "10m", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How old a cached digest may be when its registry is unreachable (default: ${DEFAULT-VALUE}).")
    Duration maxStale;

    @Option(names = "--registry-concurrency", defaultValue = "8", paramLabel = "N", description = "Connections per registry over HTTP/1.1 (default: ${DEFAULT-VALUE}); a registry offering HTTP/2 gets one connection"
            + " carrying up to 100 requests at once.")
    int registryConcurrency;

    /** @throws IllegalArgumentException or CredentialsException with a message naming the flag or file */
    RegistrySettings settings() throws CredentialsException {
        return new RegistrySettings(keys("--insecure-registry", insecureRegistries), registryCerts, keys("--allow-registry-address", allowedAddresses),
                platform, tagTtl, negativeTtl, maxStale, Math.max(1, registryConcurrency),
                registryAuth.isEmpty() ? CredentialSource.anonymous() : DockerConfigFiles.load(registryAuth));
    }

    /** The settings, with the insecure registries the policy's registries.conf or cluster image configuration names. */
    RegistrySettings settings(org.imagepolicy.webhook.policy.ImagePolicy policy) throws CredentialsException {
        return settings().withInsecure(policy.insecureRegistries());
    }

    /** Registry names by identity ({@link org.imagepolicy.webhook.image.RegistryName}), as lookups name them. */
    private static Set<String> keys(String flag, List<String> hosts) {
        Set<String> keys = new HashSet<>();
        for (String h : hosts) {
            HostPattern p;
            try {
                p = HostPattern.parse(h);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
            }
            if (p.wildcard()) {
                throw new IllegalArgumentException(flag + ": name one registry, not a wildcard (" + h + ")");
            }
            keys.add(p.key());
        }
        return keys;
    }
}
