package org.imagepolicy.webhook.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * A warning in the log once a day while the serving certificate expires within 30 days, or has expired: the
 * expiry metric alone goes unnoticed wherever nobody alerts on it. Checked often (hourly), it warns at most
 * daily for one certificate, and at once when a renewal brings another certificate that is still close to expiry.
 */
final class CertificateExpiryWarning {
    static final Duration WITHIN = Duration.ofDays(30);
    static final Duration EVERY = Duration.ofDays(1);
    private static final Logger LOG = Logger.getLogger(CertificateExpiryWarning.class.getName());

    private final Clock clock;
    private Instant lastWarning;
    private Instant warnedFor;

    CertificateExpiryWarning(Clock clock) {
        this.clock = clock;
    }

    /** @return the warning logged now, or {@code null} when none is due */
    synchronized String check(Instant notAfter, String certificate) {
        Instant now = clock.instant();
        if (notAfter.isAfter(now.plus(WITHIN))) {
            return null;
        }
        if (notAfter.equals(warnedFor) && now.isBefore(lastWarning.plus(EVERY))) {
            return null;
        }
        lastWarning = now;
        warnedFor = notAfter;
        long hours = Duration.between(now, notAfter).toHours();
        String when = hours >= 0 ? "expires " + notAfter + ", in " + describe(hours) : "EXPIRED " + notAfter + ", " + describe(-hours) + " ago";
        String message = "the serving certificate " + certificate + " " + when + "; renew it (for example `certs renew`): the webhook"
                + " picks up new files without a restart. This warning repeats daily.";
        LOG.warning(message);
        return message;
    }

    private static String describe(long hours) {
        return hours >= 48 ? hours / 24 + " days" : hours + " hours";
    }
}
