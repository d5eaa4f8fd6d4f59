package org.imagepolicy.webhook.report.junit;

import java.io.IOException;
import java.io.Writer;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.imagepolicy.webhook.report.InputProblem;
import org.imagepolicy.webhook.report.ObjectResult;
import org.imagepolicy.webhook.report.Outcome;
import org.imagepolicy.webhook.report.ReferenceResult;
import org.imagepolicy.webhook.report.ReportText;
import org.imagepolicy.webhook.report.ReportWriter;
import org.imagepolicy.webhook.report.RunInfo;
import org.imagepolicy.webhook.report.Summary;

/**
 * JUnit XML for CI test tabs: one {@code testsuite} per input file, one {@code testcase} per object and
 * deciding rule. A denied reference is a {@code failure}, one that could not be evaluated (or an object or
 * document that could not be read) an {@code error}, a test whose references were all skipped is
 * {@code skipped}; warnings and audits pass with a note in {@code system-out}. The reason is in the
 * {@code message} attribute and again in the body, which is all GitLab shows.
 *
 * <p>The totals sit on the opening tags, so suites are kept as rendered text until {@link #finish}.
 */
public final class JUnitWriter implements ReportWriter {
    /** The test name used when no single rule decided (no allow rule matched, an unparseable image). */
    static final String WHOLE_POLICY = "image-policy";
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final Writer out;
    private final Map<String, Suite> suites = new LinkedHashMap<>();
    private RunInfo run;

    public JUnitWriter(Writer out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    private static final class Suite {
        final StringBuilder cases = new StringBuilder();
        int tests;
        int failures;
        int errors;
        int skipped;
    }

    @Override
    public void start(RunInfo run) {
        this.run = run;
    }

    @Override
    public void object(ObjectResult object) {
        Suite suite = suite(object.location().file());
        String label = ReportText.object(object.object());
        if (object.error() != null) {
            suite.tests++;
            suite.errors++;
            testcase(suite, object.location().file(), label + ": judge", null,
                    "error", "object", object.error(), object.location() + ": " + object.error());
        }
        Map<String, List<ReferenceResult>> byRule = object.references().stream().collect(
                Collectors.groupingBy(r -> r.rule() == null ? WHOLE_POLICY : r.rule(), LinkedHashMap::new, Collectors.toList()));
        for (Map.Entry<String, List<ReferenceResult>> e : byRule.entrySet()) {
            addCase(suite, object.location().file(), label + ": " + e.getKey(), e.getValue());
        }
    }

    private void addCase(Suite suite, String file, String name, List<ReferenceResult> refs) {
        suite.tests++;
        List<ReferenceResult> failed = refs.stream().filter(r -> r.outcome() == Outcome.FAIL).toList();
        List<ReferenceResult> errored = refs.stream().filter(r -> r.outcome() == Outcome.ERROR).toList();
        List<ReferenceResult> noted = refs.stream()
                .filter(r -> r.outcome() == Outcome.WARN || r.outcome() == Outcome.AUDIT
                        || (r.outcome() != Outcome.FAIL && r.outcome() != Outcome.ERROR
                                && r.change() != null && r.change() != ReferenceResult.Change.UNCHANGED)).toList();
        String systemOut = noted.isEmpty() ? null : noted.stream().map(JUnitWriter::note).collect(Collectors.joining("\n"));
        if (!failed.isEmpty()) {
            suite.failures++;
            List<ReferenceResult> all = new ArrayList<>(failed);
            all.addAll(errored);
            testcase(suite, file, name, systemOut, "failure", "fail", summary(all), body(all));
        } else if (!errored.isEmpty()) {
            suite.errors++;
            testcase(suite, file, name, systemOut, "error", "error", summary(errored), body(errored));
        } else if (refs.stream().allMatch(r -> r.outcome() == Outcome.SKIP)) {
            suite.skipped++;
            testcase(suite, file, name, systemOut, "skipped", null, summary(refs), null);
        } else {
            testcase(suite, file, name, systemOut, null, null, null, null);
        }
    }

    @Override
    public void problem(InputProblem problem) {
        Suite suite = suite(problem.location().file());
        suite.tests++;
        suite.errors++;
        testcase(suite, problem.location().file(), "read " + problem.location(), null, "error", "input", problem.message(),
                problem.location() + ": " + problem.message());
    }

    @Override
    public void finish(Summary summary) throws IOException {
        int tests = 0;
        int failures = 0;
        int errors = 0;
        int skipped = 0;
        for (Suite s : suites.values()) {
            tests += s.tests;
            failures += s.failures;
            errors += s.errors;
            skipped += s.skipped;
        }
        String timestamp = TIMESTAMP.format(run.startedAt().truncatedTo(ChronoUnit.SECONDS));
        out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.write("<testsuites name=\"" + Xml.attribute("image-policy-webhook " + run.command() + " " + run.policy()) + "\""
                + counts(tests, failures, errors, skipped)
                + " time=\"" + String.format(Locale.ROOT, "%.3f", summary.elapsedMillis() / 1000.0) + "\""
                + " timestamp=\"" + timestamp + "\">\n");
        for (Map.Entry<String, Suite> e : suites.entrySet()) {
            Suite s = e.getValue();
            out.write("  <testsuite name=\"" + Xml.attribute(e.getKey()) + "\"" + counts(s.tests, s.failures, s.errors, s.skipped)
                    + " timestamp=\"" + timestamp + "\">\n");
            out.write(s.cases.toString());
            out.write("  </testsuite>\n");
        }
        out.write("</testsuites>\n");
        out.flush();
    }

    private Suite suite(String file) {
        return suites.computeIfAbsent(file, f -> new Suite());
    }

    private static String counts(int tests, int failures, int errors, int skipped) {
        return " tests=\"" + tests + "\" failures=\"" + failures + "\" errors=\"" + errors + "\" skipped=\"" + skipped + "\"";
    }

    private static void testcase(Suite suite, String file, String name, String systemOut, String element, String type,
            String message, String body) {
        StringBuilder sb = suite.cases;
        sb.append("    <testcase classname=\"").append(Xml.attribute(file)).append("\" name=\"").append(Xml.attribute(name))
                .append("\" file=\"").append(Xml.attribute(file)).append("\"");
        if (element == null && systemOut == null) {
            sb.append("/>\n");
            return;
        }
        sb.append(">\n");
        if (element != null) {
            sb.append("      <").append(element).append(" message=\"").append(Xml.attribute(message)).append('"');
            if (type != null) {
                sb.append(" type=\"").append(type).append('"');
            }
            if (body == null) {
                sb.append("/>\n");
            } else {
                sb.append('>').append(Xml.text(body)).append("</").append(element).append(">\n");
            }
        }
        if (systemOut != null) {
            sb.append("      <system-out>").append(Xml.text(systemOut)).append("</system-out>\n");
        }
        sb.append("    </testcase>\n");
    }

    private static String summary(List<ReferenceResult> refs) {
        return refs.stream().map(r -> r.fieldPath() + ": " + r.message()).collect(Collectors.joining("; "));
    }

    /** One paragraph per reference: where, which image, why. */
    private static String body(List<ReferenceResult> refs) {
        return refs.stream()
                .map(r -> r.location() + ": " + r.fieldPath() + " (" + r.image() + ") " + r.outcome().word() + "\n" + change(r) + r.message())
                .collect(Collectors.joining("\n\n"));
    }

    private static String note(ReferenceResult r) {
        return r.location() + ": " + r.fieldPath() + " (" + r.image() + ") " + r.outcome().word() + ": " + change(r) + r.message();
    }

    private static String change(ReferenceResult r) {
        if (r.change() == null || r.change() == ReferenceResult.Change.UNCHANGED) {
            return "";
        }
        String was = r.previous() == null ? "" : " (was " + r.previous().outcome().word() + ")";
        return ReportText.change(r.change()) + was + ": ";
    }

}
