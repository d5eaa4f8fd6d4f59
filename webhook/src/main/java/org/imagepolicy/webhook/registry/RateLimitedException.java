package org.imagepolicy.webhook.registry;

/** A 429: transient, and it carries the registry's Retry-After so no request goes out before then. */
final class RateLimitedException extends RegistryException {
    private static final long serialVersionUID = 1L;
    private final String retryAfter;

    RateLimitedException(String message, String retryAfter) {
        super(Kind.TRANSIENT, message);
        this.retryAfter = retryAfter;
    }

    /** Seconds to wait, from a delta-seconds Retry-After; HTTP dates and absent headers mean a short default. */
    long retryAfterSeconds() {
        if (retryAfter != null) {
            try {
                return Math.max(1, Math.min(3600, Long.parseLong(retryAfter.trim())));
            } catch (NumberFormatException e) {
                return 30;
            }
        }
        return 30;
    }
}
