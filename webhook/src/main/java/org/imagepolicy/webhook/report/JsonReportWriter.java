package org.imagepolicy.webhook.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code json} format, streamed: {@code results} is written as objects arrive; problems (few) and the
 * summary at the end. Field names and order are stable and documented in the README ("JSON format");
 * a field that does not apply is {@code null}, never left out, so consumers need no guessing.
 */
public final class JsonReportWriter implements ReportWriter {
    /** Changes only when a field's meaning changes; added fields do not change it. */
    public static final String FORMAT = "image-policy-webhook.report/v1";

    private final JsonGenerator g;
    private final List<InputProblem> problems = new ArrayList<>();

    public JsonReportWriter(OutputStream out) throws IOException {
        this.g = new JsonFactory().createGenerator(out).setPrettyPrinter(new DefaultPrettyPrinter());
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    @Override
    public void start(RunInfo run) throws IOException {
        g.writeStartObject();
        g.writeStringField("format", FORMAT);
        g.writeStringField("command", run.command());
        g.writeStringField("policy", run.policy());
        g.writeStringField("oldPolicy", run.oldPolicy());
        g.writeStringField("tool", run.toolVersion());
        g.writeStringField("startedAt", run.startedAt() == null ? null : run.startedAt().toString());
        g.writeArrayFieldStart("rules");
        for (RuleInfo r : run.rules()) {
            g.writeStartObject();
            g.writeStringField("name", r.name());
            g.writeStringField("kind", r.kind());
            g.writeStringField("enforcement", r.enforcement());
            g.writeStringField("description", r.description());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("results");
    }

    @Override
    public void object(ObjectResult result) throws IOException {
        g.writeStartObject();
        location(result.location());
        ObjectRef o = result.object();
        g.writeStringField("apiVersion", o.apiVersion());
        g.writeStringField("kind", o.kind());
        g.writeStringField("namespace", o.namespace());
        g.writeStringField("name", o.name());
        g.writeStringField("operation", result.operation());
        g.writeStringField("error", result.error());
        g.writeArrayFieldStart("references");
        for (ReferenceResult r : result.references()) {
            g.writeStartObject();
            g.writeStringField("field", r.fieldPath());
            g.writeStringField("container", r.container());
            g.writeStringField("image", r.image());
            location(r.location());
            verdict(r);
            g.writeStringField("change", r.change() == null ? null : r.change().name().toLowerCase(java.util.Locale.ROOT));
            if (r.previous() == null) {
                g.writeNullField("previous");
            } else {
                g.writeObjectFieldStart("previous");
                verdict(r.previous());
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void verdict(ReferenceResult r) throws IOException {
        g.writeStringField("outcome", r.outcome().word());
        g.writeStringField("rule", r.rule());
        g.writeStringField("message", r.message());
    }

    private void location(Location l) throws IOException {
        g.writeStringField("file", l.file());
        g.writeNumberField("line", l.line());
        g.writeNumberField("column", l.column());
    }

    @Override
    public void problem(InputProblem problem) throws IOException {
        problems.add(problem);
    }

    @Override
    public void finish(Summary s) throws IOException {
        g.writeEndArray();
        g.writeArrayFieldStart("problems");
        for (InputProblem p : problems) {
            g.writeStartObject();
            location(p.location());
            g.writeStringField("message", p.message());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeObjectFieldStart("summary");
        g.writeNumberField("filesRead", s.filesRead());
        g.writeNumberField("filesFailed", s.filesFailed());
        g.writeNumberField("objectsJudged", s.objectsJudged());
        g.writeNumberField("objectsWithoutImages", s.objectsWithoutImages());
        g.writeNumberField("objectsUnsupported", s.objectsUnsupported());
        g.writeNumberField("documentsEmpty", s.documentsEmpty());
        g.writeNumberField("problems", problems.size());
        g.writeObjectFieldStart("references");
        for (Outcome o : Outcome.values()) {
            g.writeNumberField(o.word(), s.references().getOrDefault(o, 0));
        }
        g.writeEndObject();
        g.writeNumberField("imagesResolved", s.imagesResolved());
        g.writeNumberField("elapsedMillis", s.elapsedMillis());
        g.writeEndObject();
        g.writeEndObject();
        g.writeRaw('\n');
        g.flush();
    }
}
