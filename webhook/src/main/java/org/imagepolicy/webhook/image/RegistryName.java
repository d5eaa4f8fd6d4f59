package org.imagepolicy.webhook.image;

import java.util.Locale;

/**
 * The identity of a registry as a container runtime dials it, written as one canonical key:
 * {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}. Two names that reach the same
 * registry have the same key, so a policy, a credential, a cache entry and a metric can never tell them
 * apart:
 * <ul>
 * <li>hosts compare without case, and Docker Hub's names ({@code index.docker.io},
 * {@code registry-1.docker.io}, {@code registry.hub.docker.com}) fold into {@code docker.io};</li>
 * <li>ports are numbers ({@code :05000} is {@code :5000}), and {@code :443}, the port the runtime dials
 * when none is written, is no port;</li>
 * <li>IP literals are compared as addresses: IPv6 in RFC 5952 form, an IPv4-mapped IPv6 address as the
 * IPv4 address it reaches, and the numeric host forms glibc's resolver accepts ({@code 127.1},
 * {@code 0x7f.0.0.1}, {@code 2130706433}) as the dotted quad it dials.</li>
 * </ul>
 * The runtime may dial plain HTTP on port 80 for an insecure registry; that is a node setting no image
 * string controls, so it does not enter the identity.
 */
public final class RegistryName {
    /** The port a runtime dials when the image names none (HTTPS). */
    public static final int DEFAULT_PORT = 443;
    /** No port in the key: the default port. */
    public static final int NO_PORT = -1;

    /** Docker Hub's other names, all folded into {@link ImageReference#DOCKER_HUB}. */
    static final java.util.List<String> DOCKER_HUB_ALIASES = java.util.List.of("index.docker.io", "registry-1.docker.io",
            "registry.hub.docker.com");

    private RegistryName() {
    }

    /**
     * The canonical key of a {@code host[:port]}; {@code ""} (an unqualified image) stays {@code ""}.
     *
     * @throws InvalidImageReferenceException when the name is not a valid registry
     */
    public static String canonical(String registry) {
        if (registry.isEmpty() || isCanonicalAlready(registry)) {
            return registry;
        }
        int sep = portSeparator(registry);
        String host = canonicalHost(sep < 0 ? registry : registry.substring(0, sep), registry);
        int port = sep < 0 ? NO_PORT : port(registry, sep + 1);
        return port == NO_PORT || port == DEFAULT_PORT ? host : host + ":" + port;
    }

    /** Checks that a {@code host[:port]} is a registry the distribution grammar accepts. */
    static void check(String registry) {
        canonical(registry);
    }

    /**
     * The host part of a canonical key: lower case, Docker Hub folded, IP literals canonical.
     *
     * @throws InvalidImageReferenceException when the host is not a valid registry host
     */
    public static String canonicalHost(String host) {
        return canonicalHost(host, host);
    }

    /**
     * The port a canonical key names, {@link #DEFAULT_PORT} when it names none; {@code -1} for text that is
     * no key (matching never throws, whatever it is handed).
     */
    public static int portOf(String key) {
        int sep = portSeparator(key);
        if (sep < 0) {
            return DEFAULT_PORT;
        }
        int value = 0;
        for (int i = sep + 1; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < '0' || c > '9' || value > 65535) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return sep + 1 == key.length() || value > 65535 ? -1 : value;
    }

    /** The length of a canonical key's host part. */
    public static int hostLength(String key) {
        int sep = portSeparator(key);
        return sep < 0 ? key.length() : sep;
    }

    /**
     * A port as written in a name or a credential key, as the number the runtime dials.
     *
     * @throws InvalidImageReferenceException unless it is 1 or more ASCII digits worth at most 65535
     */
    public static int port(String s, int from) {
        if (from >= s.length()) {
            throw new InvalidImageReferenceException("invalid registry port in \"" + s + "\": the port is empty");
        }
        int value = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new InvalidImageReferenceException("invalid registry port in \"" + s + "\": a port is a number");
            }
            value = value * 10 + (c - '0');
            if (value > 65535) {
                throw new InvalidImageReferenceException("invalid registry port in \"" + s + "\": a port is at most 65535");
            }
        }
        return value;
    }

    static int portSeparator(String registry) {
        int close = registry.lastIndexOf(']');
        return registry.indexOf(':', close + 1);
    }

    private static String canonicalHost(String host, String whole) {
        if (host.startsWith("[")) {
            if (!host.endsWith("]")) {
                throw new InvalidImageReferenceException("invalid registry \"" + whole + "\": text after the IPv6 address");
            }
            String v6 = IpLiteral.canonicalIpv6(host.substring(1, host.length() - 1));
            if (v6 == null) {
                throw new InvalidImageReferenceException("invalid registry \"" + whole + "\": bad IPv6 address");
            }
            return v6;
        }
        if (!ImageReferenceParser.isHostname(host)) {
            throw new InvalidImageReferenceException("invalid registry host \"" + whole + "\"");
        }
        return hostIdentity(host);
    }

    /**
     * The identity of a host already checked by its own grammar (credential keys allow {@code _} and
     * globs): lower case, numeric IPv4 forms as the dotted quad, Docker Hub folded. Bracketed IPv6 literals
     * become canonical; a malformed one is returned lower-cased, for the caller's checks to refuse.
     */
    public static String hostIdentity(String host) {
        if (host.startsWith("[") && host.endsWith("]")) {
            String v6 = IpLiteral.canonicalIpv6(host.substring(1, host.length() - 1));
            return v6 == null ? host.toLowerCase(Locale.ROOT) : v6;
        }
        String lower = host.toLowerCase(Locale.ROOT);
        if (!lower.isEmpty() && lower.charAt(0) >= '0' && lower.charAt(0) <= '9') {
            String v4 = IpLiteral.canonicalIpv4(lower);
            if (v4 != null) {
                return v4;
            }
        }
        switch (lower) {
            case "index.docker.io":
            case "registry-1.docker.io":
            case "registry.hub.docker.com":
                return ImageReference.DOCKER_HUB;
            default:
                return lower;
        }
    }

    /**
     * The fast path for the common case, {@code quay.io} or {@code registry.example.com:5000}: lower-case
     * letters, digits, dots and dashes, a host not starting with a digit (so never a numeric IPv4 form),
     * a port with no leading zero other than 443, and no Docker Hub alias.
     */
    private static boolean isCanonicalAlready(String registry) {
        char first = registry.charAt(0);
        if (!(first >= 'a' && first <= 'z')) {
            return false;
        }
        int n = registry.length();
        int colon = -1;
        for (int i = 0; i < n; i++) {
            char c = registry.charAt(i);
            if (c == ':') {
                if (colon >= 0) {
                    return false;
                }
                colon = i;
            } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) {
                return false;
            } else if (colon >= 0 && !(c >= '0' && c <= '9')) {
                return false;
            }
        }
        int hostEnd = colon < 0 ? n : colon;
        if (registry.charAt(hostEnd - 1) == '.' || registry.charAt(hostEnd - 1) == '-' || registry.indexOf("..") >= 0
                || registry.indexOf(".-") >= 0 || registry.indexOf("-.") >= 0) {
            return false; // not canonical, or not valid: the slow path says which
        }
        if (colon >= 0) {
            int digits = n - colon - 1;
            if (digits < 1 || digits > 5 || registry.charAt(colon + 1) == '0'
                    || Integer.parseInt(registry, colon + 1, n, 10) > 65535
                    || (digits == 3 && registry.startsWith("443", colon + 1))) {
                return false;
            }
        }
        return !isDockerHubAlias(registry, hostEnd);
    }

    private static boolean isDockerHubAlias(String registry, int hostEnd) {
        return (hostEnd == 15 && registry.startsWith("index.docker.io"))
                || (hostEnd == 20 && registry.startsWith("registry-1.docker.io"))
                || (hostEnd == 23 && registry.startsWith("registry.hub.docker.com"));
    }
}
