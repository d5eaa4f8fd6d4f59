package org.imagepolicy.webhook.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where each table, key and value of a TOML text starts, by JSON pointer, for problems to name the exact line.
 * Jackson's TOML reader keeps no positions (and reports a duplicate key on the line after it), so this walks the
 * text the way TOML 1.0 reads it: strings of all four kinds (multi-line ones may hold anything that looks like a
 * key), dotted and quoted keys, {@code [[array.of.tables]]} nested under the latest element of their parent,
 * multi-line lists and inline tables. It does not judge the syntax: Jackson does; for a text Jackson refused it
 * still finds what Jackson places badly (the line of a duplicate key, where an unclosed list opened).
 */
final class TomlPositions {
    final Map<String, Integer> lines = new HashMap<>();
    /** The first key set twice, the line it is set again on and the line it was first set on; {@code null} when none. */
    String duplicateKey;
    int duplicateLine;
    int duplicateFirstLine;
    /** The line of a list, inline table or string the text never closes, and what it is; 0 when none. */
    int unclosedLine;
    String unclosedWhat;

    private final String text;
    private int pos;
    private int line = 1;
    /** Arrays of tables, by resolved pointer: how many elements so far. */
    private final Map<String, Integer> arrayTables = new HashMap<>();
    private final Set<String> keys = new HashSet<>();
    private final Map<String, Integer> keyLines = new HashMap<>();

    private TomlPositions(String text) {
        this.text = text;
    }

    /** Never throws: a text it cannot follow yields the positions found until then. */
    static TomlPositions scan(String text) {
        TomlPositions p = new TomlPositions(text);
        try {
            p.document();
        } catch (RuntimeException | StackOverflowError stop) {
            // The text is not TOML past this point (or nests deeper than anyone writes); Jackson says why.
        }
        return p;
    }

    private void document() {
        String table = "";
        while (true) {
            skipBlankLines();
            if (eof()) {
                return;
            }
            if (peek() == '[') {
                table = header();
            } else {
                keyValue(table);
            }
            skipSpaces();
            if (!eof() && peek() == '#') {
                skipComment();
            }
            if (!eof() && peek() != '\n' && peek() != '\r') {
                return; // more on the line than TOML allows: Jackson reports it
            }
        }
    }

    /** {@code [table]} or {@code [[array]]}; returns the pointer keys that follow belong to. */
    private String header() {
        int at = line;
        boolean array = text.startsWith("[[", pos);
        pos += array ? 2 : 1;
        List<String> parts = key();
        skipSpaces();
        pos += array ? 2 : 1;
        String base = resolve(parts, parts.size() - 1);
        String last = base + "/" + escape(parts.get(parts.size() - 1));
        lines.putIfAbsent(last, at);
        if (array) {
            int index = arrayTables.merge(last, 1, Integer::sum) - 1;
            String element = last + "/" + index;
            lines.put(element, at);
            return element;
        }
        return last;
    }

    /** The pointer of the first {@code count} parts of a header, each array of tables standing for its latest element. */
    private String resolve(List<String> parts, int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sb.append('/').append(escape(parts.get(i)));
            Integer elements = arrayTables.get(sb.toString());
            if (elements != null) {
                sb.append('/').append(elements - 1);
            }
        }
        return sb.toString();
    }

    private void keyValue(String table) {
        int at = line;
        List<String> parts = key();
        String pointer = table;
        for (String part : parts) {
            pointer += "/" + escape(part);
            lines.putIfAbsent(pointer, at);
        }
        if (!keys.add(pointer)) {
            if (duplicateKey == null) {
                duplicateKey = String.join(".", parts);
                duplicateLine = at;
                duplicateFirstLine = keyLines.get(pointer);
            }
        } else {
            keyLines.put(pointer, at);
        }
        skipSpaces();
        expect('=');
        skipSpaces();
        value(pointer);
    }

    private void value(String pointer) {
        lines.putIfAbsent(pointer, line);
        char c = peek();
        if (c == '"' || c == '\'') {
            string();
        } else if (c == '[') {
            list(pointer);
        } else if (c == '{') {
            inlineTable(pointer);
        } else {
            int start = pos;
            while (!eof() && ",]}#\r\n".indexOf(peek()) < 0) {
                pos++;
            }
            if (pos == start) {
                throw new IllegalStateException("no value");
            }
        }
    }

    private void list(String pointer) {
        int opened = line;
        pos++;
        int index = 0;
        while (true) {
            skipBlankAndComments(opened, "list");
            if (peek() == ']') {
                pos++;
                return;
            }
            value(pointer + "/" + index++);
            skipBlankAndComments(opened, "list");
            if (peek() == ',') {
                pos++;
            } else if (peek() != ']') {
                throw new IllegalStateException("list");
            }
        }
    }

    private void inlineTable(String pointer) {
        int opened = line;
        pos++;
        Set<String> own = new HashSet<>();
        while (true) {
            skipSpaces();
            unclosedAtEof(opened, "inline table");
            if (peek() == '}') {
                pos++;
                return;
            }
            int at = line;
            List<String> parts = key();
            String sub = pointer;
            for (String part : parts) {
                sub += "/" + escape(part);
                lines.putIfAbsent(sub, at);
            }
            if (!own.add(sub) && duplicateKey == null) {
                duplicateKey = String.join(".", parts);
                duplicateLine = at;
                duplicateFirstLine = at;
            }
            skipSpaces();
            expect('=');
            skipSpaces();
            value(sub);
            skipSpaces();
            unclosedAtEof(opened, "inline table");
            if (peek() == ',') {
                pos++;
            }
        }
    }

    /** A dotted key: bare, "basic" or 'literal' parts. */
    private List<String> key() {
        List<String> parts = new ArrayList<>(2);
        while (true) {
            skipSpaces();
            char c = peek();
            if (c == '"' || c == '\'') {
                parts.add(string());
            } else {
                int start = pos;
                while (!eof() && (Character.isLetterOrDigit(peek()) || peek() == '_' || peek() == '-')) {
                    pos++;
                }
                if (pos == start) {
                    throw new IllegalStateException("no key");
                }
                parts.add(text.substring(start, pos));
            }
            skipSpaces();
            if (eof() || peek() != '.') {
                return parts;
            }
            pos++;
        }
    }

    /** Any of the four string forms; returns its content (escapes of basic strings read). */
    private String string() {
        int opened = line;
        char quote = peek();
        boolean multi = text.startsWith(String.valueOf(quote).repeat(3), pos);
        pos += multi ? 3 : 1;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (eof()) {
                unclosedLine = opened;
                unclosedWhat = "string";
                throw new IllegalStateException("string");
            }
            char c = text.charAt(pos);
            if (c == quote) {
                if (!multi) {
                    pos++;
                    return sb.toString();
                }
                int run = 0;
                while (pos + run < text.length() && text.charAt(pos + run) == quote) {
                    run++;
                }
                if (run >= 3) {
                    sb.append(String.valueOf(quote).repeat(Math.min(run - 3, 2)));
                    pos += Math.min(run, 5);
                    return sb.toString();
                }
                sb.append(String.valueOf(quote).repeat(run));
                pos += run;
                continue;
            }
            if (c == '\n') {
                if (!multi) {
                    throw new IllegalStateException("newline in string");
                }
                line++;
            }
            if (c == '\\' && quote == '"' && pos + 1 < text.length()) {
                char e = text.charAt(pos + 1);
                pos += 2;
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'u', 'U' -> {
                        int digits = e == 'u' ? 4 : 8;
                        sb.appendCodePoint(Integer.parseInt(text.substring(pos, pos + digits), 16));
                        pos += digits;
                    }
                    case '\n' -> line++; // a line-ending backslash in a multi-line string
                    default -> sb.append(e);
                }
                continue;
            }
            sb.append(c);
            pos++;
        }
    }

    private void skipBlankLines() {
        while (!eof()) {
            char c = peek();
            if (c == '\n') {
                line++;
                pos++;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (c == '#') {
                skipComment();
            } else {
                return;
            }
        }
    }

    private void skipBlankAndComments(int opened, String what) {
        skipBlankLines();
        unclosedAtEof(opened, what);
    }

    private void unclosedAtEof(int opened, String what) {
        if (eof()) {
            unclosedLine = opened;
            unclosedWhat = what;
            throw new IllegalStateException(what);
        }
    }

    private void skipSpaces() {
        while (!eof() && (peek() == ' ' || peek() == '\t')) {
            pos++;
        }
    }

    private void skipComment() {
        while (!eof() && peek() != '\n') {
            pos++;
        }
    }

    private void expect(char c) {
        if (eof() || peek() != c) {
            throw new IllegalStateException("expected " + c);
        }
        pos++;
    }

    private boolean eof() {
        return pos >= text.length();
    }

    private char peek() {
        return text.charAt(pos);
    }

    private static String escape(String part) {
        return part.replace("~", "~0").replace("/", "~1");
    }
}
