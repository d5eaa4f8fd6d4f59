package org.imagepolicy.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The daily expiry warning, on a clock the test moves: nothing here waits. */
class CertificateExpiryWarningTest {
    static final Instant NOT_AFTER = Instant.parse("2027-01-31T12:00:00Z");

    /** A clock that stands still until the test moves it. */
    static final class MovableClock extends Clock {
        Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final MovableClock clock = new MovableClock(NOT_AFTER.minus(Duration.ofDays(45)));
    final CertificateExpiryWarning warning = new CertificateExpiryWarning(clock);

    @Test
    void silentUntilThirtyDaysThenOnceADayAsHourlyChecksRun() {
        int warnings = 0;
        int silentBefore = 0;
        // Hourly checks from 45 days before expiry to 10 days before.
        for (int hour = 0; hour < 35 * 24; hour++) {
            String w = warning.check(NOT_AFTER, "/etc/webhook/tls.crt");
            if (w != null) {
                warnings++;
                assertThat(clock.instant()).as("first warning no earlier than 30 days out")
                        .isAfterOrEqualTo(NOT_AFTER.minus(CertificateExpiryWarning.WITHIN));
            } else if (warnings == 0) {
                silentBefore++;
            }
            clock.advance(Duration.ofHours(1));
        }
        assertThat(silentBefore).as("hours without a warning before 30 days out").isEqualTo(15 * 24);
        assertThat(warnings).as("one warning a day for the last 20 days").isEqualTo(20);
    }

    @Test
    void theWarningNamesTheFileWhenAndWhatToDo() {
        clock.now = NOT_AFTER.minus(Duration.ofDays(12));
        assertThat(warning.check(NOT_AFTER, "/etc/webhook/tls.crt")).isEqualTo("the serving certificate /etc/webhook/tls.crt expires"
                + " 2027-01-31T12:00:00Z, in 12 days; renew it (for example `certs renew`): the webhook picks up new files without a"
                + " restart. This warning repeats daily.");
    }

    @Test
    void anExpiredCertificateSaysSo() {
        clock.now = NOT_AFTER.plus(Duration.ofHours(5));
        assertThat(warning.check(NOT_AFTER, "tls.crt")).contains("tls.crt EXPIRED 2027-01-31T12:00:00Z, 5 hours ago");
    }

    @Test
    void aRenewalStillNearExpiryWarnsAtOnceAndAFarOneSilencesIt() {
        clock.now = NOT_AFTER.minus(Duration.ofDays(5));
        assertThat(warning.check(NOT_AFTER, "tls.crt")).isNotNull();
        clock.advance(Duration.ofHours(1));
        Instant renewedBadly = NOT_AFTER.plus(Duration.ofDays(3));
        assertThat(warning.check(renewedBadly, "tls.crt")).as("a different certificate, still close").contains("in 7 days");
        clock.advance(Duration.ofHours(1));
        assertThat(warning.check(NOT_AFTER.plus(Duration.ofDays(365)), "tls.crt")).as("renewed for a year").isNull();
    }
}
