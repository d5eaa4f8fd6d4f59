package org.imagepolicy.webhook.report.junit;

/** Escaping for XML 1.0 text and attributes, including characters XML cannot carry at all. */
final class Xml {
    private Xml() {
    }

    /** Text content: markup characters escaped, characters XML 1.0 forbids replaced by U+FFFD. */
    static String text(String s) {
        return escape(s, false);
    }

    /** An attribute value in double quotes: line breaks and tabs kept as references, not normalized away. */
    static String attribute(String s) {
        return escape(s, true);
    }

    private static String escape(String s, boolean attribute) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append(attribute ? "&quot;" : "\"");
                case '\n' -> sb.append(attribute ? "&#10;" : "\n");
                case '\r' -> sb.append("&#13;");
                case '\t' -> sb.append(attribute ? "&#9;" : "\t");
                default -> {
                    if (allowed(c)) {
                        sb.appendCodePoint(c);
                    } else {
                        sb.append('\uFFFD');
                    }
                }
            }
        }
        return sb.toString();
    }

    /** XML 1.0's Char production; lone surrogates arrive here as their own code points and are refused. */
    private static boolean allowed(int c) {
        return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
                || (c >= 0x10000 && c <= 0x10FFFF);
    }
}
