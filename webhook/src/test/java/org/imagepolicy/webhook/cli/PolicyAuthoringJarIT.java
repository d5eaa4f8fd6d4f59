package org.imagepolicy.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.imagepolicy.webhook.testing.Project;
import org.junit.jupiter.api.Test;

/** The packaged jar's {@code test} and {@code explain}, run from the project root as the README shows them. */
class PolicyAuthoringJarIT {
    record Result(int exit, String output) {
    }

    static Result jar(String... args) throws IOException, InterruptedException {
        Path jar = Project.root().resolve("webhook/target/image-policy-webhook.jar");
        assertThat(jar).as("the packaged jar").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(Project.root().toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the jar finished").isTrue();
        return new Result(p.exitValue(), out);
    }

    @Test
    void testRunsEveryShippedSuiteWithoutARegistry() throws Exception {
        // No --offline: the shipped suites give the facts their lookups need, so nothing may reach a registry.
        Result r = jar("test", "policies/");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("policies/tests/default-policy.yaml (policy policies)")
                .contains("policies/examples/tests/require-digests.yaml (policy policies/examples/require-digests.yaml)")
                .containsPattern("(?m)^\\d+ cases: \\d+ passed, 0 failed; 4 suites$");
    }

    @Test
    void explainShowsTheStepsAndExits1ForADeniedImage() throws Exception {
        Result r = jar("explain", "--policy", "policies/", "--offline", "quay.io/org/app:1");
        assertThat(r.exit()).as(r.output()).isEqualTo(1);
        assertThat(r.output()).contains("1. Reference spec.containers[0].image").contains("registry    quay.io")
                .contains("fails    matchRegistries [docker.io, my.registry.example.com, registry.access.redhat.com]: registry quay.io matches none of them")
                .contains("Decision: DENIED (HTTP 403)")
                .contains("pods \"explain\" is forbidden: spec.containers[0].image: Forbidden: this image is prohibited by policy: no allow rule");
        assertThat(jar("explain", "--policy", "policies/", "--offline", "docker.io/library/nginx:1.25").exit()).isZero();
    }
}
