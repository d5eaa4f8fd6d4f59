package org.imagepolicy.webhook.image;

import java.util.Locale;

/**
 * A registry in a policy: {@code host[:port]} or {@code *.domain[:port]}. Hosts compare without regard to
 * case, Docker Hub's aliases are one registry, and a port must match exactly. A wildcard stands for one or
 * more whole leftmost DNS labels, so {@code *.example.com} never matches {@code example.com} or
 * {@code example.com.evil.net}.
 */
public record HostPattern(String text, String host, String port, boolean wildcard) {

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
        try {
            ImageReferenceParser.checkRegistry(rest);
        } catch (InvalidImageReferenceException e) {
            throw new IllegalArgumentException("registry \"" + entry + "\" is not a valid host[:port]", e);
        }
        String canonical = ImageReference.canonicalRegistry(rest);
        int portAt = portSeparator(canonical);
        String host = portAt < 0 ? canonical : canonical.substring(0, portAt);
        String port = portAt < 0 ? null : canonical.substring(portAt + 1);
        if (wildcard && host.startsWith("[")) {
            throw new IllegalArgumentException("registry \"" + entry + "\": a wildcard cannot precede an IP address");
        }
        return new HostPattern(entry, host.toLowerCase(Locale.ROOT), port, wildcard);
    }

    /** Matches a {@link ImageReference#registryKey()}; the unqualified registry {@code ""} never matches. */
    public boolean matches(String registryKey) {
        if (registryKey.isEmpty()) {
            return false;
        }
        int portAt = portSeparator(registryKey);
        int hostEnd = portAt < 0 ? registryKey.length() : portAt;
        boolean portMatches = port == null
                ? portAt < 0
                : portAt >= 0 && registryKey.length() - portAt - 1 == port.length() && registryKey.startsWith(port, portAt + 1);
        if (!portMatches) {
            return false;
        }
        if (!wildcard) {
            return hostEnd == host.length() && registryKey.startsWith(host);
        }
        // "*.example.com": the host must end with ".example.com" and have at least one label before it.
        int suffixStart = hostEnd - host.length();
        return suffixStart >= 2 && registryKey.charAt(suffixStart - 1) == '.'
                && registryKey.regionMatches(suffixStart, host, 0, host.length());
    }

    private static int portSeparator(String registry) {
        int close = registry.lastIndexOf(']');
        return registry.indexOf(':', close + 1);
    }

    @Override
    public String toString() {
        return text;
    }
}
