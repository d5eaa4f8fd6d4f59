package org.imagepolicy.webhook.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.imagepolicy.webhook.report.InputProblem;
import org.imagepolicy.webhook.report.Location;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Splits one input into documents: JSON (one or more values, tabs and all) with Jackson, anything else
 * as multi-document YAML with SnakeYAML, one document at a time. A document that does not parse ends the
 * file (YAML cannot resynchronise) and is reported with its line; the documents before it still count.
 */
final class ManifestReader {
    /** Receives documents and problems in input order. */
    interface Sink {
        void document(SourceDocument document);

        void problem(InputProblem problem);

        /** A document with nothing in it (a trailing {@code ---}, only comments): counted, nothing to judge. */
        void empty();
    }

    static final int MAX_BYTES = 256 * 1024 * 1024;
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(256).build()).build();

    private ManifestReader() {
    }

    /** @return whether the file parsed, wholly or up to a problem after at least one document */
    static boolean read(String file, byte[] bytes, Sink sink) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        if (looksLikeJson(text)) {
            Positions positions = new Positions(file);
            java.util.List<JsonNode> values = new java.util.ArrayList<>(1);
            try (JsonParser p = JSON.createParser(text)) {
                while (p.nextToken() != null) {
                    values.add(JsonTrees.read(p, positions));
                }
                for (JsonNode v : values) {
                    sink.document(new SourceDocument(v, positions, positions.of(v)));
                }
                return true;
            } catch (JsonProcessingException e) {
                if (file.endsWith(".json")) {
                    sink.problem(jsonProblem(file, e));
                    return false;
                }
                // YAML's flow style also starts with { or [: let the YAML parser have it
            } catch (IOException e) {
                sink.problem(new InputProblem(Location.of(file), "cannot read: " + e.getMessage()));
                return false;
            }
        }
        return readYaml(file, text, sink);
    }

    private static boolean readYaml(String file, String text, Sink sink) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_BYTES);
        options.setAllowDuplicateKeys(true);
        options.setMaxAliasesForCollections(100);
        Yaml yaml = new Yaml(new org.yaml.snakeyaml.constructor.SafeConstructor(options),
                new org.yaml.snakeyaml.representer.Representer(new org.yaml.snakeyaml.DumperOptions()),
                new org.yaml.snakeyaml.DumperOptions(), options, new PlainScalarResolver());
        int documents = 0;
        try {
            for (Node node : yaml.composeAll(new StringReader(text))) {
                documents++;
                if (node == null || isEmpty(node)) {
                    sink.empty(); // a trailing ---, only comments: nothing to judge, but counted so the summary adds up
                    continue;
                }
                Positions positions = new Positions(file);
                JsonNode tree = YamlTrees.convert(node, positions);
                sink.document(new SourceDocument(tree, positions,
                        new Location(file, node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1)));
            }
            return true;
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            Location where = m == null ? Location.of(file) : new Location(file, m.getLine() + 1, m.getColumn() + 1);
            String context = e.getContext() == null || e.getContextMark() == null || e.getContextMark() == m ? ""
                    : " (" + e.getContext() + " at line " + (e.getContextMark().getLine() + 1) + ")";
            sink.problem(new InputProblem(where, "not valid YAML: " + firstLine(e.getProblem() != null ? e.getProblem() : e.getMessage()) + context));
            return documents > 0;
        } catch (RuntimeException e) {
            // SnakeYAML's limits (aliases, size, nesting) and our own depth guard
            sink.problem(new InputProblem(Location.of(file), "cannot read: " + firstLine(String.valueOf(e.getMessage()))));
            return documents > 0;
        }
    }

    private static boolean isEmpty(Node node) {
        return node instanceof org.yaml.snakeyaml.nodes.ScalarNode && node.getTag().equals(org.yaml.snakeyaml.nodes.Tag.NULL)
                && ((org.yaml.snakeyaml.nodes.ScalarNode) node).getValue().isEmpty();
    }

    private static InputProblem jsonProblem(String file, JsonProcessingException e) {
        var l = e.getLocation();
        Location where = l == null ? Location.of(file) : new Location(file, Math.max(0, l.getLineNr()), Math.max(0, l.getColumnNr()));
        return new InputProblem(where, "not valid JSON: " + e.getOriginalMessage());
    }

    private static boolean looksLikeJson(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c == '{' || c == '[';
            }
        }
        return false;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }
}
