package org.imagepolicy.webhook.admission;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.filter.TokenFilter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Builds the tree that {@code FilteringParserDelegate} (path inclusion, multiple matches) feeding
 * {@code readTree} builds, straight from the raw parser: that pairing buffered and replayed every kept
 * token and cost about half of decoding. The filter still decides what is kept; containers with
 * nothing kept are dropped, as the delegate drops them; numbers and wholly kept subtrees are left to
 * Jackson's own tree reader so their node types cannot differ.
 */
final class FilteredTree {
    private final ObjectMapper mapper;
    private final JsonNodeFactory nodes;

    FilteredTree(ObjectMapper mapper) {
        this.mapper = mapper;
        this.nodes = mapper.getNodeFactory();
    }

    /** The first root value that keeps anything, as the filtered readTree returns it; null at the end of input. */
    JsonNode readRoot(JsonParser p, TokenFilter filter) throws IOException {
        for (int index = 0; p.nextToken() != null; index++) {
            TokenFilter f = filter.includeRootValue(index);
            JsonNode value = f == null ? skip(p) : read(p, f);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** The value at the current token with what {@code filter} keeps of it, or null when it keeps nothing. */
    private JsonNode read(JsonParser p, TokenFilter filter) throws IOException {
        if (filter == TokenFilter.INCLUDE_ALL) {
            return mapper.readTree(p);
        }
        JsonToken token = p.currentToken();
        if (token == JsonToken.START_OBJECT) {
            TokenFilter f = filter.filterStartObject();
            return f == null ? skip(p) : f == TokenFilter.INCLUDE_ALL ? mapper.readTree(p) : object(p, f);
        }
        if (token == JsonToken.START_ARRAY) {
            TokenFilter f = filter.filterStartArray();
            return f == null ? skip(p) : f == TokenFilter.INCLUDE_ALL ? mapper.readTree(p) : array(p, f);
        }
        if (!filter.includeValue(p)) {
            return null;
        }
        return switch (token) {
            case VALUE_STRING -> nodes.textNode(p.getText());
            case VALUE_TRUE -> nodes.booleanNode(true);
            case VALUE_FALSE -> nodes.booleanNode(false);
            case VALUE_NULL -> nodes.nullNode();
            default -> mapper.readTree(p);
        };
    }

    private ObjectNode object(JsonParser p, TokenFilter filter) throws IOException {
        ObjectNode object = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            TokenFilter f = filter.includeProperty(name);
            p.nextToken();
            JsonNode value = f == null ? skip(p) : read(p, f);
            if (value != null) {
                if (object == null) {
                    object = nodes.objectNode();
                }
                object.replace(name, value); // a repeated name: the last kept value wins, as in readTree
            }
        }
        return object;
    }

    private ArrayNode array(JsonParser p, TokenFilter filter) throws IOException {
        ArrayNode array = null;
        for (int index = 0; p.nextToken() != JsonToken.END_ARRAY; index++) {
            TokenFilter f = filter.includeElement(index);
            JsonNode value = f == null ? skip(p) : read(p, f);
            if (value != null) {
                if (array == null) {
                    array = nodes.arrayNode();
                }
                array.add(value);
            }
        }
        return array;
    }

    private static JsonNode skip(JsonParser p) throws IOException {
        p.skipChildren();
        return null;
    }
}
