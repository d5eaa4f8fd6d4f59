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

    /** Where a reference's value is, and the name of the container it belongs to ({@code null} for a Build's {@code from}). */
    record Found(Location location, String container) {
    }

    /**
     * The position of the reference at {@code fieldPath} and its container's name, in one walk of the tree
     * (this runs for every reference of an audit).
     */
    Found find(JsonNode root, String fieldPath) {
        int image = fieldPath.length() - ".image".length();
        if (image > 0 && fieldPath.endsWith(".image")) {
            JsonNode owner = follow(root, fieldPath, image);
            if (owner != null && owner.isObject()) {
                JsonNode value = owner.get("image");
                JsonNode name = owner.get("name");
                Location found = of(value);
                return new Found(found.line() > 0 ? found : of(root), name != null && name.isTextual() ? name.textValue() : null);
            }
        }
        return new Found(locate(root, fieldPath), null);
    }

    /**
     * The position of the value at {@code fieldPath} under {@code root}; for an object reference (a Build's
     * {@code from}) its {@code name}. The object's own position when the path cannot be followed.
     */
    Location locate(JsonNode root, String fieldPath) {
        JsonNode node = follow(root, fieldPath, fieldPath.length());
        if (node == null) {
            return of(root);
        }
        if (node.isObject() && node.get("name") != null) {
            node = node.get("name");
        }
        Location found = of(node);
        return found.line() > 0 ? found : of(root);
    }

    /** The node at {@code fieldPath.substring(0, n)} ({@code a.b[0].c}), or {@code null} when the path leads nowhere. */
    private static JsonNode follow(JsonNode root, String fieldPath, int n) {
        JsonNode node = root;
        int i = 0;
        while (i < n && node != null) {
            char c = fieldPath.charAt(i);
            if (c == '.') {
                i++;
            } else if (c == '[') {
                int end = fieldPath.indexOf(']', i);
                if (end < 0 || end >= n) {
                    return null;
                }
                node = index(node, fieldPath, i + 1, end);
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
        return node;
    }

    private static JsonNode index(JsonNode node, String path, int from, int to) {
        int value = 0;
        for (int k = from; k < to; k++) {
            char d = path.charAt(k);
            if (d < '0' || d > '9' || k - from > 8) {
                return node.get(path.substring(from, to));
            }
            value = value * 10 + (d - '0');
        }
        return from == to ? node.get("") : node.get(value);
    }
}
