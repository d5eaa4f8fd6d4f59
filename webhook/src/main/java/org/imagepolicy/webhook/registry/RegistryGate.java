package org.imagepolicy.webhook.registry;

import io.vertx.core.Future;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Per-registry protection for both sides: after a 429 nothing is sent before its Retry-After, and after
 * repeated transient failures a circuit breaker fails fast for a while, then lets one probe through. A
 * registry in trouble then costs an admission microseconds instead of a timeout.
 */
final class RegistryGate {
    enum State { CLOSED, OPEN, HALF_OPEN }

    static final int FAILURES_TO_OPEN = 5;
    static final long OPEN_NANOS = 30_000_000_000L;

    private final String registryKey;
    private final LongSupplier clock;
    private long retryAfterUntil;
    private int consecutiveFailures;
    private long openUntil;
    private boolean probing;

    RegistryGate(String registryKey, LongSupplier clock) {
        this.registryKey = registryKey;
        this.clock = clock;
    }

    synchronized State state() {
        if (consecutiveFailures < FAILURES_TO_OPEN) {
            return State.CLOSED;
        }
        return clock.getAsLong() < openUntil ? State.OPEN : State.HALF_OPEN;
    }

    <T> Future<T> call(Supplier<Future<T>> request) {
        RegistryException refusal = admit();
        if (refusal != null) {
            return Future.failedFuture(refusal);
        }
        return request.get().onComplete(done -> record(done.succeeded() ? null : done.cause()));
    }

    private synchronized RegistryException admit() {
        long now = clock.getAsLong();
        if (now < retryAfterUntil) {
            return RegistryException.transientFailure(registryKey + " asked to wait (429 Retry-After) for "
                    + Math.max(1, (retryAfterUntil - now) / 1_000_000_000L) + " more seconds");
        }
        State state = state();
        if (state == State.OPEN || (state == State.HALF_OPEN && probing)) {
            return RegistryException.transientFailure(registryKey + " failed " + consecutiveFailures
                    + " times in a row; not contacting it for a while (circuit breaker open)");
        }
        if (state == State.HALF_OPEN) {
            probing = true;
        }
        return null;
    }

    private synchronized void record(Throwable failure) {
        probing = false;
        if (failure instanceof RateLimitedException) {
            retryAfterUntil = clock.getAsLong() + ((RateLimitedException) failure).retryAfterSeconds() * 1_000_000_000L;
        }
        boolean transientFailure = failure instanceof RegistryException && !((RegistryException) failure).isPermanent();
        if (!transientFailure) {
            consecutiveFailures = 0; // an answer, even "not found", shows the registry is up
            return;
        }
        consecutiveFailures++;
        if (consecutiveFailures >= FAILURES_TO_OPEN) {
            openUntil = clock.getAsLong() + OPEN_NANOS;
        }
    }
}
