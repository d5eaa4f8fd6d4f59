package org.imagepolicy.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.imagepolicy.webhook.admission.AdmissionInput;
import org.imagepolicy.webhook.admission.AdmissionReviewCodec;
import org.imagepolicy.webhook.admission.Decision;
import org.imagepolicy.webhook.admission.ImageFacts;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.load.PolicyFiles;
import org.imagepolicy.webhook.metrics.Metrics;
import org.imagepolicy.webhook.testing.Await;
import org.imagepolicy.webhook.testing.Golden;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The decision log never makes an event loop wait on the log's output: a stuck writer costs dropped lines, counted. */
class DecisionLogTest {
    final Logger decisions = Logger.getLogger(DecisionLog.LOGGER);
    final List<LogRecord> written = new CopyOnWriteArrayList<>();
    final CountDownLatch outputUnblocked = new CountDownLatch(1);
    final Handler slowOutput = new Handler() {
        @Override
        public void publish(LogRecord r) {
            try {
                outputUnblocked.await(); // stderr piped to a log shipper that stopped reading
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            written.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    AdmissionInput in;
    Decision denied;

    @BeforeEach
    void setUp() throws Exception {
        decisions.setUseParentHandlers(false);
        decisions.addHandler(slowOutput);
        in = AdmissionReviewCodec.decode(Files.readAllBytes(Golden.DIR.resolve("pod-from-quay-denied/request.json")));
        denied = new ImagePolicyEngine(PolicyFiles.load(List.of(Golden.DIR.resolve("policy.yaml")), true).policy()).decide(in, ImageFacts.OFFLINE);
        assertThat(denied.allowed()).isFalse();
    }

    @AfterEach
    void tearDown() {
        outputUnblocked.countDown();
        decisions.removeHandler(slowOutput);
        decisions.setUseParentHandlers(true);
    }

    @Test
    void aFloodOfDenialsOnAStuckOutputIsDroppedAndCountedNotWaitedFor() throws Exception {
        Metrics metrics = new Metrics();
        DecisionLog log = new DecisionLog(metrics, 16);
        // Were record() to wait for the output, this loop would never end: the output is blocked until the test releases it.
        for (int i = 0; i < 1_000; i++) {
            log.record(in, denied, 1_000);
        }
        // The writer holds at most one record in the stuck output and 16 queued: the rest are dropped.
        assertThat(metrics.decisionLogDroppedCount()).isBetween(1_000L - 17, 1_000L - 16);
        assertThat(metrics.render()).contains("image_policy_decision_log_dropped_total " + metrics.decisionLogDroppedCount());
        assertThat(written).isEmpty();

        outputUnblocked.countDown();
        long kept = 1_000 - metrics.decisionLogDroppedCount();
        Await.until("the queued decisions to be written", Duration.ofSeconds(10), () -> written.size() == kept);
        log.close();
    }

    @Test
    void recordsCarryTheDecisionsFieldsAndNoObjectTree() throws Exception {
        outputUnblocked.countDown();
        DecisionLog log = new DecisionLog(new Metrics());
        log.record(in, denied, 1_234_567);
        Await.until("the decision to be written", Duration.ofSeconds(10), () -> written.size() == 1);
        log.close();
        DecisionRecord r = (DecisionRecord) written.get(0);
        assertThat(r.getMessage()).startsWith("decision=denied uid=0f6c5c2e-0002-4a4e-9d0e-000000000002 operation=CREATE resource=pods");
        Map<String, Object> f = r.fields();
        assertThat(f.keySet()).containsExactly("uid", "operation", "kind", "resource", "namespace", "name", "dryRun", "allowed",
                "enforcement", "violations", "duration_ms");
        assertThat(f).containsEntry("allowed", false).containsEntry("enforcement", "Deny").containsEntry("duration_ms", 1.235)
                .containsEntry("kind", "Pod");
        assertThat((List<?>) f.get("violations")).singleElement().satisfies(v -> assertThat(castMap(v))
                .containsEntry("field", "spec.containers[0].image").containsEntry("image", "quay.io/org/app:1")
                .containsEntry("enforcement", "Deny").containsKey("rule").containsKey("reason"));
    }

    @Test
    void allowedRequestsAreNotLogged() throws Exception {
        outputUnblocked.countDown();
        DecisionLog log = new DecisionLog(new Metrics());
        log.record(in, new Decision(true, 200, null, List.of(), List.of(), Map.of(), Decision.Outcome.ALLOWED), 1);
        log.close();
        assertThat(written).isEmpty();
        assertThat(log.pending()).isZero();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }
}
