package org.imagepolicy.webhook.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.IdentityHashMap;
import java.util.Map;
import org.imagepolicy.webhook.report.Location;

/**
 * Where the nodes of one parsed document came from. The engine reads plain Jackson trees, so positions
 * are kept beside the tree, by node identity (every text and object node is a fresh instance), and a
 * reference's field path ({@code spec.containers[0].image}) is walked back to the node it names.
 */
final class Positions {
    private final String file;
    private final Map<JsonNode, Long> at = new IdentityHashMap<>();

    Positions(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    void put(JsonNode node, int line, int column) {
        at.put(node, ((long) line << 32) | (column & 0xffffffffL));
    }

    /** Gives a node that replaced another (template substitution) the position of the one it replaced. */
    void move(JsonNode from, JsonNode to) {
        Long p = at.get(from);
        if (p != null) {
            at.put(to, p);
        }
    }

    Location of(JsonNode node) {
        Long p = node == null ? null : at.get(node);
        return p == null ? Location.of(file) : new Location(file, (int) (p >>> 32), (int) (long) p);
    }

    /**
     * The position of the value at {@code fieldPath} under {@code root}; for an object reference (a Build's
     * {@code from}) its {@code name}. The object's own position when the path cannot be followed.
     */
    Location locate(JsonNode root, String fieldPath) {
        JsonNode node = root;
        int i = 0;
        int n = fieldPath.length();
        while (i < n && node != null) {
            char c = fieldPath.charAt(i);
            if (c == '.') {
                i++;
            } else if (c == '[') {
                int end = fieldPath.indexOf(']', i);
                if (end < 0) {
                    break;
                }
                String index = fieldPath.substring(i + 1, end);
                node = index.chars().allMatch(Character::isDigit) && !index.isEmpty() ? node.get(Integer.parseInt(index)) : node.get(index);
                i = end + 1;
            } else {
                int end = i;
                while (end < n && fieldPath.charAt(end) != '.' && fieldPath.charAt(end) != '[') {
                    end++;
                }
                node = node.get(fieldPath.substring(i, end));
                i = end;
            }
        }
        if (node == null) {
            return of(root);
        }
        if (node.isObject() && node.get("name") != null) {
            node = node.get("name");
        }
        Location found = of(node);
        return found.line() > 0 ? found : of(root);
    }
}
