package org.imagepolicy.webhook.server;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.imagepolicy.webhook.admission.Decision;
import org.imagepolicy.webhook.admission.Violation;
import org.imagepolicy.webhook.policy.Enforcement;

/**
 * A decision as a log record: the text line people read, and the same facts as named fields for a JSON
 * formatter. Holds copies of the few request fields it reports, never the request's object tree.
 */
public final class DecisionRecord extends LogRecord {
    private static final long serialVersionUID = 1L;

    private final transient Map<String, Object> fields;

    DecisionRecord(String logger, Instant at, Request request, Decision decision, long nanos) {
        super(Level.INFO, text(request, decision));
        setLoggerName(logger);
        setInstant(at);
        this.fields = fields(request, decision, nanos);
    }

    /** The request fields a decision line reports, copied off the request so the queue holds no object trees. */
    record Request(String uid, String operation, String resource, String kind, String namespace, String name, boolean dryRun) {
    }

    /** In order: uid, operation, kind, resource, namespace, name, dryRun, allowed, enforcement, violations, duration_ms. */
    public Map<String, Object> fields() {
        return fields;
    }

    private static String text(Request in, Decision decision) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("decision=").append(decision.outcome().name().toLowerCase(Locale.ROOT))
                .append(" uid=").append(in.uid())
                .append(" operation=").append(in.operation())
                .append(" resource=").append(in.resource())
                .append(" namespace=").append(in.namespace())
                .append(" name=").append(in.name())
                .append(" dryRun=").append(in.dryRun());
        for (Violation v : decision.violations()) {
            sb.append("\n  ").append(v.enforcement()).append(' ').append(v.field().path()).append(": ").append(v.reason());
        }
        return sb.toString();
    }

    private static Map<String, Object> fields(Request in, Decision decision, long nanos) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("uid", in.uid());
        f.put("operation", in.operation());
        f.put("kind", in.kind());
        f.put("resource", in.resource());
        f.put("namespace", in.namespace());
        f.put("name", in.name());
        f.put("dryRun", in.dryRun());
        f.put("allowed", decision.allowed());
        Enforcement strongest = null;
        List<Map<String, Object>> violations = new ArrayList<>(decision.violations().size());
        for (Violation v : decision.violations()) {
            strongest = strongest == null ? v.enforcement() : Enforcement.strongest(strongest, v.enforcement());
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("field", v.field().path());
            one.put("image", v.field().name());
            one.put("rule", v.rule());
            one.put("enforcement", v.enforcement().name());
            one.put("reason", v.reason());
            violations.add(one);
        }
        f.put("enforcement", strongest == null ? null : strongest.name());
        f.put("violations", violations);
        f.put("duration_ms", Math.round(nanos / 1_000.0) / 1_000.0);
        return f;
    }
}
