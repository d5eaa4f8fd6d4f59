package org.imagepolicy.webhook.image;

/**
 * A registry in a policy: {@code host[:port]} or {@code *.domain[:port]}, compared by the registry's
 * identity ({@link RegistryName}): hosts without regard to case, Docker Hub's names as one registry, ports
 * as numbers, IP literals as addresses. A wildcard stands for one or more whole leftmost DNS labels, so
 * {@code *.example.com} never matches {@code example.com} or {@code example.com.evil.net}.
 *
 * <p>A pattern that names a port matches that port only ({@code :443} is the default port). A pattern
 * without a port reads safely in both directions: where a match denies, it covers the host on every port;
 * where a match allows, only the default port. So a deny rule for {@code quay.io} stops
 * {@code quay.io:8443/x}, and an allow rule for {@code quay.io} does not let {@code quay.io:8443/x} in.
 *
 * @param host canonical host (lower case, IP literals canonical, Docker Hub folded); for a wildcard, the
 *             domain after {@code *.}
 * @param port the port written, or {@link RegistryName#NO_PORT}
 */
public record HostPattern(String text, String host, int port, boolean wildcard) {

    /** Parses a policy entry, or throws {@link IllegalArgumentException} whose message says how to fix it. */
    public static HostPattern parse(String entry) {
        if (entry == null || entry.isBlank()) {
            throw new IllegalArgumentException("a registry entry is empty; write a host such as quay.io, or remove the entry");
        }
        if (!entry.equals(entry.strip())) {
            throw new IllegalArgumentException("registry \"" + entry + "\" has surrounding spaces; remove them");
        }
        int scheme = entry.indexOf("://");
        if (scheme >= 0) {
            throw new IllegalArgumentException("registry \"" + entry + "\" is a URL; write only the host[:port], as in "
                    + entry.substring(scheme + 3).split("/", 2)[0]);
        }
        if (entry.indexOf('/') >= 0) {
            throw new IllegalArgumentException("registry \"" + entry + "\" has a path; matchRegistries takes host[:port] only;"
                    + " to limit repositories use matchRepositories, as in " + entry.replaceAll("/+$", "") + "/**");
        }
        boolean wildcard = false;
        String rest = entry;
        if (entry.indexOf('*') >= 0) {
            if (entry.startsWith("*.") && entry.indexOf('*', 1) < 0) {
                wildcard = true;
                rest = entry.substring(2);
            } else if (entry.length() > 2 && entry.startsWith("*") && entry.endsWith("*")
                    && entry.substring(1, entry.length() - 1).indexOf('*') < 0) {
                String inner = entry.substring(1, entry.length() - 1);
                throw new IllegalArgumentException("registry \"" + entry + "\": the asterisks around " + inner
                        + " in OpenShift's documentation are bold formatting, not wildcards; write " + inner
                        + " (or *." + inner + " to also allow its subdomains)");
            } else {
                throw new IllegalArgumentException("registry \"" + entry + "\": a wildcard may only be the whole leftmost label,"
                        + " as in *.example.com");
            }
        }
        int sep = RegistryName.portSeparator(rest);
        String host;
        int port;
        try {
            ImageReferenceParser.checkRegistry(rest);
            host = RegistryName.canonicalHost(sep < 0 ? rest : rest.substring(0, sep));
            port = sep < 0 ? RegistryName.NO_PORT : RegistryName.port(rest, sep + 1);
        } catch (InvalidImageReferenceException e) {
            throw new IllegalArgumentException("registry \"" + entry + "\" is not a valid host[:port]: " + e.getMessage(), e);
        }
        if (wildcard && (host.startsWith("[") || isDottedQuad(host))) {
            throw new IllegalArgumentException("registry \"" + entry + "\": a wildcard cannot precede an IP address");
        }
        return new HostPattern(entry, host, port, wildcard);
    }

    /** The registry's canonical key, for settings that name one registry (not wildcards). */
    public String key() {
        if (wildcard) {
            throw new IllegalStateException(text + " is a wildcard, not one registry");
        }
        return port == RegistryName.NO_PORT || port == RegistryName.DEFAULT_PORT ? host : host + ":" + port;
    }

    /**
     * The pattern in canonical form, for settings that keep patterns as text: {@link #key()} for one registry,
     * {@code *.domain[:port]} for a wildcard ({@code :443}, the default port, dropped as keys drop it).
     */
    public String canonical() {
        if (!wildcard) {
            return key();
        }
        return "*." + (port == RegistryName.NO_PORT || port == RegistryName.DEFAULT_PORT ? host : host + ":" + port);
    }

    /** Exact identity: the registry this pattern names, on the port it names (the default port when none). */
    public boolean matches(String registryKey) {
        return matches(registryKey, false);
    }

    /**
     * Matches the canonical key as written, with no Docker Hub alias widening: for settings that relax security
     * (insecure registries), where the nodes (containers/image) compare {@code *.docker.io} with the reference's
     * registry {@code docker.io} and find no subdomain, so Docker Hub stays verified there and must here too.
     * The port as {@link #matches(String)}: an entry without one covers the default port only.
     */
    public boolean matchesLiterally(String registryKey) {
        if (registryKey.isEmpty()) {
            return false;
        }
        int hostEnd = RegistryName.hostLength(registryKey);
        if (port == RegistryName.NO_PORT ? hostEnd != registryKey.length() : RegistryName.portOf(registryKey) != port) {
            return false;
        }
        return wildcard ? wildcardMatches(registryKey, hostEnd) : hostEnd == host.length() && registryKey.startsWith(host);
    }

    /**
     * Matches a {@link ImageReference#registryKey()}; the unqualified registry {@code ""} never matches.
     *
     * @param anyPortWhenNoneWritten whether a pattern without a port covers every port (where a match denies)
     */
    public boolean matches(String registryKey, boolean anyPortWhenNoneWritten) {
        if (registryKey.isEmpty()) {
            return false;
        }
        int hostEnd = RegistryName.hostLength(registryKey);
        if (port == RegistryName.NO_PORT) {
            if (!anyPortWhenNoneWritten && hostEnd != registryKey.length()) {
                return false;
            }
        } else if (RegistryName.portOf(registryKey) != port) {
            return false;
        }
        if (!wildcard) {
            return hostEnd == host.length() && registryKey.startsWith(host);
        }
        if (hostEnd == ImageReference.DOCKER_HUB.length() && registryKey.startsWith(ImageReference.DOCKER_HUB)) {
            // Docker Hub is one registry under several names: a wildcard covering any of them covers it.
            for (String alias : RegistryName.DOCKER_HUB_ALIASES) {
                if (wildcardMatches(alias, alias.length())) {
                    return true;
                }
            }
        }
        return wildcardMatches(registryKey, hostEnd);
    }

    /** "*.example.com": the host must end with ".example.com" and have at least one label before it. */
    private boolean wildcardMatches(String name, int hostEnd) {
        int suffixStart = hostEnd - host.length();
        return suffixStart >= 2 && name.charAt(suffixStart - 1) == '.' && name.regionMatches(suffixStart, host, 0, host.length());
    }

    private static boolean isDottedQuad(String host) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!(c == '.' || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }
}
