package org.imagepolicy.webhook.registry;

/**
 * A lookup that failed, classified by whether asking again soon could succeed. Permanent failures
 * (unknown manifest or repository, access denied) may be cached briefly; transient ones (timeouts,
 * refused connections, 5xx, 429) never are, so a blip cannot poison admissions. Messages never carry
 * credentials or tokens.
 */
public class RegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Kind { PERMANENT, TRANSIENT }

    private final Kind kind;
    private final boolean tls;

    public RegistryException(Kind kind, String message) {
        this(kind, message, false);
    }

    private RegistryException(Kind kind, String message, boolean tls) {
        super(message, null, false, false);
        this.kind = kind;
        this.tls = tls;
    }

    /** The TLS handshake failed: for an insecure registry, a sign to try plain HTTP. */
    static RegistryException tls(String message) {
        return new RegistryException(Kind.PERMANENT, message, true);
    }

    boolean isTls() {
        return tls;
    }

    public static RegistryException permanent(String message) {
        return new RegistryException(Kind.PERMANENT, message);
    }

    public static RegistryException transientFailure(String message) {
        return new RegistryException(Kind.TRANSIENT, message);
    }

    public Kind kind() {
        return kind;
    }

    public boolean isPermanent() {
        return kind == Kind.PERMANENT;
    }
}
