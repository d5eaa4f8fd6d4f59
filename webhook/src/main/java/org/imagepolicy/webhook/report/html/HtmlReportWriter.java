package org.imagepolicy.webhook.report.html;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.imagepolicy.webhook.image.ImageReference;
import org.imagepolicy.webhook.report.InputProblem;
import org.imagepolicy.webhook.report.Location;
import org.imagepolicy.webhook.report.ObjectResult;
import org.imagepolicy.webhook.report.Outcome;
import org.imagepolicy.webhook.report.ReferenceResult;
import org.imagepolicy.webhook.report.ReferenceResult.Change;
import org.imagepolicy.webhook.report.ReportText;
import org.imagepolicy.webhook.report.ReportWriter;
import org.imagepolicy.webhook.report.RunInfo;
import org.imagepolicy.webhook.report.Summary;

/**
 * One self-contained HTML page: totals, violations by rule and by registry as inline SVG bars, the top
 * offending images, and a table of violations that sorts and filters in the browser. Nothing is loaded
 * from anywhere: the style and script are inline, and a Content-Security-Policy allows exactly those two
 * (by hash) and nothing else, so even text that escaped escaping could neither run nor fetch.
 *
 * <p>Keeps the violations (fail, error, warn, audit; in a diff, the changed references) up to
 * {@link HtmlOptions#maxRows()} and counts per rule, registry and image, never the objects.
 */
public final class HtmlReportWriter implements ReportWriter {
    private static final String CSS = resource("report.css");
    private static final String JS = resource("report.js");
    private static final List<Outcome> VIOLATIONS = List.of(Outcome.FAIL, Outcome.ERROR, Outcome.WARN, Outcome.AUDIT);
    private static final int TOP = 10;

    private final Writer out;
    private final HtmlOptions options;
    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Map<Outcome, Integer>> byRule = new HashMap<>();
    private final Map<String, Map<Outcome, Integer>> byRegistry = new HashMap<>();
    private final Map<String, Integer> byImage = new HashMap<>();
    private final Map<String, Set<String>> objectsByImage = new HashMap<>();
    private final Map<Change, Integer> changes = new EnumMap<>(Change.class);
    private final List<InputProblem> problems = new ArrayList<>();
    private final List<Row> objectErrors = new ArrayList<>();
    private int violations;
    private int problemsLeftOut;
    private RunInfo run;
    private boolean diff;

    private record Row(Outcome outcome, String rule, String image, String object, Location location, String field,
            String reason, Change change) {
    }

    public HtmlReportWriter(Writer out, HtmlOptions options) {
        this.out = Objects.requireNonNull(out, "out");
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public void start(RunInfo run) {
        this.run = run;
        this.diff = "diff".equals(run.command());
    }

    @Override
    public void object(ObjectResult object) {
        String label = ReportText.object(object.object());
        if (object.error() != null && objectErrors.size() < options.maxRows()) {
            objectErrors.add(new Row(Outcome.ERROR, "", "", label, object.location(), "", object.error(), null));
        }
        for (ReferenceResult ref : object.references()) {
            if (ref.change() != null) {
                changes.merge(ref.change(), 1, Integer::sum);
            }
            boolean shown = diff ? ref.change() != null && ref.change() != Change.UNCHANGED : VIOLATIONS.contains(ref.outcome());
            if (!shown) {
                continue;
            }
            violations++;
            String rule = ref.rule() == null ? "(no rule: default deny)" : ref.rule();
            if (VIOLATIONS.contains(ref.outcome())) {
                byRule.computeIfAbsent(rule, k -> new EnumMap<>(Outcome.class)).merge(ref.outcome(), 1, Integer::sum);
                byRegistry.computeIfAbsent(registry(ref.image()), k -> new EnumMap<>(Outcome.class)).merge(ref.outcome(), 1, Integer::sum);
                byImage.merge(ref.image(), 1, Integer::sum);
                objectsByImage.computeIfAbsent(ref.image(), k -> new HashSet<>()).add(label);
            }
            if (rows.size() < options.maxRows()) {
                rows.add(new Row(ref.outcome(), rule, ref.image(), label, ref.location(), ref.fieldPath(), ref.message(), ref.change()));
            }
        }
    }

    @Override
    public void problem(InputProblem problem) {
        if (problems.size() < options.maxRows()) {
            problems.add(problem);
        } else {
            problemsLeftOut++;
        }
    }

    @Override
    public void finish(Summary summary) throws IOException {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        h.append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src '")
                .append(sha256(CSS)).append("'; script-src '").append(sha256(JS))
                .append("'; img-src 'none'; font-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'\">\n");
        h.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        h.append("<title>").append(Html.escape(options.title())).append("</title>\n");
        h.append("<style>").append(CSS).append("</style>\n</head>\n<body>\n");
        header(h);
        h.append("<main>\n");
        totals(h, summary);
        charts(h);
        topImages(h);
        inputProblems(h);
        table(h);
        h.append("</main>\n<script>").append(JS).append("</script>\n</body>\n</html>\n");
        out.write(h.toString());
        out.flush();
    }

    private void header(StringBuilder h) {
        h.append("<header>\n<h1>").append(Html.escape(options.title())).append("</h1>\n<p>");
        if (diff) {
            h.append("<code>diff</code> of policy ").append(Html.escape(run.oldPolicy())).append(" against ")
                    .append(Html.escape(run.policy()));
        } else {
            h.append("<code>").append(Html.escape(run.command())).append("</code> with policy ").append(Html.escape(run.policy()));
        }
        h.append(" · ").append(Html.escape(run.startedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()))
                .append(" · ").append(Html.escape(run.toolVersion())).append("</p>\n</header>\n");
    }

    private void totals(StringBuilder h, Summary s) {
        h.append("<section id=\"totals\">\n<h2>Totals</h2>\n<div class=\"cards\">\n");
        if (diff) {
            card(h, "fail", changes.getOrDefault(Change.NEWLY_DENIED, 0), "newly denied", "newly-denied");
            card(h, "pass", changes.getOrDefault(Change.NEWLY_ALLOWED, 0), "newly allowed", "newly-allowed");
            card(h, "warn", changes.getOrDefault(Change.REASON_CHANGED, 0), "reason changed", "reason-changed");
            card(h, "", changes.getOrDefault(Change.UNCHANGED, 0), "unchanged", "unchanged");
        }
        card(h, "fail", s.references().getOrDefault(Outcome.FAIL, 0), "denied (fail)", "fail");
        card(h, "error", s.references().getOrDefault(Outcome.ERROR, 0), "not evaluated (error)", "error");
        card(h, "warn", s.references().getOrDefault(Outcome.WARN, 0), "warned", "warn");
        card(h, "audit", s.references().getOrDefault(Outcome.AUDIT, 0), "audited", "audit");
        card(h, "pass", s.references().getOrDefault(Outcome.PASS, 0), "allowed (pass)", "pass");
        card(h, "skip", s.references().getOrDefault(Outcome.SKIP, 0), "skipped", "skip");
        card(h, "", s.objectsJudged(), "objects judged", "objects-judged");
        card(h, "", s.objectsWithoutImages() + s.objectsUnsupported(), "objects without images or unsupported", "objects-other");
        card(h, "", s.filesRead(), "files read", "files-read");
        card(h, s.filesFailed() > 0 ? "fail" : "", s.filesFailed(), "files unreadable", "files-failed");
        h.append("</div>\n</section>\n");
    }

    private static void card(StringBuilder h, String css, int n, String label, String id) {
        h.append("<div class=\"card ").append(css).append("\" data-total=\"").append(id).append("\"><span class=\"n\">")
                .append(n).append("</span><span class=\"l\">").append(Html.escape(label)).append("</span></div>\n");
    }

    private void charts(StringBuilder h) {
        h.append("<section id=\"charts\">\n<h2>Violations</h2>\n");
        if (byRule.isEmpty()) {
            h.append("<p class=\"none\">No reference was denied, warned, audited or left unevaluated.</p>\n</section>\n");
            return;
        }
        h.append("<p class=\"legend\">");
        for (Outcome o : VIOLATIONS) {
            h.append("<span class=\"").append(o.word()).append("\"><i></i>").append(o.word()).append("</span>");
        }
        h.append("</p>\n<div class=\"charts\">\n");
        bars(h, "by-rule", "By rule", byRule);
        bars(h, "by-registry", "By registry", byRegistry);
        h.append("</div>\n</section>\n");
    }

    /** Horizontal stacked bars, largest first; the label's full text is in the SVG title for long names. */
    private static void bars(StringBuilder h, String id, String title, Map<String, Map<Outcome, Integer>> counts) {
        List<Map.Entry<String, Map<Outcome, Integer>>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Comparator.<Map.Entry<String, Map<Outcome, Integer>>>comparingInt(e -> -total(e.getValue()))
                .thenComparing(Map.Entry::getKey));
        List<Map.Entry<String, Map<Outcome, Integer>>> shown = sorted.subList(0, Math.min(TOP, sorted.size()));
        int max = total(shown.get(0).getValue());
        int labelWidth = 210;
        int barWidth = 260;
        int rowHeight = 24;
        int height = shown.size() * rowHeight + 4;
        h.append("<div class=\"panel\" id=\"").append(id).append("\">\n<h3>").append(title).append("</h3>\n");
        h.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"").append(labelWidth + barWidth + 50)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(labelWidth + barWidth + 50).append(' ')
                .append(height).append("\">\n<title>Violations ").append(title.toLowerCase(Locale.ROOT)).append("</title>\n");
        int y = 2;
        for (Map.Entry<String, Map<Outcome, Integer>> e : shown) {
            String name = e.getKey();
            String label = name.length() > 30 ? name.substring(0, 29) + "…" : name;
            int total = total(e.getValue());
            h.append("<g class=\"bar\" data-label=\"").append(Html.escape(name)).append("\" data-count=\"").append(total).append("\">")
                    .append("<title>").append(Html.escape(name)).append(": ").append(total).append("</title>");
            h.append("<text x=\"").append(labelWidth - 8).append("\" y=\"").append(y + 16).append("\" text-anchor=\"end\">")
                    .append(Html.escape(label)).append("</text>");
            int x = labelWidth;
            for (Outcome o : VIOLATIONS) {
                int n = e.getValue().getOrDefault(o, 0);
                if (n == 0) {
                    continue;
                }
                int w = Math.max(2, Math.round((float) barWidth * n / max));
                h.append("<rect class=\"f-").append(o.word()).append("\" x=\"").append(x).append("\" y=\"").append(y + 3)
                        .append("\" width=\"").append(w).append("\" height=\"").append(rowHeight - 8).append("\" rx=\"2\"/>");
                x += w;
            }
            h.append("<text x=\"").append(x + 6).append("\" y=\"").append(y + 16).append("\">").append(total).append("</text></g>\n");
            y += rowHeight;
        }
        h.append("</svg>\n");
        if (sorted.size() > shown.size()) {
            h.append("<p class=\"muted\">and ").append(sorted.size() - shown.size()).append(" more</p>\n");
        }
        h.append("</div>\n");
    }

    private static int total(Map<Outcome, Integer> m) {
        return m.values().stream().mapToInt(Integer::intValue).sum();
    }

    private void topImages(StringBuilder h) {
        if (byImage.isEmpty()) {
            return;
        }
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(byImage.entrySet());
        sorted.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry::getKey));
        h.append("<section id=\"top-images\">\n<h2>Top offending images</h2>\n<table>\n<thead><tr><th>Image</th>")
                .append("<th>Violations</th><th>Objects</th></tr></thead>\n<tbody>\n");
        for (Map.Entry<String, Integer> e : sorted.subList(0, Math.min(TOP, sorted.size()))) {
            h.append("<tr><td class=\"img\">").append(Html.escape(e.getKey())).append("</td><td>").append(e.getValue())
                    .append("</td><td>").append(objectsByImage.get(e.getKey()).size()).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }

    private void inputProblems(StringBuilder h) {
        if (problems.isEmpty() && objectErrors.isEmpty()) {
            return;
        }
        h.append("<section id=\"input-problems\">\n<h2>Not judged: unreadable input</h2>\n<ul class=\"problems\">\n");
        for (InputProblem p : problems) {
            h.append("<li><code>").append(Html.escape(p.location().toString())).append("</code> ").append(Html.escape(p.message()))
                    .append("</li>\n");
        }
        for (Row r : objectErrors) {
            h.append("<li><code>").append(Html.escape(r.location().toString())).append("</code> ").append(Html.escape(r.object()))
                    .append(": ").append(Html.escape(r.reason())).append("</li>\n");
        }
        if (problemsLeftOut > 0) {
            h.append("<li>and ").append(problemsLeftOut).append(" more</li>\n");
        }
        h.append("</ul>\n</section>\n");
    }

    private void table(StringBuilder h) {
        h.append("<section id=\"details\">\n<h2>").append(diff ? "Changed verdicts" : "All violations").append("</h2>\n");
        if (rows.isEmpty()) {
            h.append("<p class=\"none\">Nothing to list.</p>\n</section>\n");
            return;
        }
        h.append("<div class=\"controls\"><input id=\"q\" type=\"search\" placeholder=\"Filter: image, object, rule, file, reason\" ")
                .append("aria-label=\"Filter\"><select id=\"outcome\" aria-label=\"Outcome\"><option value=\"\">every outcome</option>");
        for (Outcome o : Outcome.values()) {
            h.append("<option value=\"").append(o.word()).append("\">").append(o.word()).append("</option>");
        }
        h.append("</select><span class=\"muted\"><span id=\"shown\">").append(rows.size()).append("</span> of ")
                .append(violations).append(" shown</span></div>\n");
        if (violations > rows.size()) {
            h.append("<p class=\"muted\" id=\"left-out\">The table lists the first ").append(rows.size()).append(" of ")
                    .append(violations).append("; the totals and charts count all of them.</p>\n");
        }
        h.append("<table id=\"violations\">\n<thead><tr>");
        for (String[] c : new String[][] {{"outcome", "Outcome"}, {"rule", "Rule"}, {"image", "Image"}, {"object", "Object"},
                {"location", "File:line"}, {"field", "Field"}, {"reason", "Reason"}}) {
            h.append("<th data-column=\"").append(c[0]).append("\"><button type=\"button\">").append(c[1]).append("</button></th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        for (Row r : rows) {
            String word = r.outcome().word();
            h.append("<tr data-outcome=\"").append(word).append("\">");
            h.append("<td data-key=\"").append(rank(r.outcome())).append("\"><span class=\"badge ").append(word).append("\">")
                    .append(word).append("</span>");
            if (r.change() != null && r.change() != Change.UNCHANGED) {
                h.append(" <span class=\"muted\">").append(ReportText.change(r.change())).append("</span>");
            }
            h.append("</td><td>").append(Html.escape(r.rule())).append("</td><td class=\"img\">").append(Html.escape(r.image()))
                    .append("</td><td>").append(Html.escape(r.object())).append("</td><td class=\"loc\" data-key=\"")
                    .append(Html.escape(locationKey(r.location()))).append("\">").append(Html.escape(r.location().toString()))
                    .append("</td><td class=\"field\">").append(Html.escape(r.field())).append("</td><td class=\"reason\">")
                    .append(Html.escape(r.reason())).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }

    /** Sorts outcomes by gravity rather than alphabetically. */
    private static int rank(Outcome o) {
        return switch (o) {
            case FAIL -> 1;
            case ERROR -> 2;
            case WARN -> 3;
            case AUDIT -> 4;
            case PASS -> 5;
            case SKIP -> 6;
        };
    }

    /** File, then line and column as numbers (the script compares digits numerically). */
    private static String locationKey(Location l) {
        return l.file() + " " + l.line() + " " + l.column();
    }

    static String registry(String image) {
        try {
            String key = ImageReference.parse(image).registryKey();
            return key.isEmpty() ? "(no registry named)" : key;
        } catch (RuntimeException e) {
            return "(not a valid reference)";
        }
    }

    private static String sha256(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReportWriter.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
