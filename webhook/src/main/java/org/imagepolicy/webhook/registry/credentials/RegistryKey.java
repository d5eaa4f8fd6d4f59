package org.imagepolicy.webhook.registry.credentials;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.imagepolicy.webhook.image.RegistryName;

/**
 * One key of a Docker config, such as {@code quay.io}, {@code https://index.docker.io/v1/},
 * {@code registry.example.com:5000/team} or {@code *.example.com}, and which repositories it covers.
 *
 * <p>The rules are the kubelet's ({@code credentialprovider.URLsMatch}): the scheme is ignored; the host is
 * matched label by label, {@code *} standing for any run of characters within a label, and the number of
 * labels must be equal, so {@code *.example.com} covers {@code a.example.com} but neither {@code example.com}
 * nor {@code a.b.example.com}; ports must be equal, absent differing from present. Both sides are read as
 * the registry's identity first ({@link RegistryName}: Docker Hub's names folded, {@code :443} no port,
 * ports as numbers, IP literals canonical), so one registry is never two credential lookups. One deliberate difference:
 * the key's path must be a prefix of the repository by whole components, not by characters, so
 * {@code quay.io/org} never lends its credentials to {@code quay.io/org-evil/app}.
 */
final class RegistryKey {
    /** Most path components first, then exact hosts before globs, then globs with more literal characters. */
    static final Comparator<RegistryKey> MOST_SPECIFIC_FIRST = Comparator
            .comparingInt((RegistryKey k) -> -k.path.size())
            .thenComparing(k -> k.glob)
            .thenComparingInt(k -> -k.literalHostChars);

    private final String text;
    private final List<String> labels;
    private final String port;
    private final List<String> path;
    private final boolean glob;
    private final int literalHostChars;

    private RegistryKey(String text, List<String> labels, String port, List<String> path) {
        this.text = text;
        this.labels = List.copyOf(labels);
        this.port = port;
        this.path = List.copyOf(path);
        this.glob = labels.stream().anyMatch(l -> l.indexOf('*') >= 0);
        this.literalHostChars = labels.stream().mapToInt(l -> l.replace("*", "").length()).sum();
    }

    /** Parses a key; the exception's message says what is wrong without repeating the key. */
    static RegistryKey parse(String text) {
        String rest = text;
        for (String scheme : new String[] {"https://", "http://"}) {
            if (rest.regionMatches(true, 0, scheme, 0, scheme.length())) {
                rest = rest.substring(scheme.length());
                break;
            }
        }
        if (rest.contains("://")) {
            throw new IllegalArgumentException("has a scheme other than http:// or https://");
        }
        for (char c : new char[] {'@', '?', '#', '\\'}) {
            if (rest.indexOf(c) >= 0) {
                throw new IllegalArgumentException("contains '" + c + "'; write host[:port][/path]");
            }
        }
        if (rest.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("contains whitespace");
        }
        int slash = rest.indexOf('/');
        String hostPort = slash < 0 ? rest : rest.substring(0, slash);
        String rawPath = slash < 0 ? "" : rest.substring(slash + 1);
        if (hostPort.isEmpty()) {
            throw new IllegalArgumentException("has no host");
        }
        String[] hp = HostSyntax.splitHostPort(hostPort);
        List<String> labels = HostSyntax.checkedLabels(RegistryName.hostIdentity(hp[0]));
        // The kubelet, like the Docker CLI, treats a leading /v1/ or /v2/ as the API version, not a repository
        // (so "https://index.docker.io/v1/" means all of Docker Hub); "/v2" without a slash stays a path.
        if (rawPath.startsWith("v1/") || rawPath.startsWith("v2/")) {
            rawPath = rawPath.substring(3);
        }
        List<String> path = components(rawPath);
        if (path.stream().anyMatch(c -> c.indexOf('*') >= 0)) {
            throw new IllegalArgumentException("has a wildcard in its path; wildcards are only matched in the host");
        }
        return new RegistryKey(text, labels, hp[1], path);
    }

    /** Whether this key covers the repository; the image side is normalized the same way as keys. */
    boolean matches(Target target) {
        if (!Objects.equals(port, target.port) || labels.size() != target.labels.size()) {
            return false;
        }
        for (int i = 0; i < labels.size(); i++) {
            if (!HostSyntax.globMatches(labels.get(i), target.labels.get(i))) {
                return false;
            }
        }
        return path.size() <= target.path.size() && target.path.subList(0, path.size()).equals(path);
    }

    /** The repository a lookup is for: host labels (lower-cased, Docker Hub folded), port and path components. */
    record Target(List<String> labels, String port, List<String> path) {
        static Target of(String registryHost, String repositoryPath) {
            Objects.requireNonNull(registryHost, "registryHost");
            Objects.requireNonNull(repositoryPath, "repositoryPath");
            String[] hp;
            try {
                hp = HostSyntax.splitHostPort(registryHost.toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("registry host \"" + registryHost + "\" " + e.getMessage(), e);
            }
            String host = RegistryName.hostIdentity(hp[0]);
            List<String> labels = host.startsWith("[") ? List.of(host) : List.of(host.split("\\.", -1));
            return new Target(labels, hp[1], components(repositoryPath));
        }
    }

    String text() {
        return text;
    }

    // Empty components ("quay.io//org/") carry no meaning in a repository name, so they are dropped.
    private static List<String> components(String path) {
        List<String> out = new ArrayList<>();
        for (String c : path.split("/")) {
            if (!c.isEmpty()) {
                out.add(c);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return text;
    }
}
