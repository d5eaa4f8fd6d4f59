package org.imagepolicy.webhook.registry.credentials;

import java.util.List;
import org.imagepolicy.webhook.image.InvalidImageReferenceException;
import org.imagepolicy.webhook.image.RegistryName;

/**
 * Host and port splitting and the per-label glob of the kubelet's key matching ({@code filepath.Match}).
 * Only {@code *} is supported: the kubelet parses a key as a URL first, so a {@code ?} starts a query and
 * {@code [} fails to parse there; refusing both keeps us from matching hosts the kubelet would not.
 */
final class HostSyntax {
    private HostSyntax() {
    }

    /** {@code [host, port]}, port {@code null} when absent; a bracketed IPv6 literal keeps its brackets. */
    static String[] splitHostPort(String hostPort) {
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("has an IPv6 address without its closing ']'");
            }
            if (!hostPort.substring(1, close).matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException("has '[' that does not start an IPv6 address;"
                        + " character classes are not supported, only the glob *");
            }
            String after = hostPort.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith(":")) {
                throw new IllegalArgumentException("has text after its IPv6 address");
            }
            return new String[] {hostPort.substring(0, close + 1), after.isEmpty() ? null : checkedPort(after.substring(1))};
        }
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            return new String[] {hostPort, null};
        }
        if (hostPort.lastIndexOf(':', colon - 1) >= 0) {
            throw new IllegalArgumentException("has more than one ':'; write an IPv6 address in brackets");
        }
        return new String[] {hostPort.substring(0, colon), checkedPort(hostPort.substring(colon + 1))};
    }

    /** The labels of a key's host, checked: letters, digits, '-', '_' and the glob '*'. */
    static List<String> checkedLabels(String host) {
        if (host.isEmpty()) {
            throw new IllegalArgumentException("has no host");
        }
        if (host.startsWith("[")) {
            return List.of(host); // splitHostPort checked the address
        }
        if (host.indexOf('[') >= 0 || host.indexOf(']') >= 0) {
            throw new IllegalArgumentException("uses a character class ([...]); only the glob * is supported");
        }
        List<String> labels = List.of(host.split("\\.", -1));
        for (String label : labels) {
            if (label.isEmpty()) {
                throw new IllegalArgumentException("has an empty host label (a leading, trailing or doubled '.')");
            }
            if (!label.matches("[a-z0-9_*-]+")) {
                throw new IllegalArgumentException("has a host with characters other than letters, digits, '-', '.' and '*'");
            }
        }
        return labels;
    }

    /** Glob match of one label: '*' is any run of characters, possibly empty. */
    static boolean globMatches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int starP = -1;
        int starT = -1;
        while (t < text.length()) {
            if (p < pattern.length() && pattern.charAt(p) != '*' && pattern.charAt(p) == text.charAt(t)) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                starP = p++;
                starT = t;
            } else if (starP >= 0) {
                p = starP + 1;
                t = ++starT;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /** The port as the runtime dials it: a number, the default {@code 443} being no port ({@code null}). */
    private static String checkedPort(String port) {
        int value;
        try {
            value = RegistryName.port(port, 0);
        } catch (InvalidImageReferenceException e) {
            throw new IllegalArgumentException("has a port that is not a number from 0 to 65535");
        }
        return value == RegistryName.DEFAULT_PORT ? null : Integer.toString(value);
    }
}
