package org.imagepolicy.webhook.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A node of a {@link PolicyDocument} with the two names a problem needs: the JSON pointer that finds its
 * line, and the dotted path a person reads ({@code executionRules[0].matchRegistries[1]}).
 */
final class Located {
    final PolicyDocument document;
    final JsonNode node;
    final String pointer;
    final String path;

    Located(PolicyDocument document, JsonNode node, String pointer, String path) {
        this.document = document;
        this.node = node == null ? MissingNode.getInstance() : node;
        this.pointer = pointer;
        this.path = path;
    }

    static Located root(PolicyDocument document) {
        return new Located(document, document.root(), "", "");
    }

    Located field(String name) {
        String escaped = name.replace("~", "~0").replace("/", "~1");
        String childPath = path.isEmpty() ? name : path + "." + (name.matches("[A-Za-z0-9_]+") ? name : "\"" + name + "\"");
        return new Located(document, node.get(name), pointer + "/" + escaped, childPath);
    }

    /** Re-roots the display path, so rules inside a master-config read {@code executionRules[0]}, not the whole way down. */
    Located asRoot() {
        return new Located(document, node, pointer, "");
    }

    List<Located> elements() {
        List<Located> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            out.add(new Located(document, node.get(i), pointer + "/" + i, path + "[" + i + "]"));
        }
        return out;
    }

    List<String> fieldNames() {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    boolean absent() {
        return node.isMissingNode() || node.isNull();
    }

    int line() {
        return document.lineOf(pointer);
    }

    String source() {
        return document.source();
    }
}
