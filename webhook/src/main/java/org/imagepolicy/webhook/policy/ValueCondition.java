package org.imagepolicy.webhook.policy;

import java.util.Map;

/**
 * OpenShift's {@code ValueCondition}: with {@code set}, the key must exist; otherwise the value must equal
 * {@code value}, and a missing key reads as {@code ""} (so {@code value: ""} means "absent or empty").
 */
public record ValueCondition(String key, boolean set, String value) {
    public boolean matches(Map<String, String> values) {
        String actual = values.get(key);
        if (set) {
            return actual != null;
        }
        return (actual == null ? "" : actual).equals(value == null ? "" : value);
    }

    @Override
    public String toString() {
        return set ? key + " (set)" : key + "=" + value;
    }
}
