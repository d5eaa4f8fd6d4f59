package org.imagepolicy.webhook.audit;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.registry.ImageResolver;
import org.imagepolicy.webhook.report.InputProblem;
import org.imagepolicy.webhook.report.Location;
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
    private final ImageResolver resolver;
    private final Duration lookupTimeout;
    private final PrintStream progress;

    /**
     * @param previous the old policy's engine for {@code diff}, else {@code null}
     * @param progress where the progress line goes (a terminal's standard error), or {@code null} for none
     */
    public AuditRun(ImagePolicyEngine engine, ImagePolicyEngine previous, ImageResolver resolver, Duration lookupTimeout,
            PrintStream progress) {
        this.engine = engine;
        this.previous = previous;
        this.resolver = resolver;
        this.lookupTimeout = lookupTimeout;
        this.progress = progress;
    }

    public AuditResult run(RunInfo info, List<String> inputs, InputStream stdin, ReportWriter writer) throws IOException {
        long started = System.nanoTime();
        RunTally tally = new RunTally();
        LookupGatherer gatherer = new LookupGatherer(resolver, lookupTimeout);
        InputFiles.Expanded expanded = InputFiles.expand(inputs);
        ProgressLine line = progress == null ? null : new ProgressLine(progress, expanded.inputs().size(), expanded.totalBytes());
        writer.start(info);
        Auditor auditor = new Auditor(engine, previous, gatherer, new Auditor.Results() {
            @Override
            public void object(ObjectResult result) throws IOException {
                writer.object(result);
            }

            @Override
            public void problem(InputProblem problem) throws IOException {
                writer.problem(problem);
            }
        }, tally);
        for (InputProblem missing : expanded.missing()) {
            tally.filesFailed++;
            auditor.problem(missing);
        }
        ObjectUnpacker unpacker = new ObjectUnpacker(o -> call(() -> auditor.object(o)), p -> call(() -> auditor.problem(p)));
        int filesDone = 0;
        long bytesDone = 0;
        try {
            for (InputFiles.Input input : expanded.inputs()) {
                byte[] bytes;
                try {
                    bytes = read(input, stdin);
                } catch (IOException e) {
                    tally.filesFailed++;
                    auditor.problem(new InputProblem(Location.of(input.name()), "cannot read: " + e.getMessage()));
                    continue;
                }
                boolean parsed = ManifestReader.read(input.name(), bytes, new ManifestReader.Sink() {
                    @Override
                    public void document(SourceDocument document) {
                        unpacker.unpack(document);
                    }

                    @Override
                    public void problem(InputProblem problem) {
                        call(() -> auditor.problem(problem));
                    }
                });
                if (parsed) {
                    tally.filesRead++;
                } else {
                    tally.filesFailed++;
                }
                filesDone++;
                bytesDone += input.size();
                if (line != null) {
                    line.update(filesDone, bytesDone, tally.objectsSeen(), gatherer.resolved());
                }
            }
            auditor.flush();
        } catch (UncheckedIOException e) {
            throw e.getCause();
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

    private static byte[] read(InputFiles.Input input, InputStream stdin) throws IOException {
        if (input.stdin()) {
            byte[] data = stdin.readNBytes(ManifestReader.MAX_BYTES + 1);
            if (data.length > ManifestReader.MAX_BYTES) {
                throw new IOException("larger than " + ManifestReader.MAX_BYTES + " bytes");
            }
            return data;
        }
        if (input.size() > ManifestReader.MAX_BYTES) {
            throw new IOException("larger than " + ManifestReader.MAX_BYTES + " bytes");
        }
        return Files.readAllBytes(input.path());
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void call(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
