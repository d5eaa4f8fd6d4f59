package org.imagepolicy.webhook.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.filter.FilteringParserDelegate;
import com.fasterxml.jackson.core.filter.TokenFilter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.imagepolicy.webhook.testing.Project;
import org.junit.jupiter.api.Test;

/** FilteredTree keeps exactly what Jackson's filtering delegate fed to readTree keeps, node types included. */
class FilteredTreeTest {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    /** Empty and wholly filtered containers, repeated names, several roots, numbers, and what follows a root. */
    private static final String[] EDGES = {"", "{}", "[]", "null", "5", "1.5", "\"x\"", "{} {}", "{} {\"kind\":\"AdmissionReview\"}",
        "{\"x\":1}{\"name\":2}", "[1,{\"kind\":2}]", "{\"request\":{}}", "{\"request\":{\"object\":{\"spec\":{\"containers\":[]}}}}",
        "{\"request\":{\"object\":{\"spec\":{\"containers\":[{},{\"image\":\"a\"},[],[\"b\"],null,3]}}}}", "{\"kind\":1,\"kind\":\"x\"}",
        "{\"kind\":\"x\",\"kind\":{}}", "{\"kind\":\"x\",\"kind\":{\"name\":1.5e3}}", "{\"version\":12345678901234567890123,\"name\":-0}",
        "{\"metadata\":{\"annotations\":{\"a\":1,\"image.openshift.io/triggers\":{\"x\":[]},\"b\":{}}}}",
        "{\"metadata\":{\"annotations\":[1,{\"a\":2},[]]}}", "{\"from\":{}, \"x\":{\"from\":[]}}", "{\"from\":null}",
        "{\"a\":{\"b\":[{\"c\":{\"name\":1}}]}}"};

    @Test
    void keepsWhatTheFilteringDelegateKept() throws IOException {
        List<byte[]> bodies = new ArrayList<>();
        for (String edge : EDGES) {
            bodies.add(edge.getBytes(StandardCharsets.UTF_8));
        }
        Path resources = Project.root().resolve("webhook/src/test/resources");
        try (Stream<Path> files = Files.walk(resources)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                bodies.add(Files.readAllBytes(f));
            }
        }
        assertThat(bodies).hasSizeGreaterThan(EDGES.length + 20);
        for (byte[] body : bodies) {
            assertThat(read(body, FilteredTreeTest::filtered)).as(new String(body, StandardCharsets.UTF_8))
                    .isEqualTo(read(body, FilteredTreeTest::delegated));
        }
    }

    interface Reader {
        JsonNode read(byte[] body) throws IOException;
    }

    /** The tree, or the parse error: malformed bodies must fail the same way at the same place. */
    private static String read(byte[] body, Reader reader) {
        try {
            return typed(reader.read(body));
        } catch (IOException e) {
            return "error: " + e.getMessage();
        }
    }

    private static JsonNode delegated(byte[] body) throws IOException {
        try (JsonParser p = new FilteringParserDelegate(FACTORY.createParser(body), DecisionFields.INSTANCE,
                TokenFilter.Inclusion.INCLUDE_ALL_AND_PATH, true)) {
            return MAPPER.readTree(p);
        }
    }

    private static JsonNode filtered(byte[] body) throws IOException {
        try (JsonParser p = FACTORY.createParser(body)) {
            return new FilteredTree(MAPPER).readRoot(p, DecisionFields.INSTANCE);
        }
    }

    /** equals() alone would take an IntNode for a LongNode of the same value; the rendering names each node's class. */
    private static String typed(JsonNode node) {
        if (node == null) {
            return "absent";
        }
        StringBuilder out = new StringBuilder(node.getClass().getSimpleName()).append(':');
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> out.append(e.getKey()).append('=').append(typed(e.getValue())).append(';'));
        } else if (node.isArray()) {
            node.forEach(element -> out.append(typed(element)).append(';'));
        } else {
            out.append(node);
        }
        return out.append('.').toString();
    }
}
