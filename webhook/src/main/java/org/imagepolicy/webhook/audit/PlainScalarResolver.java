package org.imagepolicy.webhook.audit;

import java.util.Set;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * SnakeYAML's YAML 1.1 tag resolution, without its regular expressions for the plain scalars that
 * cannot be anything but strings: most of a manifest's values (names, images, keys) start with a
 * letter and are not one of the few words that mean a boolean or null. Everything else goes through
 * the full resolver. Resolution was a fifth of an audit's time before this.
 */
final class PlainScalarResolver extends Resolver {
    private static final Set<String> WORDS = Set.of("yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False",
            "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "y", "Y", "n", "N");
    private static final String NUMERIC_LETTERS = "abcdefABCDEFxXoObBtTzZ";

    @Override
    public Tag resolve(NodeId kind, String value, boolean implicit) {
        if (kind == NodeId.scalar && implicit && !value.isEmpty()) {
            char c = value.charAt(0);
            if ((c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') && !WORDS.contains(value)) {
                return Tag.STR;
            }
            if (c >= '0' && c <= '9') {
                Tag quick = startingWithDigit(value);
                if (quick != null) {
                    return quick;
                }
            }
        }
        return super.resolve(kind, value, implicit);
    }

    /**
     * Plain decimal integers ({@code 2}, {@code 8080}) and quantities ({@code 500m}, {@code 256Mi}) without
     * the regular expressions; {@code null} for anything else (octal, hex, floats, times, timestamps). A
     * letter outside those YAML 1.1 numbers and timestamps may use (hex digits, {@code x o b t z}) makes a string.
     */
    private static Tag startingWithDigit(String value) {
        boolean digits = true;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= '0' && c <= '9') {
                continue;
            }
            digits = false;
            if ((c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') && NUMERIC_LETTERS.indexOf(c) < 0) {
                return Tag.STR;
            }
        }
        return digits && (value.charAt(0) != '0' || value.length() == 1) ? Tag.INT : null;
    }
}
