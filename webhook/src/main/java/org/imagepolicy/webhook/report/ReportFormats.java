package org.imagepolicy.webhook.report;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The output formats {@code audit} and {@code diff} can write, by name. A writer gets the stream (the
 * caller closes it) and the options; it must not write anything before {@link ReportWriter#start}.
 */
public final class ReportFormats {
    /** Makes a writer for one destination. */
    @FunctionalInterface
    public interface Factory {
        ReportWriter create(OutputStream out, ReportOptions options) throws IOException;
    }

    private static final Map<String, Factory> FORMATS = new LinkedHashMap<>();

    static {
        FORMATS.put("table", TableReportWriter::new);
        FORMATS.put("json", (out, options) -> new JsonReportWriter(out));
        // Formats written beside this one: each becomes available by replacing its line, e.g.
        //   FORMATS.put("sarif", (out, options) -> new SarifReportWriter(out));
        // options.reportApi() carries --report-api (wgpolicy | openreports) for the policyreport writer.
        FORMATS.put("policyreport", notYet("policyreport"));
        FORMATS.put("junit", notYet("junit"));
        FORMATS.put("sarif", notYet("sarif"));
        FORMATS.put("html", notYet("html"));
    }

    private ReportFormats() {
    }

    public static Set<String> names() {
        return FORMATS.keySet();
    }

    /** @throws IllegalArgumentException naming the formats there are, for an unknown or unavailable one */
    public static ReportWriter create(String format, OutputStream out, ReportOptions options) throws IOException {
        Factory f = FORMATS.get(format);
        if (f == null) {
            throw new IllegalArgumentException("unknown output format \"" + format + "\"; use one of " + String.join(", ", FORMATS.keySet()));
        }
        return f.create(out, options);
    }

    /** Whether the format is available in this build (not a slot waiting for its writer). */
    public static void check(String format) {
        Factory f = FORMATS.get(format);
        if (f == null) {
            throw new IllegalArgumentException("unknown output format \"" + format + "\"; use one of " + String.join(", ", FORMATS.keySet()));
        }
        try {
            f.create(OutputStream.nullOutputStream(), ReportOptions.plain());
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static Factory notYet(String name) {
        return (out, options) -> {
            throw new IllegalArgumentException("output format \"" + name + "\" is not in this build yet; use table or json");
        };
    }
}
