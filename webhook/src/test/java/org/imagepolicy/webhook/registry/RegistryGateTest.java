package org.imagepolicy.webhook.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RegistryGateTest {
    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final RegistryGate gate = new RegistryGate("quay.io", now::get);
    final AtomicInteger sent = new AtomicInteger();

    Future<String> call(Future<String> answer) {
        return gate.call(() -> {
            sent.incrementAndGet();
            return answer;
        });
    }

    @Test
    void opensAfterRepeatedTransientFailuresThenProbesOnce() {
        for (int i = 0; i < RegistryGate.FAILURES_TO_OPEN; i++) {
            call(Future.failedFuture(RegistryException.transientFailure("connection refused")));
        }
        assertThat(gate.state()).isEqualTo(RegistryGate.State.OPEN);
        Future<String> refused = call(Future.succeededFuture("sha256:x"));
        assertThat(refused.cause()).hasMessageContaining("circuit breaker open");
        assertThat(sent.get()).isEqualTo(RegistryGate.FAILURES_TO_OPEN);

        now.addAndGet(RegistryGate.OPEN_NANOS + 1);
        assertThat(gate.state()).isEqualTo(RegistryGate.State.HALF_OPEN);
        assertThat(call(Future.succeededFuture("sha256:x")).result()).isEqualTo("sha256:x");
        assertThat(gate.state()).isEqualTo(RegistryGate.State.CLOSED);
    }

    @Test
    void permanentAnswersShowTheRegistryIsUp() {
        for (int i = 0; i < 10; i++) {
            call(i % 2 == 0 ? Future.failedFuture(RegistryException.transientFailure("timeout"))
                    : Future.failedFuture(RegistryException.permanent("manifest unknown")));
        }
        assertThat(gate.state()).isEqualTo(RegistryGate.State.CLOSED);
    }

    @Test
    void honoursRetryAfter() {
        call(Future.failedFuture(new RateLimitedException("429", "7")));
        Future<String> early = call(Future.succeededFuture("sha256:x"));
        assertThat(early.cause()).hasMessageContaining("asked to wait (429 Retry-After) for 7 more seconds");
        assertThat(sent.get()).isEqualTo(1);
        now.addAndGet(7_000_000_001L);
        assertThat(call(Future.succeededFuture("sha256:x")).succeeded()).isTrue();
        assertThat(sent.get()).isEqualTo(2);
    }
}
