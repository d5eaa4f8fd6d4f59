package org.imagepolicy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The JVM options the chart derives, given to a real JVM told the container's memory (-XX:MaxRAM): the heap it takes
 * and every other pool's ceiling must fit inside the limit, so the kernel never OOM-kills the webhook.
 */
class JvmMemoryTest {
    private static final long MIB = 1024 * 1024;
    /** Threads, GC structures, BoringSSL and the JVM itself: what has no flag of its own. */
    private static final long UNCAPPED_ALLOWANCE = 48 * MIB;

    @ParameterizedTest(name = "{0} at {1}%")
    @CsvSource({"768Mi, 50", "640Mi, 50", "1Gi, 60", "2Gi, 75", "4Gi, 85", "1500M, 70"})
    void everyPoolHasACeilingAndTheyFitTheLimit(String limit, int percent, @TempDir Path dir) throws Exception {
        Path values = dir.resolve("values.yaml");
        Files.writeString(values, "resources:\n  limits: {memory: " + limit + "}\n  requests: {memory: " + limit + "}\njvm:\n  maxRAMPercentage: "
                + percent + "\n");
        Container c = Workload.webhook(RenderedChart.render(values));
        long limitBytes = bytes(c.getResources().getLimits().get("memory").toString());

        Map<String, Long> flags = finalFlags(Workload.jvmOptions(c), limitBytes);

        long heap = flags.get("MaxHeapSize");
        // The JVM rounds the heap to its region size (G1: 1 to 4 MiB here).
        assertThat(heap).as("heap").isBetween(limitBytes * percent / 100 - 4 * MIB, limitBytes * percent / 100 + 4 * MIB);
        long ceilings = heap + flags.get("MaxDirectMemorySize") + flags.get("MaxMetaspaceSize") + flags.get("ReservedCodeCacheSize");
        assertThat(ceilings + UNCAPPED_ALLOWANCE).as("heap, direct, metaspace and code ceilings plus 48 MiB, against %s", limit)
                .isLessThanOrEqualTo(limitBytes);
        assertThat(flags.get("ExitOnOutOfMemoryError")).isEqualTo(1L);
    }

    private static long bytes(String quantity) {
        Matcher m = Pattern.compile("(\\d+)(Ki|Mi|Gi|M|G)?").matcher(quantity);
        assertThat(m.matches()).isTrue();
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "" : m.group(2)) {
            case "Ki" -> n * 1024;
            case "Mi" -> n * MIB;
            case "Gi" -> n * 1024 * MIB;
            case "M" -> n * 1_000_000;
            case "G" -> n * 1_000_000_000;
            default -> n;
        };
    }

    /** Runs {@code java OPTIONS -XX:MaxRAM=LIMIT -XX:+PrintFlagsFinal -version}: the JVM also rejects any bad option. */
    private static Map<String, Long> finalFlags(List<String> options, long maxRam) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.add("-XX:MaxRAM=" + maxRam);
        command.add("-XX:+PrintFlagsFinal");
        command.add("-version");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("java %s:%n%s", options, out).isZero();
        Map<String, Long> flags = new HashMap<>();
        Matcher m = Pattern.compile("^\\s*\\S+\\s+(\\w+)\\s+=\\s+(\\S+)", Pattern.MULTILINE).matcher(out);
        while (m.find()) {
            String value = m.group(2);
            if (value.matches("\\d{1,18}")) {
                flags.put(m.group(1), Long.parseLong(value));
            } else if (value.equals("true") || value.equals("false")) {
                flags.put(m.group(1), value.equals("true") ? 1L : 0L);
            }
        }
        return flags;
    }
}
