package org.imagepolicy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chart README's values table is generated from values.yaml; this keeps the two in step. */
class ChartReadmeTest {
    private static final String START = "<!-- values:start (generated from values.yaml by ChartReadmeTest; -Dgolden.update=true rewrites it) -->\n";
    private static final String END = "<!-- values:end -->";

    @Test
    void everyValueIsDocumentedAndTheReadmeListsThemAll() throws Exception {
        Path readme = Project.chart().resolve("README.md");
        List<String> undocumented = new ArrayList<>();
        List<ValuesReference.Row> rows = ValuesReference.rows(Files.readString(Project.chart().resolve("values.yaml")), undocumented);
        assertThat(undocumented).as("values.yaml keys without a '# --' description").isEmpty();
        assertThat(rows).extracting(ValuesReference.Row::key).contains("replicaCount", "webhook.failurePolicy", "webhook.timeoutSeconds",
                "certificates.mode", "resources", "registry.cacheMaxHeapPercent");

        String text = Files.readString(readme);
        int start = text.indexOf(START);
        int end = text.indexOf(END);
        assertThat(start).as("%s has the values markers", readme).isNotNegative();
        assertThat(end).isGreaterThan(start);
        String generated = text.substring(0, start + START.length()) + ValuesReference.table(rows) + text.substring(end);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(readme, generated);
            text = generated;
        }
        assertThat(text).as("charts/image-policy-webhook/README.md is out of step with values.yaml; run the chart tests with"
                + " -Dgolden.update=true").isEqualTo(generated);
    }

    @Test
    void aKeyWithoutADescriptionIsReported() throws Exception {
        List<String> undocumented = new ArrayList<>();
        List<ValuesReference.Row> rows = ValuesReference.rows("""
                # -- Documented.
                a: 1
                b:
                  # -- Nested and documented.
                  c: x
                  d: []
                # -- A documented object: its children are its default.
                e:
                  f: 2
                """, undocumented);
        assertThat(undocumented).containsExactly("b.d");
        assertThat(rows).extracting(ValuesReference.Row::key).containsExactly("a", "b.c", "e");
        assertThat(rows.get(2).defaultValue()).isEqualTo("{\"f\":2}");
        assertThat(rows.get(1).type()).isEqualTo("string");
    }
}
