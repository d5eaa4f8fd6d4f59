package org.imagepolicy.webhook.report;

import java.io.IOException;

/**
 * Renders one run in one format. Called as {@code start}, then {@code object} and {@code problem} in
 * input order, then {@code finish}; a writer that needs the whole run (HTML, SARIF) keeps only what it
 * renders (failing references, counts), never every object.
 */
public interface ReportWriter {
    void start(RunInfo run) throws IOException;

    void object(ObjectResult result) throws IOException;

    void problem(InputProblem problem) throws IOException;

    /** Writes what is left and flushes; the caller closes the stream. */
    void finish(Summary summary) throws IOException;
}
