package org.imagepolicy.webhook.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenShift Template's objects as {@code oc process} makes them with no overrides: each parameter's
 * {@code value} replaces {@code ${NAME}} inside strings, and a string that is exactly {@code ${{NAME}}}
 * becomes the value read as JSON (a number, a boolean). A parameter with only a {@code generate:}
 * expression, or no value at all, is left in place and named as unresolved: its output is random or
 * chosen at processing time, so no image it appears in can be judged.
 */
final class TemplateProcessor {
    private static final Pattern PARAMETER = Pattern.compile("\\$\\{\\{([A-Za-z0-9_]+)\\}\\}|\\$\\{([A-Za-z0-9_]+)\\}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One processed object and the parameters it uses that have no value. */
    record Processed(JsonNode object, Set<String> unresolved) {
    }

    private TemplateProcessor() {
    }

    static boolean isTemplate(JsonNode document) {
        String apiVersion = document.path("apiVersion").asText("");
        return "Template".equals(document.path("kind").asText(""))
                && (apiVersion.equals("v1") || apiVersion.startsWith("template.openshift.io/"));
    }

    static List<Processed> process(JsonNode template, Positions positions) {
        Map<String, String> values = new HashMap<>();
        for (JsonNode p : template.path("parameters")) {
            JsonNode value = p.get("value");
            if (p.path("name").isTextual() && value != null && value.isValueNode() && !value.isNull()) {
                values.put(p.path("name").textValue(), value.asText());
            }
        }
        List<Processed> out = new ArrayList<>();
        for (JsonNode object : template.path("objects")) {
            Set<String> unresolved = new LinkedHashSet<>();
            out.add(new Processed(substitute(object, values, unresolved, positions), unresolved));
        }
        return out;
    }

    private static JsonNode substitute(JsonNode node, Map<String, String> values, Set<String> unresolved, Positions positions) {
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                o.set(name, substitute(o.get(name), values, unresolved, positions));
            }
            return o;
        }
        if (node.isArray()) {
            ArrayNode a = (ArrayNode) node;
            for (int i = 0; i < a.size(); i++) {
                a.set(i, substitute(a.get(i), values, unresolved, positions));
            }
            return a;
        }
        if (!node.isTextual() || node.textValue().indexOf("${") < 0) {
            return node;
        }
        String text = node.textValue();
        Matcher whole = PARAMETER.matcher(text);
        if (whole.matches() && whole.group(1) != null && values.containsKey(whole.group(1))) {
            return nonString(values.get(whole.group(1)), node, positions);
        }
        Matcher m = PARAMETER.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value = values.get(name);
            if (value == null) {
                unresolved.add(name);
                m.appendReplacement(sb, Matcher.quoteReplacement(m.group()));
            } else {
                m.appendReplacement(sb, Matcher.quoteReplacement(value));
            }
        }
        m.appendTail(sb);
        TextNode replaced = new TextNode(sb.toString());
        positions.move(node, replaced);
        return replaced;
    }

    private static JsonNode nonString(String value, JsonNode original, Positions positions) {
        try {
            JsonNode parsed = JSON.readTree(value);
            if (parsed != null && !parsed.isMissingNode()) {
                return parsed;
            }
        } catch (java.io.IOException e) {
            // not JSON: oc keeps it as a string
        }
        TextNode text = new TextNode(value);
        positions.move(original, text);
        return text;
    }
}
