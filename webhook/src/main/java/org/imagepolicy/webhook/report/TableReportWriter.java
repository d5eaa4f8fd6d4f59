package org.imagepolicy.webhook.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code table} format, for people at a terminal: the summary first, then what needs attention
 * grouped by rule (an audit: failures, errors, warnings, audits) or by change (a diff: newly denied,
 * newly allowed, reason changed), each with its object, file:line, field path, image and reason.
 * Only those entries are kept until the end, never the passing objects.
 */
public final class TableReportWriter implements ReportWriter {
    private record Entry(String object, Location location, String field, String image, String message, String before) {
    }

    private final PrintWriter out;
    private final Style style;
    private final Map<String, List<Entry>> groups = new TreeMap<>();
    private final List<InputProblem> problems = new ArrayList<>();
    private final int[] changes = new int[ReferenceResult.Change.values().length];
    private RunInfo run;

    public TableReportWriter(OutputStream out, ReportOptions options) {
        this.out = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), false);
        this.style = new Style(options.colour());
    }

    @Override
    public void start(RunInfo run) {
        this.run = run;
    }

    @Override
    public void object(ObjectResult result) {
        String object = describe(result.object());
        if (result.error() != null) {
            groups.computeIfAbsent(key(0, "objects that cannot be read"), k -> new ArrayList<>())
                    .add(new Entry(object, result.location(), "", "", result.error(), null));
        }
        for (ReferenceResult r : result.references()) {
            String group = run != null && "diff".equals(run.command()) ? diffGroup(r) : auditGroup(r);
            if (group != null) {
                groups.computeIfAbsent(group, k -> new ArrayList<>()).add(new Entry(object, r.location(), r.fieldPath(), r.image(),
                        r.message(), r.previous() == null ? null : r.previous().outcome().word() + ": " + r.previous().message()));
            }
        }
    }

    private String auditGroup(ReferenceResult r) {
        int order = switch (r.outcome()) {
            case FAIL -> 1;
            case ERROR -> 2;
            case WARN -> 3;
            case AUDIT -> 4;
            default -> -1;
        };
        return order < 0 ? null : key(order, r.outcome().name() + "  " + Causes.of(r));
    }

    private String diffGroup(ReferenceResult r) {
        if (r.change() == null) {
            return null;
        }
        changes[r.change().ordinal()]++;
        return switch (r.change()) {
            case NEWLY_DENIED -> key(1, "NEWLY DENIED");
            case NEWLY_ALLOWED -> key(2, "NEWLY ALLOWED");
            case REASON_CHANGED -> key(3, "REASON CHANGED");
            default -> null;
        };
    }

    private static String key(int order, String title) {
        return order + "\u0000" + title;
    }

    @Override
    public void problem(InputProblem problem) {
        problems.add(problem);
    }

    @Override
    public void finish(Summary s) throws IOException {
        String command = run == null ? "audit" : run.command();
        out.println(style.bold(command + " of " + (run == null ? "" : run.policy())
                + (run != null && run.oldPolicy() != null ? " against " + run.oldPolicy() + " (before)" : "")));
        out.printf(Locale.ROOT, "  files      %d read, %d did not parse%n", s.filesRead(), s.filesFailed());
        out.printf(Locale.ROOT, "  objects    %d judged, %d without images, %d of kinds not judged%s%n", s.objectsJudged(),
                s.objectsWithoutImages(), s.objectsUnsupported(), s.documentsEmpty() == 0 ? ""
                        : "; " + s.documentsEmpty() + " empty document" + (s.documentsEmpty() == 1 ? "" : "s") + " (only --- or comments)");
        StringBuilder refs = new StringBuilder();
        for (Outcome o : Outcome.values()) {
            int n = s.references().getOrDefault(o, 0);
            refs.append(refs.length() == 0 ? "" : ", ").append(n == 0 || o == Outcome.PASS || o == Outcome.SKIP ? n + " " + o.word()
                    : style.outcome(o, n + " " + o.word()));
        }
        out.println("  references " + refs);
        if ("diff".equals(command)) {
            out.printf(Locale.ROOT, "  changes    %d newly denied, %d newly allowed, %d reason changed%n",
                    changes[ReferenceResult.Change.NEWLY_DENIED.ordinal()], changes[ReferenceResult.Change.NEWLY_ALLOWED.ordinal()],
                    changes[ReferenceResult.Change.REASON_CHANGED.ordinal()]);
        }
        out.printf(Locale.ROOT, "  lookups    %d images resolved; %.1f s%n", s.imagesResolved(), s.elapsedMillis() / 1000.0);
        if (!problems.isEmpty()) {
            out.println();
            out.println(style.bold("INPUT PROBLEMS (" + problems.size() + ")"));
            for (InputProblem p : problems) {
                out.println("  " + p.location() + ": " + p.message());
            }
        }
        for (Map.Entry<String, List<Entry>> g : groups.entrySet()) {
            String title = g.getKey().substring(g.getKey().indexOf('\u0000') + 1);
            out.println();
            out.println(style.heading(title, g.getValue().size()));
            for (Entry e : g.getValue()) {
                out.println("  " + e.object + "  " + e.field + (e.image.isEmpty() ? "" : "  " + e.image));
                out.println("    " + style.dim(e.location.toString()));
                if (e.before != null) {
                    out.println("    before: " + e.before);
                }
                out.println("    " + e.message);
            }
        }
        out.flush();
    }

    private static String describe(ObjectRef o) {
        String ns = o.namespace() == null || o.namespace().isEmpty() ? "" : o.namespace() + "/";
        return o.kind() + " " + ns + (o.name() == null ? "(unnamed)" : o.name());
    }

    /** ANSI styling, or none when the destination is not a terminal. */
    private record Style(boolean on) {
        String bold(String s) {
            return on ? "\u001b[1m" + s + "\u001b[0m" : s;
        }

        String dim(String s) {
            return on ? "\u001b[2m" + s + "\u001b[0m" : s;
        }

        String outcome(Outcome o, String s) {
            if (!on) {
                return s;
            }
            String code = switch (o) {
                case FAIL -> "31";
                case ERROR -> "35";
                case WARN -> "33";
                case AUDIT -> "36";
                default -> "0";
            };
            return "\u001b[" + code + "m" + s + "\u001b[0m";
        }

        String heading(String title, int count) {
            String text = title + " (" + count + ")";
            if (!on) {
                return text;
            }
            String code = title.startsWith("FAIL") || title.startsWith("NEWLY DENIED") ? "1;31"
                    : title.startsWith("ERROR") ? "1;35" : title.startsWith("WARN") ? "1;33" : "1";
            return "\u001b[" + code + "m" + text + "\u001b[0m";
        }
    }
}
