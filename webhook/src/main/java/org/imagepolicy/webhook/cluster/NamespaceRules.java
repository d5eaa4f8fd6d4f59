package org.imagepolicy.webhook.cluster;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * OpenShift's namespace annotation {@code alpha.image.policy.openshift.io/ignore-rules: "rule-a,rule-b"}.
 * Names are trimmed: upstream splits on commas only, so {@code "a, b"} silently fails to exempt {@code b}.
 * Rules with {@code ignoreNamespaceOverride: true} stay in force whatever is listed; the engine sees to that.
 */
final class NamespaceRules {
    static final String IGNORE_RULES = "alpha.image.policy.openshift.io/ignore-rules";

    private NamespaceRules() {
    }

    static Set<String> parse(String annotation) {
        if (annotation == null || annotation.isBlank()) {
            return Set.of();
        }
        Set<String> names = new LinkedHashSet<>();
        for (String part : annotation.split(",")) {
            String name = part.trim();
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return Set.copyOf(names);
    }
}
