package org.imagepolicy.webhook.policy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A policy file's tree with the line of every field, so that each problem can name file, line and path.
 * Parsing is pure: the caller hands in the text it read.
 */
public final class PolicyDocument {
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final YAMLFactory YAML = YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final ObjectMapper JSON_MAPPER = new ObjectMapper(JSON);
    private static final ObjectMapper YAML_MAPPER = new ObjectMapper(YAML);

    private final String source;
    private final JsonNode root;
    private final Map<String, Integer> lines;

    PolicyDocument(String source, JsonNode root, Map<String, Integer> lines) {
        this.source = source;
        this.root = root;
        this.lines = lines;
    }

    public String source() {
        return source;
    }

    public JsonNode root() {
        return root;
    }

    /** The line of the value at a JSON pointer, or of its nearest located ancestor. */
    public int lineOf(String pointer) {
        String p = pointer;
        while (true) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            if (p.isEmpty()) {
                return 1;
            }
            p = p.substring(0, p.lastIndexOf('/'));
        }
    }

    /**
     * Reads one JSON or YAML document. JSON is recognised by its first character, because many real
     * OpenShift JSON files are indented with tabs, which YAML refuses.
     */
    public static PolicyDocument parse(String source, String text) throws PolicyException {
        if (TomlDocument.isToml(source, text)) {
            return TomlDocument.parse(source, text);
        }
        if (!looksLikeJson(text)) {
            return parse(source, text, false);
        }
        try {
            return parse(source, text, true);
        } catch (PolicyException notJson) {
            // "{kind: ImagePolicyConfig}" is a YAML flow mapping, not JSON; a .json file keeps its JSON error.
            if (source.toLowerCase(java.util.Locale.ROOT).endsWith(".json")) {
                throw notJson;
            }
            return parse(source, text, false);
        }
    }

    private static PolicyDocument parse(String source, String text, boolean json) throws PolicyException {
        ObjectMapper mapper = json ? JSON_MAPPER : YAML_MAPPER;
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = mapper.getFactory().createParser(text)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                JsonStreamContext ctx = t.isStructStart() ? p.getParsingContext().getParent() : p.getParsingContext();
                if (t != JsonToken.END_OBJECT && t != JsonToken.END_ARRAY && ctx != null) {
                    lines.putIfAbsent(ctx.pathAsPointer().toString(), p.currentTokenLocation().getLineNr());
                }
            }
        } catch (JsonProcessingException e) {
            throw syntaxError(source, e, json);
        } catch (IOException e) {
            throw new PolicyException(List.of(new PolicyProblem(source, 1, "", "cannot read: " + e.getMessage(), PolicyProblem.Severity.ERROR)));
        }
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = mapper.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNextValue()) {
                JsonNode node = it.nextValue();
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    documents.add(node);
                }
            }
        } catch (IOException e) {
            throw syntaxError(source, e, json);
        }
        if (documents.size() != 1) {
            String message = documents.isEmpty()
                    ? "the file is empty; write an ImagePolicyConfig (kind: ImagePolicyConfig, apiVersion: image.openshift.io/v1)"
                    : "the file holds " + documents.size() + " YAML documents; put one ImagePolicyConfig in each file";
            throw new PolicyException(List.of(new PolicyProblem(source, 1, "", message, PolicyProblem.Severity.ERROR)));
        }
        return new PolicyDocument(source, documents.get(0), lines);
    }

    private static boolean looksLikeJson(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c) && c != '\uFEFF') {
                return c == '{' || c == '[';
            }
        }
        return false;
    }

    private static PolicyException syntaxError(String source, IOException e, boolean json) {
        return syntaxError(source, e, json ? "invalid JSON: " : "invalid YAML: ");
    }

    static PolicyException syntaxError(String source, IOException e, String prefix) {
        int line = 1;
        String message = e.getMessage();
        if (e instanceof JsonProcessingException) {
            JsonProcessingException jpe = (JsonProcessingException) e;
            if (jpe.getLocation() != null) {
                line = Math.max(1, jpe.getLocation().getLineNr());
            }
            message = jpe.getOriginalMessage();
        }
        String first = message == null ? "unreadable" : message.lines().findFirst().orElse(message);
        if (first.contains("Unrecognized character escape '*'")) {
            // OpenShift's documentation shows "\*.docker.io": a Markdown escape copied with the text, not JSON.
            first += "; \\* is the documentation's Markdown escape of *, not part of the value: write *.docker.io, not \\*.docker.io";
        }
        return new PolicyException(List.of(new PolicyProblem(source, line, "",
                prefix + first, PolicyProblem.Severity.ERROR)));
    }
}
