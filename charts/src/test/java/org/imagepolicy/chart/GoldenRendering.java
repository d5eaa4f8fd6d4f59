package org.imagepolicy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden renderings under src/test/resources/golden, compared as text, since the YAML is what users and reviewers read.
 * Run with {@code -Dgolden.update=true} to rewrite them from the current chart, then review the diff.
 */
final class GoldenRendering {
    private GoldenRendering() {
    }

    static void assertMatches(Path expected, String actual) throws IOException {
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(expected.getParent());
            Files.writeString(expected, actual);
        }
        assertThat(expected).as("golden file %s (run with -Dgolden.update=true to create it)", expected).exists();
        assertThat(actual).as("rendering of %s (run with -Dgolden.update=true to accept the change, then review the diff)",
                expected.getFileName()).isEqualTo(Files.readString(expected));
    }
}
