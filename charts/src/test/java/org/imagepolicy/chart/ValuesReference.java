package org.imagepolicy.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chart README's table of values, generated from values.yaml: each key's {@code # --} comment is its description,
 * its value in values.yaml its default. A key with neither a description nor documented children is an error.
 */
final class ValuesReference {
    private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z][A-Za-z0-9_]*):(.*)$");
    private static final Pattern DOC = Pattern.compile("^ *# -- ?(.*)$");
    private static final Pattern MORE = Pattern.compile("^ *# ?(.*)$");

    record Row(String key, String type, String defaultValue, String description) {
    }

    private ValuesReference() {
    }

    /** The rows, in file order; {@code undocumented} collects keys without a description. */
    static List<Row> rows(String valuesYaml, List<String> undocumented) throws IOException {
        JsonNode values = new ObjectMapper(new YAMLFactory()).readTree(valuesYaml);
        List<Row> rows = new ArrayList<>();
        Deque<String[]> parents = new ArrayDeque<>(); // {indent, key}
        StringBuilder doc = null;
        int documentedIndent = Integer.MAX_VALUE; // inside a documented object: its children are its default
        for (String line : valuesYaml.split("\n", -1)) {
            Matcher d = DOC.matcher(line);
            if (d.matches()) {
                doc = new StringBuilder(d.group(1));
                continue;
            }
            Matcher more = MORE.matcher(line);
            if (doc != null && more.matches() && line.trim().startsWith("#")) {
                doc.append(' ').append(more.group(1));
                continue;
            }
            Matcher k = KEY.matcher(line);
            if (!k.matches()) {
                if (!line.trim().startsWith("#")) {
                    doc = null;
                }
                continue;
            }
            int indent = k.group(1).length();
            if (indent > documentedIndent) {
                continue;
            }
            documentedIndent = Integer.MAX_VALUE;
            while (!parents.isEmpty() && Integer.parseInt(parents.peek()[0]) >= indent) {
                parents.pop();
            }
            List<String> path = new ArrayList<>();
            parents.descendingIterator().forEachRemaining(p -> path.add(p[1]));
            path.add(k.group(2));
            String key = String.join(".", path);
            JsonNode node = values.at("/" + String.join("/", path));
            if (doc != null) {
                rows.add(new Row(key, type(node), compact(node), doc.toString()));
                documentedIndent = indent;
            } else if (!node.isObject() || node.isEmpty()) {
                undocumented.add(key);
            }
            parents.push(new String[] {String.valueOf(indent), k.group(2)});
            doc = null;
        }
        return rows;
    }

    static String table(List<Row> rows) {
        StringBuilder out = new StringBuilder("| Key | Type | Default | Description |\n|---|---|---|---|\n");
        for (Row r : rows) {
            out.append("| `").append(r.key()).append("` | ").append(r.type()).append(" | `").append(r.defaultValue().replace("|", "\\|"))
                    .append("` | ").append(r.description().replace("|", "\\|")).append(" |\n");
        }
        return out.toString();
    }

    private static String type(JsonNode node) {
        if (node.isObject()) {
            return "object";
        } else if (node.isArray()) {
            return "list";
        } else if (node.isBoolean()) {
            return "bool";
        } else if (node.isIntegralNumber()) {
            return "int";
        }
        return "string";
    }

    private static String compact(JsonNode node) {
        return node.isTextual() ? "\"" + node.asText() + "\"" : node.toString();
    }
}
