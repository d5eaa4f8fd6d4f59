package org.imagepolicy.webhook.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A containers {@code registries.conf} (TOML, v1 or v2) read into the same located tree as YAML policies:
 * Jackson's TOML reader builds the tree, {@link TomlPositions} the line of every table, key and list element.
 */
final class TomlDocument {
    private static final TomlMapper TOML = new TomlMapper();
    /** A key, dotted ({@code registries.block.registries = [...]}) or not, then {@code =}. */
    private static final Pattern KEY = Pattern.compile("^\\s*[A-Za-z0-9_\"'-]+(\\s*\\.\\s*[A-Za-z0-9_\"'-]+)*\\s*=");

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
            throw syntaxError(source, text, e);
        }
        if (root == null || root.isMissingNode() || root.isEmpty()) {
            throw new PolicyException(List.of(new PolicyProblem(source, 1, "", "the file has no settings; a registries.conf"
                    + " lists [[registry]] tables or [registries.block] and [registries.insecure]", PolicyProblem.Severity.ERROR)));
        }
        return new PolicyDocument(source, root, TomlPositions.scan(text).lines);
    }

    /**
     * Jackson's line, except where it is wrong: it notices a duplicate key only after reading its value, so it
     * names the next line, and an unclosed list, table or string at the end of the file, not where it opened.
     */
    private static PolicyException syntaxError(String source, String text, IOException e) {
        String message = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        if (message != null && (message.startsWith("Duplicate key") || message.startsWith("Premature end of file"))) {
            TomlPositions positions = TomlPositions.scan(text);
            if (message.startsWith("Duplicate key") && positions.duplicateKey != null) {
                return problem(source, positions.duplicateLine, "invalid TOML: duplicate key \"" + positions.duplicateKey + "\""
                        + (positions.duplicateFirstLine == positions.duplicateLine ? "" : " (first set at line "
                                + positions.duplicateFirstLine + ")") + "; set each key once");
            }
            if (positions.unclosedLine > 0) {
                return problem(source, positions.unclosedLine, "invalid TOML: the " + positions.unclosedWhat + " that starts here"
                        + " is never closed");
            }
        }
        return PolicyDocument.syntaxError(source, e, "invalid TOML: ");
    }

    private static PolicyException problem(String source, int line, String message) {
        return new PolicyException(List.of(new PolicyProblem(source, line, "", message, PolicyProblem.Severity.ERROR)));
    }
}
