package org.imagepolicy.webhook.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A containers {@code registries.conf} (TOML, v1 or v2) read into the same located tree as YAML policies.
 * Jackson's TOML reader builds the tree without positions, so lines come from a scan of table headers
 * and keys: enough to name the line of every {@code [[registry]]}, key and single-line list.
 */
final class TomlDocument {
    private static final TomlMapper TOML = new TomlMapper();
    private static final Pattern TABLE = Pattern.compile("^\\s*\\[\\s*([A-Za-z0-9_.\"' -]+?)\\s*]\\s*(#.*)?$");
    private static final Pattern ARRAY_TABLE = Pattern.compile("^\\s*\\[\\[\\s*([A-Za-z0-9_.\"' -]+?)\\s*]]\\s*(#.*)?$");
    private static final Pattern KEY = Pattern.compile("^\\s*([A-Za-z0-9_\"'-]+)\\s*=");

    private TomlDocument() {
    }

    /**
     * {@code *.toml}, or a {@code *.conf} whose first statement is a TOML table or key: the 3.x docker
     * daemon's {@code registries.conf} was YAML ({@code registries:} lists) and is read as YAML.
     */
    static boolean isToml(String source, String text) {
        String lower = source.toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith(".toml")) {
            return true;
        }
        if (!lower.endsWith(".conf")) {
            return false;
        }
        for (String line : text.lines().toList()) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            return t.startsWith("[") || KEY.matcher(t).find();
        }
        return false;
    }

    static PolicyDocument parse(String source, String text) throws PolicyException {
        JsonNode root;
        try {
            root = TOML.readTree(text);
        } catch (IOException e) {
            throw PolicyDocument.syntaxError(source, e, "invalid TOML: ");
        }
        if (root == null || root.isMissingNode() || root.isEmpty()) {
            throw new PolicyException(List.of(new PolicyProblem(source, 1, "", "the file has no settings; a registries.conf"
                    + " lists [[registry]] tables or [registries.block] and [registries.insecure]", PolicyProblem.Severity.ERROR)));
        }
        return new PolicyDocument(source, root, lines(text));
    }

    /** JSON pointers of tables, array-table elements and keys, to the line that opens them. */
    private static Map<String, Integer> lines(String text) {
        Map<String, Integer> lines = new HashMap<>();
        Map<String, Integer> arrayCounts = new HashMap<>();
        String table = "";
        List<String> all = text.lines().toList();
        for (int i = 0; i < all.size(); i++) {
            String line = all.get(i);
            int lineNr = i + 1;
            Matcher m = ARRAY_TABLE.matcher(line);
            if (m.matches()) {
                String base = pointer(m.group(1));
                int index = arrayCounts.merge(base, 1, Integer::sum) - 1;
                lines.putIfAbsent(base, lineNr);
                table = base + "/" + index;
                lines.put(table, lineNr);
                continue;
            }
            m = TABLE.matcher(line);
            if (m.matches()) {
                table = pointer(m.group(1));
                lines.putIfAbsent(table, lineNr);
                continue;
            }
            m = KEY.matcher(line);
            if (m.find()) {
                String key = table + "/" + unquote(m.group(1));
                lines.putIfAbsent(key, lineNr);
                // Elements of a one-line list share its line; a multi-line list's elements fall back to it.
            }
        }
        return lines;
    }

    private static String pointer(String dotted) {
        StringBuilder sb = new StringBuilder();
        for (String part : dotted.split("\\.")) {
            sb.append('/').append(unquote(part.strip()).replace("~", "~0").replace("/", "~1"));
        }
        return sb.toString();
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }
}
