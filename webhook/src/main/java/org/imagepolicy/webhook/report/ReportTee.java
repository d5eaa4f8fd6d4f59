package org.imagepolicy.webhook.report;

import java.io.IOException;
import java.util.List;

/** Several writers fed one run ({@code --output table --output json=report.json}). */
public final class ReportTee implements ReportWriter {
    private final List<ReportWriter> writers;

    public ReportTee(List<ReportWriter> writers) {
        this.writers = List.copyOf(writers);
    }

    @Override
    public void start(RunInfo run) throws IOException {
        for (ReportWriter w : writers) {
            w.start(run);
        }
    }

    @Override
    public void object(ObjectResult result) throws IOException {
        for (ReportWriter w : writers) {
            w.object(result);
        }
    }

    @Override
    public void problem(InputProblem problem) throws IOException {
        for (ReportWriter w : writers) {
            w.problem(problem);
        }
    }

    @Override
    public void finish(Summary summary) throws IOException {
        for (ReportWriter w : writers) {
            w.finish(summary);
        }
    }
}
