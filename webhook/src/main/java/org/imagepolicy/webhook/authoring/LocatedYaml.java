package org.imagepolicy.webhook.authoring;

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

/** One YAML or JSON document with the line of each value, so a suite's problems can say FILE:LINE. */
final class LocatedYaml {
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    final String file;
    final JsonNode root;
    private final Map<String, Integer> lines;

    private LocatedYaml(String file, JsonNode root, Map<String, Integer> lines) {
        this.file = file;
        this.root = root;
        this.lines = lines;
    }

    /** A problem in the text: where, and what. */
    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;
        final int line;

        SyntaxException(int line, String message) {
            super(message);
            this.line = line;
        }
    }

    /** YAML is a superset of JSON (tab-indented JSON aside), so one parser reads both; JSON with tabs is retried as JSON. */
    static LocatedYaml parse(String file, String text) throws SyntaxException {
        try {
            return parse(file, text, YAML);
        } catch (SyntaxException e) {
            if (text.stripLeading().startsWith("{")) {
                return parse(file, text, new ObjectMapper());
            }
            throw e;
        }
    }

    private static LocatedYaml parse(String file, String text, ObjectMapper mapper) throws SyntaxException {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = mapper.getFactory().createParser(text)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                JsonStreamContext ctx = t.isStructStart() ? p.getParsingContext().getParent() : p.getParsingContext();
                if (t != JsonToken.END_OBJECT && t != JsonToken.END_ARRAY && ctx != null) {
                    lines.putIfAbsent(ctx.pathAsPointer().toString(), p.currentTokenLocation().getLineNr());
                }
            }
            List<JsonNode> documents = new ArrayList<>();
            try (MappingIterator<JsonNode> it = mapper.readerFor(JsonNode.class).readValues(text)) {
                while (it.hasNextValue()) {
                    JsonNode node = it.nextValue();
                    if (node != null && !node.isNull() && !node.isMissingNode()) {
                        documents.add(node);
                    }
                }
            }
            if (documents.size() != 1) {
                throw new SyntaxException(1, documents.isEmpty() ? "the file is empty" : "the file holds " + documents.size()
                        + " documents; put one in each file");
            }
            return new LocatedYaml(file, documents.get(0), lines);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNr());
            String message = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage().lines().findFirst().orElse("");
            throw new SyntaxException(line, "invalid YAML: " + message);
        } catch (IOException e) {
            throw new SyntaxException(1, "cannot read: " + e.getMessage());
        }
    }

    /** The line of the value at a JSON pointer, or of its nearest located ancestor. */
    int lineOf(String pointer) {
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
}
