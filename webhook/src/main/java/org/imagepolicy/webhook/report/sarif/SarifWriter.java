package org.imagepolicy.webhook.report.sarif;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.imagepolicy.webhook.report.InputProblem;
import org.imagepolicy.webhook.report.Location;
import org.imagepolicy.webhook.report.ObjectRef;
import org.imagepolicy.webhook.report.ObjectResult;
import org.imagepolicy.webhook.report.Outcome;
import org.imagepolicy.webhook.report.ReferenceResult;
import org.imagepolicy.webhook.report.ReferenceResult.Change;
import org.imagepolicy.webhook.report.ReportText;
import org.imagepolicy.webhook.report.ReportWriter;
import org.imagepolicy.webhook.report.RuleInfo;
import org.imagepolicy.webhook.report.RunInfo;
import org.imagepolicy.webhook.report.Summary;

/**
 * SARIF 2.1.0 for GitHub code scanning: one reporting rule per policy rule, one result per reference that
 * is not a pass (in a diff: per reference whose verdict changed), located at the {@code image:} value.
 *
 * <p>GitHub matches alerts across runs by rule id, file path and fingerprint, so the rule id is the policy
 * rule's name, paths stay as the user gave them (relative to the repository root), and
 * {@code partialFingerprints} hashes rule, file, object and field but not the line: moving a manifest's
 * lines keeps its alerts. Only what is rendered is kept: the non-passing references, not the objects.
 */
public final class SarifWriter implements ReportWriter {
    static final String SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
    static final String TOOL = "image-policy-webhook";
    /** Results no single rule decided: no allow rule matched, an image that does not parse. */
    static final String POLICY_RULE = TOOL + "/policy";
    /** Input that could not be read or an object that could not be judged. */
    static final String INPUT_RULE = TOOL + "/input";
    static final String FINGERPRINT = "imagePolicyFinding/v1";
    private static final Pattern SEMVER = Pattern.compile("\\d+\\.\\d+\\.\\d+(?:[-+][0-9A-Za-z.+-]*)?");

    private final Writer out;
    private final SarifOptions options;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Map<String, RuleInfo> rules = new LinkedHashMap<>();
    private final List<ObjectNode> results = new ArrayList<>();
    private RunInfo run;
    private boolean diff;

    public SarifWriter(Writer out, SarifOptions options) {
        this.out = Objects.requireNonNull(out, "out");
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public void start(RunInfo run) {
        this.run = run;
        this.diff = "diff".equals(run.command());
        for (RuleInfo rule : run.rules()) {
            rules.putIfAbsent(rule.name(), rule);
        }
        rules.putIfAbsent(POLICY_RULE, new RuleInfo(POLICY_RULE, "policy", "Deny",
                "The policy as a whole: no allow rule matched the image, or the reference could not be parsed or evaluated",
                "use an image one of the policy's allow rules matches, written in full (registry/repository:tag or @sha256:...), "
                        + "or ask the policy owners for a rule that allows it"));
        rules.putIfAbsent(INPUT_RULE, new RuleInfo(INPUT_RULE, "input", "Deny",
                "A file, document or object that could not be read or judged, so its images were not checked",
                "fix the manifest at the reported line (it must parse as YAML or JSON and hold a Kubernetes object) and run the audit again"));
    }

    @Override
    public void object(ObjectResult object) {
        if (object.error() != null) {
            ObjectNode r = result(INPUT_RULE, "error", ReportText.object(object.object()) + ": " + object.error(), object.location(), object.location());
            logical(r, object.object());
            fingerprint(r, INPUT_RULE, object.location().file(), ReportText.object(object.object()), "");
        }
        for (ReferenceResult ref : object.references()) {
            if (!reported(ref)) {
                continue;
            }
            String ruleId = ref.rule() == null || !rules.containsKey(ref.rule()) ? POLICY_RULE : ref.rule();
            String text = ReportText.object(object.object()) + ", " + ref.fieldPath() + ": " + changePrefix(ref) + ref.message();
            ObjectNode r = result(ruleId, level(ref), text, ref.location(), object.location());
            logical(r, object.object());
            fingerprint(r, ruleId, ref.location().file(), ReportText.object(object.object()), ref.fieldPath());
            ObjectNode props = r.putObject("properties");
            props.put("image", ref.image());
            if (ref.container() != null) {
                props.put("container", ref.container());
            }
            props.put("fieldPath", ref.fieldPath());
            props.put("outcome", ref.outcome().word());
            if (ref.rule() != null && !ref.rule().equals(ruleId)) {
                props.put("rule", ref.rule()); // a rule the run did not describe: keep its name
            }
            if (ref.change() != null) {
                props.put("change", ReportText.change(ref.change()));
                if (ref.previous() != null) {
                    props.put("previousOutcome", ref.previous().outcome().word());
                }
            }
        }
    }

    @Override
    public void problem(InputProblem problem) {
        ObjectNode r = result(INPUT_RULE, "error", problem.message(), problem.location(), problem.location());
        fingerprint(r, INPUT_RULE, problem.location().file(), "", problem.message());
    }

    @Override
    public void finish(Summary summary) throws IOException {
        ObjectNode log = json.createObjectNode();
        log.put("$schema", SCHEMA);
        log.put("version", "2.1.0");
        ObjectNode sarifRun = log.putArray("runs").addObject();
        ObjectNode driver = sarifRun.putObject("tool").putObject("driver");
        driver.put("name", TOOL);
        String version = run.toolVersion() == null ? "" : run.toolVersion().substring(run.toolVersion().lastIndexOf(' ') + 1);
        if (!version.isEmpty()) {
            driver.put("version", version);
            if (SEMVER.matcher(version).matches()) {
                driver.put("semanticVersion", version);
            }
        }
        ArrayNode ruleNodes = driver.putArray("rules");
        Map<String, Integer> index = new LinkedHashMap<>();
        for (RuleInfo rule : rules.values()) {
            index.put(rule.name(), index.size());
            ruleNodes.add(rule(rule));
        }
        sarifRun.putObject("automationDetails").put("id", options.category() + "/");
        ObjectNode invocation = sarifRun.putArray("invocations").addObject();
        invocation.put("executionSuccessful", true);
        invocation.put("startTimeUtc", run.startedAt().toString());
        sarifRun.put("columnKind", "unicodeCodePoints");
        ArrayNode list = sarifRun.putArray("results");
        for (ObjectNode r : results) {
            r.put("ruleIndex", index.get(r.get("ruleId").asText()));
            list.add(r);
        }
        ObjectNode props = sarifRun.putObject("properties");
        props.put("command", run.command());
        props.put("policy", run.policy());
        if (run.oldPolicy() != null) {
            props.put("oldPolicy", run.oldPolicy());
        }
        ObjectNode counts = props.putObject("references");
        for (Outcome o : Outcome.values()) {
            counts.put(o.word(), summary.references().getOrDefault(o, 0));
        }
        json.writeValue(new NonClosingWriter(out), log);
        out.write("\n");
        out.flush();
    }

    private boolean reported(ReferenceResult ref) {
        if (diff) {
            return ref.change() != null && ref.change() != Change.UNCHANGED;
        }
        return ref.outcome() != Outcome.PASS && ref.outcome() != Outcome.SKIP;
    }

    private static String changePrefix(ReferenceResult ref) {
        if (ref.change() == null) {
            return "";
        }
        return switch (ref.change()) {
            case NEWLY_DENIED -> "newly denied: ";
            case NEWLY_ALLOWED -> "newly allowed: ";
            case REASON_CHANGED -> "reason changed (was " + (ref.previous() == null ? "?" : ref.previous().outcome().word()) + "): ";
            case UNCHANGED -> "";
        };
    }

    static String level(ReferenceResult ref) {
        if (ref.change() == Change.NEWLY_ALLOWED) {
            return "note";
        }
        return switch (ref.outcome()) {
            case FAIL, ERROR -> "error";
            case WARN -> "warning";
            case AUDIT, PASS, SKIP -> "note";
        };
    }

    private ObjectNode result(String ruleId, String level, String text, Location where, Location fallback) {
        ObjectNode r = json.createObjectNode();
        r.put("ruleId", ruleId);
        r.put("level", level);
        r.putObject("message").put("text", text);
        ObjectNode physical = r.putArray("locations").addObject().putObject("physicalLocation");
        ObjectNode artifact = physical.putObject("artifactLocation");
        String file = where.file();
        if (file.startsWith("/")) {
            artifact.put("uri", "file://" + encodePath(file));
        } else {
            artifact.put("uri", encodePath(file.replace('\\', '/')));
            artifact.put("uriBaseId", "%SRCROOT%");
        }
        Location line = where.line() > 0 ? where : fallback;
        if (line.line() > 0 && line.file().equals(file)) {
            ObjectNode region = physical.putObject("region");
            region.put("startLine", line.line());
            if (line.column() > 0) {
                region.put("startColumn", line.column());
            }
        }
        results.add(r);
        return r;
    }

    private void logical(ObjectNode result, ObjectRef object) {
        ObjectNode l = ((ObjectNode) result.get("locations").get(0)).putArray("logicalLocations").addObject();
        l.put("name", object.name() == null ? "" : object.name());
        l.put("fullyQualifiedName", ReportText.object(object));
        l.put("kind", "resource");
    }

    private static void fingerprint(ObjectNode result, String ruleId, String file, String object, String detail) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {ruleId, file, object, detail}) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            result.putObject("partialFingerprints").put(FINGERPRINT, HexFormat.of().formatHex(sha.digest()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private ObjectNode rule(RuleInfo rule) {
        ObjectNode r = json.createObjectNode();
        r.put("id", rule.name());
        r.put("name", rule.name());
        r.putObject("shortDescription").put("text", rule.description());
        String full = rule.description() + " (" + rule.kind() + " rule, enforcement: " + rule.enforcement() + ")";
        r.putObject("fullDescription").put("text", full);
        ObjectNode help = r.putObject("help");
        help.put("text", rule.help());
        help.put("markdown", "**" + escapeMarkdown(rule.name()) + "** " + escapeMarkdown(full) + "\n\nWhat to do: "
                + escapeMarkdown(rule.help()));
        r.putObject("defaultConfiguration").put("level", switch (rule.enforcement() == null ? "Deny" : rule.enforcement()) {
            case "Warn" -> "warning";
            case "Audit" -> "note";
            default -> "error";
        });
        ObjectNode props = r.putObject("properties");
        props.putArray("tags").add("image-policy").add(rule.kind());
        props.put("precision", "very-high");
        return r;
    }


    private static String escapeMarkdown(String s) {
        return s.replaceAll("([\\\\`*_{}\\[\\]()<>#+!|~])", "\\\\$1");
    }

    /** Percent-encodes all but RFC 3986 unreserved characters and {@code /}, from UTF-8. */
    static String encodePath(String path) {
        StringBuilder sb = new StringBuilder(path.length());
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return sb.toString();
    }

    /** Jackson closes the writer it is given; the caller owns ours. */
    private static final class NonClosingWriter extends java.io.FilterWriter {
        NonClosingWriter(Writer out) {
            super(out);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
