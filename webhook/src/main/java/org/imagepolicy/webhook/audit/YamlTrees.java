package org.imagepolicy.webhook.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * SnakeYAML's composed nodes as a Jackson tree, with each node's position recorded. SnakeYAML's node
 * graph is used rather than Jackson's YAML parser because it resolves aliases (Jackson hands an alias
 * back as its anchor's name) and every node carries its start mark, CRLF or not.
 */
final class YamlTrees {
    /** Deeper than any manifest; stops a recursive alias ({@code &a [*a]}) from recursing for ever. */
    private static final int MAX_DEPTH = 200;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private YamlTrees() {
    }

    static JsonNode convert(Node node, Positions positions) {
        return convert(node, positions, 0);
    }

    private static JsonNode convert(Node node, Positions positions, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("nested more than " + MAX_DEPTH + " levels deep (a recursive alias?)");
        }
        if (node instanceof MappingNode) {
            ObjectNode out = NODES.objectNode();
            record(out, node, positions);
            mapping((MappingNode) node, out, positions, depth);
            return out;
        }
        if (node instanceof SequenceNode) {
            ArrayNode out = NODES.arrayNode();
            for (Node item : ((SequenceNode) node).getValue()) {
                out.add(convert(item, positions, depth + 1));
            }
            return out;
        }
        return scalar((ScalarNode) node, positions);
    }

    /** Explicit keys win over merged ones ({@code <<: *defaults}), as YAML's merge key says. */
    private static void mapping(MappingNode node, ObjectNode out, Positions positions, int depth) {
        List<NodeTuple> tuples = node.getValue();
        for (NodeTuple t : tuples) {
            if (!isMerge(t.getKeyNode())) {
                out.set(key(t.getKeyNode()), convert(t.getValueNode(), positions, depth + 1));
            }
        }
        for (NodeTuple t : tuples) {
            if (isMerge(t.getKeyNode())) {
                Node v = t.getValueNode();
                List<Node> sources = v instanceof SequenceNode ? ((SequenceNode) v).getValue() : List.of(v);
                for (Node source : sources) {
                    JsonNode merged = convert(source, positions, depth + 1);
                    merged.fields().forEachRemaining(e -> {
                        if (!out.has(e.getKey())) {
                            out.set(e.getKey(), e.getValue());
                        }
                    });
                }
            }
        }
    }

    private static boolean isMerge(Node key) {
        return key instanceof ScalarNode && key.getTag().equals(Tag.MERGE);
    }

    private static String key(Node key) {
        return key instanceof ScalarNode ? ((ScalarNode) key).getValue() : key.toString();
    }

    private static JsonNode scalar(ScalarNode node, Positions positions) {
        String value = node.getValue();
        Tag tag = node.getTag();
        if (tag.equals(Tag.NULL)) {
            return NullNode.getInstance();
        }
        if (tag.equals(Tag.BOOL)) {
            String v = value.toLowerCase(java.util.Locale.ROOT);
            return BooleanNode.valueOf(v.equals("true") || v.equals("yes") || v.equals("on") || v.equals("y"));
        }
        if (tag.equals(Tag.INT)) {
            try {
                return LongNode.valueOf(Long.decode(value.replace("_", "").replaceFirst("^([+-]?)0o", "$10")));
            } catch (NumberFormatException e) {
                // 0b101, sexagesimal, or beyond a long: keep the text
            }
        } else if (tag.equals(Tag.FLOAT)) {
            try {
                return DoubleNode.valueOf(Double.parseDouble(value.replace("_", "")));
            } catch (NumberFormatException e) {
                // .inf, .nan: keep the text
            }
        }
        TextNode text = new TextNode(value); // a fresh instance: positions are kept by identity
        record(text, node, positions);
        return text;
    }

    private static void record(JsonNode json, Node node, Positions positions) {
        positions.put(json, node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1);
    }
}
