package org.imagepolicy.webhook.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.imagepolicy.webhook.testing.Project;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar under a real pseudo-terminal ({@code script} from util-linux/bsdutils allocates one):
 * a long run shows its progress line on standard error and the table comes in colour; with {@code
 * --quiet}, or when standard error is a pipe, there is no progress line, and a pipe gets no colour.
 */
class AuditTerminalIT {
    private static final Path SCRIPT = Path.of("/usr/bin/script");

    @TempDir
    static Path dir;
    static Path workloads;

    @BeforeAll
    static void manyWorkloads() throws IOException {
        assertThat(SCRIPT).as("/usr/bin/script (Debian package bsdutils) gives the test its pseudo-terminal").isExecutable();
        workloads = Files.createDirectories(dir.resolve("workloads"));
        for (int f = 0; f < 80; f++) {
            StringBuilder yaml = new StringBuilder();
            for (int i = 0; i < 1000; i++) {
                yaml.append("---\napiVersion: v1\nkind: Pod\nmetadata: {name: p").append(f).append('-').append(i)
                        .append("}\nspec:\n  containers:\n  - {name: a, image: docker.io/library/nginx:1.").append(i % 50).append("}\n");
            }
            Files.writeString(workloads.resolve("pods-" + f + ".yaml"), yaml);
        }
    }

    private static List<String> jar(String... args) {
        Path jar = Project.root().resolve("webhook/target/image-policy-webhook.jar");
        assertThat(jar).as("the packaged jar").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString(), "audit", "--policy", Project.root().resolve("policies").toString(), "--offline"));
        command.addAll(List.of(args));
        return command;
    }

    /** Runs the command with a pseudo-terminal as its standard input, output and error; returns what the terminal showed. */
    private static String underTerminal(List<String> command) throws Exception {
        String line = String.join(" ", command.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
        Path typescript = dir.resolve("terminal-" + System.nanoTime() + ".txt");
        Process p = new ProcessBuilder(SCRIPT.toString(), "-q", "-e", "-c", line, "/dev/null")
                .redirectOutput(typescript.toFile()).redirectErrorStream(true).start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("the audit finished").isTrue();
        return Files.readString(typescript, StandardCharsets.UTF_8);
    }

    @Test
    void longRunShowsProgressOnATerminal() throws Exception {
        String shown = underTerminal(jar("-o", "json=" + dir.resolve("report.json"), workloads.toString()));
        assertThat(shown).contains("\r\u001b[Kaudit: ").containsPattern("\\d+/80 files, [\\d,]+ objects, 0 images resolved, [\\d,]+ objects/s");
        assertThat(shown).as("the line is cleared at the end").endsWith("\r\u001b[K");
        assertThat(AuditCli.JSON.readTree(dir.resolve("report.json").toFile()).path("summary").path("objectsJudged").asInt()).isEqualTo(80_000);
    }

    @Test
    void quietSilencesIt() throws Exception {
        String shown = underTerminal(jar("--quiet", "-o", "json=" + dir.resolve("quiet.json"), workloads.toString()));
        assertThat(shown).doesNotContain("objects/s");
    }

    @Test
    void noProgressWhenStandardErrorIsAPipe() throws Exception {
        Process p = new ProcessBuilder(jar("-o", "json=" + dir.resolve("piped.json"), workloads.toString())).start();
        byte[] err = p.getErrorStream().readAllBytes();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(new String(err, StandardCharsets.UTF_8)).doesNotContain("objects/s");
    }

    @Test
    void tableHasColourOnATerminalOnly() throws Exception {
        Path one = dir.resolve("one.yaml");
        Files.writeString(one, "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers:\n  - {name: a, image: quay.io/x/y:1}\n");
        assertThat(underTerminal(jar(one.toString()))).contains("\u001b[1;31mFAIL");
        Process p = new ProcessBuilder(jar(one.toString())).redirectErrorStream(true).start();
        String piped = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(1, TimeUnit.MINUTES);
        assertThat(piped).contains("FAIL").doesNotContain("\u001b[");
    }
}
