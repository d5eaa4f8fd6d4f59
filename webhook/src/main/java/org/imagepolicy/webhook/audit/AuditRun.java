package org.imagepolicy.webhook.audit;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.List;
import java.util.Set;
import com.fasterxml.jackson.databind.JsonNode;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.report.Location;
import org.imagepolicy.webhook.server.RequestContext;
import org.imagepolicy.webhook.report.InputProblem;
import org.imagepolicy.webhook.report.ObjectResult;
import org.imagepolicy.webhook.report.ReportWriter;
import org.imagepolicy.webhook.report.RunInfo;

/**
 * One {@code audit} or {@code diff} run: reads the inputs one file at a time, unpacks their objects,
 * judges them in batches and streams the results to the writer. Only the current file and batch are held.
 */
public final class AuditRun {
    private final ImagePolicyEngine engine;
    private final ImagePolicyEngine previous;
    private final Lookups lookups;
    private final PrintStream progress;

    /**
     * @param previous the old policy's engine for {@code diff}, else {@code null}
     * @param progress where the progress line goes (a terminal's standard error), or {@code null} for none
     */
    public AuditRun(ImagePolicyEngine engine, ImagePolicyEngine previous, Lookups lookups, PrintStream progress) {
        this.engine = engine;
        this.previous = previous;
        this.lookups = lookups;
        this.progress = progress;
    }

    public AuditResult run(RunInfo info, List<String> inputs, InputStream stdin, ReportWriter writer) throws IOException {
        long started = System.nanoTime();
        RunTally tally = new RunTally();
        LookupGatherer gatherer = new LookupGatherer(lookups);
        InputFiles.Expanded expanded = InputFiles.expand(inputs);
        ProgressLine line = progress == null ? null : new ProgressLine(progress, expanded.inputs().size(), expanded.totalBytes());
        writer.start(info);
        Auditor auditor = new Auditor(engine, previous, gatherer, forwardingTo(writer), tally);
        for (InputProblem missing : expanded.missing()) {
            tally.filesFailed++;
            auditor.problem(missing);
        }
        int filesDone = 0;
        long bytesDone = 0;
        // Files are parsed ahead on worker threads, a bounded window of them, and judged here in order.
        int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService parsers = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "audit-parser");
            t.setDaemon(true);
            return t;
        });
        Deque<Future<ParsedFile>> ahead = new ArrayDeque<>();
        Iterator<InputFiles.Input> next = expanded.inputs().iterator();
        try {
            while (next.hasNext() || !ahead.isEmpty()) {
                while (next.hasNext() && ahead.size() < workers * 4) {
                    InputFiles.Input input = next.next();
                    ahead.add(parsers.submit(() -> ParsedFile.parse(input, stdin)));
                }
                ParsedFile file = take(ahead.removeFirst());
                for (Object item : file.items()) {
                    if (item instanceof AuditObject) {
                        auditor.object((AuditObject) item);
                    } else {
                        auditor.problem((InputProblem) item);
                    }
                }
                tally.documentsEmpty += file.emptyDocuments();
                if (file.parsed()) {
                    tally.filesRead++;
                } else {
                    tally.filesFailed++;
                }
                filesDone++;
                bytesDone += file.input().size();
                if (line != null) {
                    line.update(filesDone, bytesDone, tally.objectsSeen(), gatherer.resolved());
                }
            }
            auditor.flush();
        } finally {
            parsers.shutdownNow();
            if (line != null) {
                line.finish();
            }
        }
        AuditResult result = new AuditResult(tally.summary(gatherer.resolved(), (System.nanoTime() - started) / 1_000_000),
                tally.problems, tally.objectErrors, tally.newlyDenied, tally.newlyAllowed, tally.reasonChanged, tally.changedTo());
        writer.finish(result.summary());
        return result;
    }

    /**
     * Judges objects listed from a live cluster as the webhook would judge their CREATE, each with what
     * the webhook's context adds for it (its namespace's exempted rules, its own pull credentials).
     */
    public AuditResult run(RunInfo info, LiveObjects source, RequestContext context, ReportWriter writer) throws IOException {
        long started = System.nanoTime();
        RunTally tally = new RunTally();
        LookupGatherer gatherer = new LookupGatherer(lookups);
        ProgressLine line = progress == null ? null : new ProgressLine(progress);
        writer.start(info);
        Auditor auditor = new Auditor(engine, previous, gatherer, forwardingTo(writer), tally, context);
        try {
            source.list(new LiveObjects.Sink() {
                @Override
                public void object(String where, JsonNode object) throws IOException {
                    Location at = Location.of(where);
                    auditor.object(ObjectUnpacker.manifest(object, object.path("kind").asText(""), new Positions(where), Set.of(), at,
                            object.path("metadata").path("uid").asText("audit")));
                }

                @Override
                public void progress(int kindsDone, int kinds, long objects) {
                    if (line != null) {
                        line.updateLive(kindsDone, kinds, objects, gatherer.resolved());
                    }
                }
            });
            auditor.flush();
        } finally {
            if (line != null) {
                line.finish();
            }
        }
        AuditResult result = new AuditResult(tally.summary(gatherer.resolved(), (System.nanoTime() - started) / 1_000_000),
                tally.problems, tally.objectErrors, tally.newlyDenied, tally.newlyAllowed, tally.reasonChanged, tally.changedTo());
        writer.finish(result.summary());
        return result;
    }

    private static ParsedFile take(Future<ParsedFile> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException("reading an input failed: " + e.getCause(), e.getCause());
        }
    }


    /** Each judged object and each input problem goes straight to the report writer. */
    private static Auditor.Results forwardingTo(ReportWriter writer) {
        return new Auditor.Results() {
            @Override
            public void object(ObjectResult result) throws IOException {
                writer.object(result);
            }

            @Override
            public void problem(InputProblem problem) throws IOException {
                writer.problem(problem);
            }
        };
    }
}
