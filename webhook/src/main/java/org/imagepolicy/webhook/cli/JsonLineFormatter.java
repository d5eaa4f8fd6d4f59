package org.imagepolicy.webhook.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.imagepolicy.webhook.server.DecisionRecord;

/**
 * {@code --log-format json}: one JSON object per line, so Loki, Elasticsearch and Splunk read the fields without
 * parsing rules. Every line has timestamp, level, logger and message; a decision adds its fields (see
 * {@link DecisionRecord#fields()}); a failure adds the stack trace as {@code exception}. Newlines inside values are
 * escaped, so one record is always one line.
 */
final class JsonLineFormatter extends Formatter {
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public String format(LogRecord r) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("timestamp", r.getInstant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
            g.writeStringField("level", level(r.getLevel()));
            g.writeStringField("logger", r.getLoggerName() == null ? "" : r.getLoggerName());
            if (r instanceof DecisionRecord d) {
                Map<String, Object> fields = d.fields();
                g.writeStringField("message", summary(fields));
                for (Map.Entry<String, Object> f : fields.entrySet()) {
                    g.writeFieldName(f.getKey());
                    value(g, f.getValue());
                }
            } else {
                g.writeStringField("message", formatMessage(r));
            }
            if (r.getThrown() != null) {
                StringWriter trace = new StringWriter();
                r.getThrown().printStackTrace(new PrintWriter(trace));
                g.writeStringField("exception", trace.toString());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.append('\n').toString();
    }

    /** The levels log shippers recognise, rather than JUL's SEVERE and FINE. */
    static String level(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return "error";
        }
        if (v >= Level.WARNING.intValue()) {
            return "warn";
        }
        if (v >= Level.INFO.intValue()) {
            return "info";
        }
        return v >= Level.FINE.intValue() ? "debug" : "trace";
    }

    /** A one-line summary for people scanning messages; the fields carry the detail. */
    private static String summary(Map<String, Object> f) {
        Object violations = f.get("violations");
        int n = violations instanceof List<?> l ? l.size() : 0;
        String verdict = Boolean.TRUE.equals(f.get("allowed")) ? "allowed with " + f.get("enforcement") + " violations" : "denied";
        return verdict + ": " + f.get("operation") + " " + f.get("resource") + " " + f.get("namespace") + "/" + f.get("name")
                + ", " + n + (n == 1 ? " image breaks" : " images break") + " the policy";
    }

    private static void value(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof Number n) {
            g.writeNumber(n.longValue());
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                value(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object o : l) {
                value(g, o);
            }
            g.writeEndArray();
        } else {
            g.writeString(v.toString());
        }
    }
}
