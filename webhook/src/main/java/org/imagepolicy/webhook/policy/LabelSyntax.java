package org.imagepolicy.webhook.policy;

import java.util.regex.Pattern;

/** Kubernetes label key and value syntax, as apimachinery validates label selectors. */
final class LabelSyntax {
    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private LabelSyntax() {
    }

    /** {@code null} when valid, otherwise what is wrong with the key. */
    static String keyProblem(String key) {
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                return "label key \"" + key + "\" has an invalid prefix; it must be a lowercase DNS subdomain such as example.com";
            }
        }
        if (name.isEmpty() || name.length() > 63 || !NAME.matcher(name).matches()) {
            return "label key \"" + key + "\" is invalid; a name is 1-63 letters, digits, '-', '_' or '.', starting and ending"
                    + " with a letter or digit, with an optional DNS-subdomain prefix and '/'";
        }
        return null;
    }

    static String valueProblem(String value) {
        if (value.isEmpty()) {
            return null;
        }
        if (value.length() > 63 || !NAME.matcher(value).matches()) {
            return "label value \"" + value + "\" is invalid; a value is at most 63 letters, digits, '-', '_' or '.',"
                    + " starting and ending with a letter or digit";
        }
        return null;
    }
}
