package org.imagepolicy.webhook.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A Kubernetes label selector: every {@code matchLabels} pair and every expression must hold. */
public record LabelSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {

    public enum Operator { In, NotIn, Exists, DoesNotExist }

    public record Requirement(String key, Operator operator, Set<String> values) {
        boolean matches(Map<String, String> labels) {
            String actual = labels.get(key);
            switch (operator) {
                case In:
                    return actual != null && values.contains(actual);
                case NotIn:
                    return actual == null || !values.contains(actual);
                case Exists:
                    return actual != null;
                default:
                    return actual == null;
            }
        }
    }

    public boolean matches(Map<String, String> labels) {
        for (Map.Entry<String, String> e : matchLabels.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (Requirement r : matchExpressions) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        matchLabels.forEach((k, v) -> parts.add(k + "=" + v));
        for (Requirement r : matchExpressions) {
            parts.add(r.key() + " " + r.operator() + (r.values().isEmpty() ? "" : " " + r.values()));
        }
        return "{" + String.join(", ", parts) + "}";
    }
}
