package org.imagepolicy.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.imagepolicy.webhook.testing.RunningServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code probe}, what helm test runs, against the real server over HTTPS. */
class ProbeCommandTest {
    @TempDir
    static Path dir;
    static RunningServer running;

    @BeforeAll
    static void start() throws Exception {
        running = RunningServer.start(dir, "apiVersion: v1\nkind: ImagePolicyConfig\nexecutionRules:\n- name: quay-only\n"
                + "  onResources: [{resource: pods}]\n  matchRegistries: [quay.io]\n");
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    private static String url() {
        return running.uri("/validate").toString();
    }

    @Test
    void anAllowedImageIsAWellFormedAnswer() {
        CommandLineTest.Run r = CommandLineTest.run("probe", "--url", url(), "--ca", dir.resolve("certs/ca.crt").toString(),
                "--image", "quay.io/org/app:1", "--expect", "allowed");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("probe: " + url() + " answered: allowed pod with image quay.io/org/app:1\n");
    }

    @Test
    void aDeniedImageIsAlsoAnAnswerUnlessAllowedIsExpected() {
        CommandLineTest.Run any = CommandLineTest.run("probe", "--url", url(), "--ca", dir.resolve("certs/ca.crt").toString());
        assertThat(any.exit()).as(any.err()).isZero();
        assertThat(any.out()).startsWith("probe: " + url() + " answered: denied pod with image registry.k8s.io/pause:3.10 (")
                .contains("quay-only");
        CommandLineTest.Run expectAllowed = CommandLineTest.run("probe", "--url", url(), "--ca", dir.resolve("certs/ca.crt").toString(),
                "--expect", "allowed");
        assertThat(expectAllowed.exit()).isEqualTo(1);
        assertThat(expectAllowed.err()).isEqualTo("probe: expected allowed\n");
    }

    @Test
    void aServerNotSignedByTheGivenCaFails(@TempDir Path other) {
        CommandLineTest.Run gen = CommandLineTest.run("certs", "generate", "--service", "x", "--namespace", "y", "--out", other.toString());
        assertThat(gen.exit()).as(gen.err()).isZero();
        CommandLineTest.Run r = CommandLineTest.run("probe", "--url", url(), "--ca", other.resolve("ca.crt").toString(), "--timeout", "5s");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("probe: " + url() + " did not answer: javax.net.ssl.SSLHandshakeException");
    }

    @Test
    void aPathThatIsNotTheWebhookFails() {
        CommandLineTest.Run r = CommandLineTest.run("probe", "--url", running.uri("/nothing").toString(), "--ca",
                dir.resolve("certs/ca.crt").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("probe: " + running.uri("/nothing") + " answered HTTP 404");
    }

    @Test
    void badArgumentsExit2() {
        assertThat(CommandLineTest.run("probe", "--url", url(), "--ca", dir.resolve("missing.crt").toString()).exit()).isEqualTo(2);
        assertThat(CommandLineTest.run("probe", "--url", url(), "--ca", dir.resolve("certs/ca.crt").toString(), "--expect", "maybe").exit())
                .isEqualTo(2);
    }
}
