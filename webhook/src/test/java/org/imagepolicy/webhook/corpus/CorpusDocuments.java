package org.imagepolicy.webhook.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.imagepolicy.webhook.testing.Project;

/** Every document of {@code shared/corpus}: JSON files with a JSON parser (many are tab-indented), the rest as YAML. */
final class CorpusDocuments {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    record Document(Path file, JsonNode node) {
        String name() {
            return Project.shared().resolve("corpus").relativize(file).toString();
        }
    }

    private CorpusDocuments() {
    }

    static List<Path> files() throws IOException {
        try (Stream<Path> s = Files.walk(Project.shared().resolve("corpus"))) {
            return s.filter(Files::isRegularFile).filter(p -> p.toString().matches(".*\\.(json|ya?ml)$")).sorted().toList();
        }
    }

    static List<Document> documents() throws IOException {
        List<Document> out = new ArrayList<>();
        for (Path file : files()) {
            ObjectMapper mapper = file.toString().endsWith(".json") ? JSON : YAML;
            try (MappingIterator<JsonNode> it = mapper.readerFor(JsonNode.class).readValues(file.toFile())) {
                while (it.hasNextValue()) {
                    JsonNode node = it.nextValue();
                    if (node != null && node.isObject()) {
                        out.add(new Document(file, node));
                    }
                }
            }
        }
        return out;
    }

    /** Objects inside Lists and OpenShift Templates count as objects too, as an audit would read them. */
    static List<JsonNode> objects(JsonNode document) {
        List<JsonNode> out = new ArrayList<>();
        out.add(document);
        for (String nested : new String[] {"items", "objects"}) {
            for (JsonNode item : document.path(nested)) {
                if (item.isObject()) {
                    out.addAll(objects(item));
                }
            }
        }
        return out;
    }
}
