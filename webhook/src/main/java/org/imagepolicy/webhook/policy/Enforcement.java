package org.imagepolicy.webhook.policy;

/**
 * What a violated execution rule does. Deny rejects the request; Warn admits it with a warning shown to
 * the client; Audit admits it silently and records the violation for the audit log.
 */
public enum Enforcement {
    Audit, Warn, Deny;

    public static Enforcement strongest(Enforcement a, Enforcement b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    public static Enforcement fromName(String name) {
        for (Enforcement e : values()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }
}
