package org.imagepolicy.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.imagepolicy.webhook.authoring.SuiteFiles;
import org.imagepolicy.webhook.testing.Project;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code test}: the shipped suites pass, every shipped policy has one, every shipped case fails when its
 * expectation is wrong (so no case passes whatever the policy does), and bad suites exit 2 saying FILE:LINE.
 */
class PolicyTestCommandTest {
    static final Path POLICIES = Project.root().resolve("policies");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Pattern SUMMARY = Pattern.compile("(?m)^(\\d+) cases: (\\d+) passed, (\\d+) failed; (\\d+) suites?");

    @Test
    void theShippedSuitesPassOffline() {
        CommandLineTest.Run r = CommandLineTest.run("test", "--offline", POLICIES.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        Matcher m = SUMMARY.matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        assertThat(Integer.parseInt(m.group(1))).as("cases run").isGreaterThanOrEqualTo(25).isEqualTo(Integer.parseInt(m.group(2)));
        assertThat(m.group(4)).as("suites").isEqualTo("4");
        assertThat(r.out()).doesNotContain("FAIL");
    }

    @Test
    void everyShippedPolicyHasASuite() throws IOException {
        List<Path> suites = SuiteFiles.find(POLICIES);
        List<Path> tested = new ArrayList<>();
        for (Path suite : suites) {
            JsonNode policy = YAML.readTree(suite.toFile()).path("policy");
            tested.add(policy.isMissingNode() ? suite.getParent().getParent().normalize() : suite.getParent().resolve(policy.asText()).normalize());
        }
        assertThat(tested).as("the policies/ directory itself").contains(POLICIES.normalize());
        try (Stream<Path> examples = Files.list(POLICIES.resolve("examples"))) {
            examples.filter(p -> p.toString().endsWith(".yaml")).forEach(example -> assertThat(tested).as("a suite for %s", example).contains(example.normalize()));
        }
    }

    /**
     * Each case of each shipped suite, with its expected result changed (or its message pattern made one that
     * cannot match), must fail: a case that passes whatever it expects tests nothing.
     */
    @TestFactory
    Stream<DynamicTest> everyShippedCaseFailsWhenItsExpectationIsWrong(@TempDir Path dir) throws IOException {
        return SuiteFiles.find(POLICIES).stream().map(suite -> DynamicTest.dynamicTest(POLICIES.relativize(suite).toString(), () -> {
            ObjectNode wrongResult = mutable(suite);
            ObjectNode wrongMessage = mutable(suite);
            int cases = wrongResult.path("cases").size();
            int withMessage = 0;
            for (int i = 0; i < cases; i++) {
                flipResults((ObjectNode) wrongResult.path("cases").get(i));
                withMessage += breakMessages((ObjectNode) wrongMessage.path("cases").get(i)) ? 1 : 0;
            }
            assertFails(write(dir, suite, "wrong-result", wrongResult), cases);
            if (withMessage > 0) {
                assertFails(write(dir, suite, "wrong-message", wrongMessage), withMessage);
            }
        }));
    }

    private static void assertFails(Path suite, int expectedFailures) {
        CommandLineTest.Run r = CommandLineTest.run("test", "--offline", suite.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        Matcher m = SUMMARY.matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        assertThat(Integer.parseInt(m.group(3))).as("failed cases in %s:%n%s", suite, r.out()).isEqualTo(expectedFailures);
    }

    /** The suite's tree, with the policy and object files made absolute so the copy runs from anywhere. */
    private static ObjectNode mutable(Path suite) throws IOException {
        ObjectNode root = (ObjectNode) YAML.readTree(suite.toFile());
        Path dir = suite.toAbsolutePath().getParent();
        root.put("policy", root.has("policy") ? dir.resolve(root.path("policy").asText()).normalize().toString() : dir.getParent().toString());
        for (JsonNode c : root.path("cases")) {
            if (c.has("file")) {
                ((ObjectNode) c).put("file", dir.resolve(c.path("file").asText()).toString());
            }
        }
        return root;
    }

    private static void flipResults(ObjectNode c) {
        if (c.path("expect").isTextual()) {
            c.put("expect", other(c.path("expect").asText()));
            return;
        }
        for (JsonNode e : (ArrayNode) c.path("expect")) {
            ((ObjectNode) e).put("expect", other(e.path("expect").asText()));
        }
    }

    private static boolean breakMessages(ObjectNode c) {
        boolean any = false;
        if (c.has("message")) {
            c.put("message", "a message no decision contains");
            any = true;
        }
        for (JsonNode e : c.path("expect")) {
            if (e.has("message")) {
                ((ObjectNode) e).put("message", "a message no decision contains");
                any = true;
            }
        }
        return any;
    }

    private static String other(String outcome) {
        return outcome.equals("pass") ? "fail" : "pass";
    }

    private static Path write(Path dir, Path suite, String kind, ObjectNode tree) throws IOException {
        Path out = dir.resolve(suite.getParent().getParent().getFileName() + "-" + suite.getFileName().toString().replace(".yaml", "-" + kind + ".yaml"));
        YAML.writeValue(out.toFile(), tree);
        return out;
    }

    /** The suite the README shows passes, beside copies of the policy and object it names. */
    @Test
    void theReadmesSampleSuitePasses(@TempDir Path dir) throws IOException {
        String readme = Files.readString(Project.root().resolve("README.md"));
        int at = readme.indexOf("```yaml\napiVersion: imagepolicy.org/v1alpha1");
        assertThat(at).as("the README's sample suite").isPositive();
        String suite = readme.substring(at + "```yaml\n".length(), readme.indexOf("```", at + 7));
        Files.createDirectories(dir.resolve("tests/objects"));
        Files.copy(POLICIES.resolve("examples/approved-label.yaml"), dir.resolve("approved-label.yaml"));
        Files.copy(POLICIES.resolve("examples/tests/objects/deployment-web.yaml"), dir.resolve("tests/objects/deployment-web.yaml"));
        Files.writeString(dir.resolve("tests/readme.yaml"), suite);
        CommandLineTest.Run r = CommandLineTest.run("test", dir.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("3 cases: 3 passed, 0 failed; 1 suite");
    }

    @Test
    void aFailedCaseSaysWhatWasExpectedWhatHappenedAndWhy(@TempDir Path dir) throws IOException {
        Path suite = dir.resolve("suite.yaml");
        Files.writeString(suite, """
                apiVersion: imagepolicy.org/v1alpha1
                kind: ImagePolicyTest
                policy: %s
                cases:
                - name: quay is trusted, or so the author thought
                  image: quay.io/org/app:1
                  expect: pass
                - name: right result, wrong words
                  image: quay.io/org/app:1
                  expect: fail
                  message: registry is blocked
                - name: an image left without an expectation
                  object:
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: two}
                    spec:
                      containers:
                      - {name: a, image: "docker.io/library/nginx:1"}
                      - {name: b, image: "quay.io/org/app:1"}
                  expect:
                  - image: docker.io/library/nginx:1
                    expect: pass
                  - image: docker.io/library/redis:7
                    expect: pass
                """.formatted(POLICIES.resolve("trusted-registries.yaml")));
        CommandLineTest.Run r = CommandLineTest.run("test", "--offline", suite.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("  FAIL  quay is trusted, or so the author thought (" + suite + ":5)")
                .contains("spec.containers[0].image \"quay.io/org/app:1\": expected pass, got fail (no rule matched, and an allow rule makes this"
                        + " resource default-deny)")
                .contains("    message: spec.containers[0].image: Forbidden: this image is prohibited by policy: no allow rule for pods matched")
                .contains("fail as expected, but the message does not contain /registry is blocked/")
                .contains("spec.containers[1].image \"quay.io/org/app:1\" has no expectation (it was fail); add {image: quay.io/org/app:1, expect: fail}")
                .contains("no reference is image \"docker.io/library/redis:7\"")
                .contains("3 cases: 0 passed, 3 failed; 1 suite");
    }

    @Test
    void badSuitesExit2WithFileAndLine(@TempDir Path dir) throws IOException {
        Path suite = dir.resolve("bad.yaml");
        Files.writeString(suite, """
                apiVersion: imagepolicy.org/v1alpha1
                kind: ImagePolicyTest
                policy: %s
                images:
                  quay.io/org/app:1: {error: gone, labels: {a: b}}
                cases:
                - name: typo
                  image: quay.io/org/app:1
                  expext: pass
                - name: word
                  image: quay.io/org/app:1
                  expect: denied
                - name: regex
                  image: quay.io/org/app:1
                  expect: fail
                  message: matched "quay.io/org/app:1" (allow rule
                - name: both
                  image: quay.io/org/app:1
                  file: objects/pod.yaml
                  expect: fail
                - name: missing file
                  file: objects/none.yaml
                  expect: fail
                """.formatted(POLICIES.resolve("trusted-registries.yaml")));
        Path notASuite = dir.resolve("tests/pod.yaml");
        Files.createDirectories(notASuite.getParent());
        Files.writeString(notASuite, "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n");
        CommandLineTest.Run r = CommandLineTest.run("test", suite.toString(), dir.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).contains(
                suite + ":5: an image with error: did not resolve, so it has no digest, labels or annotations; remove them or the error",
                suite + ":9: unknown field \"expext\"; expected one of [name, image, resource, object, file, namespace, expect, message]",
                suite + ":12: expect \"denied\" is not one of pass, fail, warn, audit, error, skip",
                suite + ":17: give exactly one of image: (a pod, or the resource: you name, with that image), object: (inline) or file: (a path)",
                notASuite + ":2: a suite starts with apiVersion: imagepolicy.org/v1alpha1 and kind: ImagePolicyTest (found v1, Pod); objects a suite refers to belong in a subdirectory such as tests/objects/");
        assertThat(r.err()).contains(suite + ":16: message is a regular expression searched for in the image's message; this one is invalid: Unclosed group")
                .contains(suite + ":22: cannot read ").contains("objects/none.yaml: no such file")
                .doesNotContain("Exception");
        assertThat(r.err()).as("a file that is not a suite is reported once, not field by field").doesNotContain("pod.yaml:3");
        assertThat(r.out()).contains("invalid suite");
    }

    @Test
    void anInvalidPolicyOrAnUnjudgedKindExits2WithFileAndLine(@TempDir Path dir) throws IOException {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "apiVersion: v1\nkind: ImagePolicyConfig\nexecutionRules:\n- name: a\n  matchRegistries: [\"https://quay.io\"]\n");
        Path suite = dir.resolve("tests/suite.yaml");
        Files.createDirectories(suite.getParent());
        Files.writeString(suite, "apiVersion: imagepolicy.org/v1alpha1\nkind: ImagePolicyTest\npolicy: ../policy.yaml\ncases:\n"
                + "- name: a\n  image: quay.io/a:1\n  expect: fail\n");
        CommandLineTest.Run r = CommandLineTest.run("test", dir.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(":5: executionRules[0].matchRegistries[0]: registry \"https://quay.io\" is a URL");
        assertThat(r.out()).contains("could not run");

        Files.writeString(policy, "apiVersion: v1\nkind: ImagePolicyConfig\nexecutionRules:\n- name: a\n  matchRegistries: [quay.io]\n");
        Files.writeString(suite, "apiVersion: imagepolicy.org/v1alpha1\nkind: ImagePolicyTest\ncases:\n"
                + "- name: a service\n  object: {apiVersion: v1, kind: Service, metadata: {name: s}}\n  expect: skip\n");
        CommandLineTest.Run kind = CommandLineTest.run("test", dir.toString());
        assertThat(kind.exit()).isEqualTo(2);
        assertThat(kind.err()).contains("suite.yaml:4: case \"a service\": kind Service (apiVersion \"v1\") is not a resource the webhook judges");
    }
}
