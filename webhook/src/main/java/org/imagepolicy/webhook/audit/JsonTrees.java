package org.imagepolicy.webhook.audit;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;

/**
 * A JSON value read into a Jackson tree with each object's and string's position. JSON goes through
 * Jackson, not the YAML parser: tab-indented JSON (all of openshift/library) is valid JSON but not YAML 1.1.
 */
final class JsonTrees {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTrees() {
    }

    /** Reads the value starting at the parser's current token. */
    static JsonNode read(JsonParser p, Positions positions) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                ObjectNode out = NODES.objectNode();
                record(out, p, positions);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    out.set(name, read(p, positions));
                }
                return out;
            }
            case START_ARRAY: {
                ArrayNode out = NODES.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    out.add(read(p, positions));
                }
                return out;
            }
            case VALUE_STRING: {
                TextNode text = new TextNode(p.getText());
                record(text, p, positions);
                return text;
            }
            case VALUE_NUMBER_INT:
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? NODES.numberNode(p.getBigIntegerValue())
                        : NODES.numberNode(p.getLongValue());
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new IOException("unexpected " + t);
        }
    }

    private static void record(JsonNode node, JsonParser p, Positions positions) {
        JsonLocation l = p.currentTokenLocation();
        positions.put(node, l.getLineNr(), l.getColumnNr());
    }
}
