package org.imagepolicy.webhook.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Golden files under {@code src/test/resources/golden}: compared as JSON trees, so formatting is free.
 * Run with {@code -Dgolden.update=true} to rewrite them from the current behaviour, then review the diff.
 */
public final class Golden {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    public static final Path DIR = Project.root().resolve("webhook/src/test/resources/golden");

    private Golden() {
    }

    public static List<Path> cases() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    public static void assertMatches(Path expectedFile, byte[] actualJson) throws IOException {
        JsonNode actual = JSON.readTree(actualJson);
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(expectedFile.getParent());
            Files.writeString(expectedFile, JSON.writeValueAsString(actual) + "\n");
        }
        assertThat(Files.exists(expectedFile)).as("golden file %s exists (run with -Dgolden.update=true to create it)", expectedFile)
                .isTrue();
        JsonNode expected = JSON.readTree(expectedFile.toFile());
        assertThat(JSON.writeValueAsString(actual)).as("answer for %s", expectedFile.getParent().getFileName())
                .isEqualTo(JSON.writeValueAsString(expected));
    }

    /**
     * For text formats compared byte for byte (the audit table, YAML, XML, HTML): the writers promise deterministic output, so
     * any difference is a change someone should review.
     */
    public static void assertTextMatches(Path expectedFile, String actual) throws IOException {
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(expectedFile.getParent());
            Files.writeString(expectedFile, actual);
        }
        assertThat(Files.exists(expectedFile)).as("golden file %s exists (run with -Dgolden.update=true to create it)", expectedFile)
                .isTrue();
        assertThat(actual).as("output for %s", expectedFile.getFileName()).isEqualTo(Files.readString(expectedFile));
    }
}
