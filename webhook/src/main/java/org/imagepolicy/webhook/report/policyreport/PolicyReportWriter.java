package org.imagepolicy.webhook.report.policyreport;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.imagepolicy.webhook.report.InputProblem;
import org.imagepolicy.webhook.report.ObjectRef;
import org.imagepolicy.webhook.report.ObjectResult;
import org.imagepolicy.webhook.report.Outcome;
import org.imagepolicy.webhook.report.ReferenceResult;
import org.imagepolicy.webhook.report.ReportText;
import org.imagepolicy.webhook.report.ReportWriter;
import org.imagepolicy.webhook.report.RuleInfo;
import org.imagepolicy.webhook.report.RunInfo;
import org.imagepolicy.webhook.report.Summary;

/**
 * One PolicyReport per namespace and one cluster-scoped report, as multi-document YAML that
 * {@code kubectl apply -f} takes. Multi-document rather than a {@code List}: kubectl, kustomize, Argo CD
 * and Flux all read it, and each report stays a separate, diffable document.
 *
 * <p>Objects whose manifest names no namespace go to the cluster-scoped report: the namespace they would
 * land in depends on where they are applied, which the report cannot know. Input problems and objects
 * that could not be judged are {@code error} results, so nothing is dropped; an {@code audit} outcome is a
 * {@code fail} of severity {@code low} (as Kyverno reports its Audit-mode policies), with
 * {@code properties.outcome: audit}. Only the rendered results are kept, not the objects.
 */
public final class PolicyReportWriter implements ReportWriter {
    /** The policy named by results that no single rule decided (no allow rule matched, an unreadable input). */
    static final String WHOLE_POLICY = "image-policy";
    private static final String CATEGORY = "Image Policy";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Writer out;
    private final PolicyReportOptions options;
    private final Map<String, List<ObjectNode>> byNamespace = new TreeMap<>();
    private final List<ObjectNode> cluster = new ArrayList<>();
    private final Map<String, RuleInfo> rules = new HashMap<>();
    private ObjectNode timestamp;

    public PolicyReportWriter(Writer out, PolicyReportOptions options) {
        this.out = Objects.requireNonNull(out, "out");
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public void start(RunInfo run) {
        for (RuleInfo rule : run.rules()) {
            rules.putIfAbsent(rule.name(), rule);
        }
        timestamp = NODES.objectNode();
        timestamp.put("seconds", run.startedAt().getEpochSecond());
        timestamp.put("nanos", run.startedAt().getNano());
    }

    @Override
    public void object(ObjectResult result) {
        List<ObjectNode> target = reportFor(result.object());
        if (result.error() != null) {
            ObjectNode r = result(WHOLE_POLICY, null, "error", "high", result.error());
            r.set("resources", NODES.arrayNode().add(resource(result.object())));
            ObjectNode props = NODES.objectNode();
            props.put("location", result.location().toString());
            r.set("properties", props);
            target.add(r);
        }
        for (ReferenceResult ref : result.references()) {
            if (ref.outcome() == Outcome.PASS && !options.includePasses()) {
                continue;
            }
            target.add(referenceResult(result, ref));
        }
    }

    @Override
    public void problem(InputProblem problem) {
        ObjectNode r = result(WHOLE_POLICY, "read-input", "error", "high", problem.message());
        ObjectNode props = NODES.objectNode();
        props.put("location", problem.location().toString());
        r.set("properties", props);
        cluster.add(r);
    }

    @Override
    public void finish(Summary summary) throws IOException {
        YAMLMapper yaml = new YAMLMapper(YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.SPLIT_LINES)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .build());
        for (Map.Entry<String, List<ObjectNode>> e : byNamespace.entrySet()) {
            out.write(yaml.writeValueAsString(report(options.api().namespacedKind(), e.getKey(), e.getValue())));
        }
        out.write(yaml.writeValueAsString(report(options.api().clusterKind(), null, cluster)));
        out.flush();
    }

    private List<ObjectNode> reportFor(ObjectRef object) {
        String ns = object.namespace();
        return ns == null || ns.isEmpty() ? cluster : byNamespace.computeIfAbsent(ns, k -> new ArrayList<>());
    }

    private ObjectNode referenceResult(ObjectResult object, ReferenceResult ref) {
        RuleInfo rule = ref.rule() == null ? null : rules.get(ref.rule());
        ObjectNode r = result(ref.rule() == null ? WHOLE_POLICY : ref.rule(), ref.rule(), resultWord(ref.outcome()),
                severity(rule, ref.outcome()), ref.message());
        r.set("resources", NODES.arrayNode().add(resource(object.object())));
        ObjectNode props = NODES.objectNode();
        props.put("image", ref.image());
        if (ref.container() != null) {
            props.put("container", ref.container());
        }
        props.put("fieldPath", ref.fieldPath());
        props.put("location", ref.location().toString());
        if (rule != null) {
            props.put("enforcement", rule.enforcement());
        }
        if (ref.outcome() == Outcome.AUDIT) {
            props.put("outcome", ref.outcome().word());
        }
        if (object.operation() != null && !"CREATE".equals(object.operation())) {
            props.put("operation", object.operation());
        }
        if (ref.change() != null) {
            props.put("change", ReportText.change(ref.change()));
            if (ref.previous() != null) {
                props.put("previousOutcome", ref.previous().outcome().word());
                if (ref.previous().rule() != null) {
                    props.put("previousRule", ref.previous().rule());
                }
                props.put("previousMessage", ref.previous().message());
            }
        }
        r.set("properties", props);
        return r;
    }

    private ObjectNode result(String policy, String rule, String result, String severity, String message) {
        ObjectNode r = NODES.objectNode();
        r.put("source", options.source());
        r.put("policy", policy);
        if (rule != null) {
            r.put("rule", rule);
        }
        r.put("category", CATEGORY);
        r.put("severity", severity);
        r.put("result", result);
        r.put("scored", true);
        r.put("message", message);
        r.set("timestamp", timestamp);
        return r;
    }

    private static ObjectNode resource(ObjectRef ref) {
        ObjectNode o = NODES.objectNode();
        putIfPresent(o, "apiVersion", ref.apiVersion());
        putIfPresent(o, "kind", ref.kind());
        putIfPresent(o, "namespace", ref.namespace());
        putIfPresent(o, "name", ref.name());
        putIfPresent(o, "uid", ref.uid());
        return o;
    }

    private static void putIfPresent(ObjectNode o, String field, String value) {
        if (value != null && !value.isEmpty()) {
            o.put(field, value);
        }
    }

    private ObjectNode report(String kind, String namespace, List<ObjectNode> results) {
        ObjectNode doc = NODES.objectNode();
        doc.put("apiVersion", options.api().apiVersion());
        doc.put("kind", kind);
        ObjectNode meta = doc.putObject("metadata");
        meta.put("name", options.reportName());
        if (namespace != null) {
            meta.put("namespace", namespace);
        }
        meta.putObject("labels").put("app.kubernetes.io/managed-by", options.source());
        if (options.api() == ReportApi.OPENREPORTS) {
            doc.put("source", options.source());
        }
        // Every summary key present, in the schema's order, zero when none.
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String k : List.of("pass", "fail", "warn", "error", "skip")) {
            counts.put(k, 0);
        }
        ArrayNode list = doc.putArray("results");
        for (ObjectNode r : results) {
            list.add(r);
            counts.merge(r.get("result").asText(), 1, Integer::sum);
        }
        ObjectNode summary = doc.putObject("summary");
        counts.forEach(summary::put);
        return doc;
    }

    static String resultWord(Outcome outcome) {
        return switch (outcome) {
            case PASS -> "pass";
            case FAIL, AUDIT -> "fail";
            case WARN -> "warn";
            case ERROR -> "error";
            case SKIP -> "skip";
        };
    }

    /**
     * By the deciding rule's enforcement: what it would cost if the result were a failure. With no rule,
     * a failure or error is the policy's default deny ({@code high}); a pass or skip is {@code info}.
     */
    static String severity(RuleInfo rule, Outcome outcome) {
        if (rule == null) {
            return outcome == Outcome.PASS || outcome == Outcome.SKIP ? "info" : "high";
        }
        return switch (rule.enforcement() == null ? "Deny" : rule.enforcement()) {
            case "Warn" -> "medium";
            case "Audit" -> "low";
            default -> "high";
        };
    }
}
