package org.imagepolicy.webhook.server;

import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.imagepolicy.webhook.admission.AdmissionInput;
import org.imagepolicy.webhook.admission.Decision;
import org.imagepolicy.webhook.metrics.Metrics;

/**
 * One log record per request that broke a rule, whatever its enforcement: the record Audit rules promise.
 * Allowed requests are not logged; they are counted in the metrics.
 *
 * <p>Event loops only put a small copy of the facts on a bounded queue; one thread formats and writes them.
 * A flood of denials on a slow log pipe therefore costs dropped lines, counted in
 * {@code image_policy_decision_log_dropped_total}, and never an event loop waiting on stderr.
 */
final class DecisionLog implements AutoCloseable {
    static final String LOGGER = "org.imagepolicy.webhook.decisions";
    static final int CAPACITY = 8_192;
    private static final Logger LOG = Logger.getLogger(LOGGER);

    private record Pending(Instant at, DecisionRecord.Request request, Decision decision, long nanos) {
    }

    private final BlockingQueue<Pending> queue;
    private final Metrics metrics;
    private final Thread writer;
    private volatile boolean closing;
    private final boolean writes;

    DecisionLog(Metrics metrics) {
        this(metrics, CAPACITY);
    }

    DecisionLog(Metrics metrics, int capacity) {
        this(metrics, capacity, true);
    }

    private DecisionLog(Metrics metrics, int capacity, boolean writes) {
        this.metrics = metrics;
        this.writes = writes;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.writer = new Thread(this::write, "decision-log");
        writer.setDaemon(true);
        if (writes) {
            writer.start();
        }
    }

    /** For the warm-up's admissions, which are nobody's: records nothing. */
    static DecisionLog discarding() {
        return new DecisionLog(new Metrics(), 1, false);
    }

    void record(AdmissionInput in, Decision decision, long nanos) {
        if (!writes || decision.violations().isEmpty() || !LOG.isLoggable(Level.INFO)) {
            return;
        }
        DecisionRecord.Request request = new DecisionRecord.Request(in.uid(), in.operation(), String.valueOf(in.resource()), in.kind(),
                in.namespace(), in.name(), in.dryRun());
        if (!queue.offer(new Pending(Instant.now(), request, decision, nanos))) {
            metrics.decisionLogDropped();
        }
    }

    /** Decisions waiting to be written. */
    int pending() {
        return queue.size();
    }

    private void write() {
        while (!closing || !queue.isEmpty()) {
            Pending p;
            try {
                p = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (p != null) {
                LOG.log(new DecisionRecord(LOGGER, p.at(), p.request(), p.decision(), p.nanos()));
            }
        }
    }

    /** Writes what is queued (up to two seconds' worth of waiting), then stops the writer. */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
