package org.imagepolicy.webhook.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.imagepolicy.webhook.report.html.HtmlOptions;
import org.imagepolicy.webhook.report.html.HtmlReportWriter;
import org.imagepolicy.webhook.report.junit.JUnitWriter;
import org.imagepolicy.webhook.report.policyreport.PolicyReportOptions;
import org.imagepolicy.webhook.report.policyreport.PolicyReportWriter;
import org.imagepolicy.webhook.report.policyreport.ReportApi;
import org.imagepolicy.webhook.report.sarif.SarifOptions;
import org.imagepolicy.webhook.report.sarif.SarifWriter;

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
        FORMATS.put("policyreport", (out, options) -> new PolicyReportWriter(utf8(out),
                PolicyReportOptions.of(ReportApi.parse(options.reportApi()))));
        FORMATS.put("junit", (out, options) -> new JUnitWriter(utf8(out)));
        FORMATS.put("sarif", (out, options) -> new SarifWriter(utf8(out), SarifOptions.defaults()));
        FORMATS.put("html", (out, options) -> new HtmlReportWriter(utf8(out), HtmlOptions.defaults()));
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

    /** The XML and HTML writers declare UTF-8; every writer gets it, whatever the platform default. */
    private static Writer utf8(OutputStream out) {
        return new OutputStreamWriter(out, StandardCharsets.UTF_8);
    }
}
