package org.imagepolicy.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.imagepolicy.webhook.testing.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {
    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void checkPolicyAcceptsTheShippedPolicies() {
        Run r = run("check-policy", "--strict", Golden.DIR.resolveSibling("../../../../policies").normalize().toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains(": valid (2 execution rules (1 allow, 1 deny), resolveImages Attempt)");
    }

    @Test
    void checkPolicyPrintsFileLineMessageAndExits2(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.yaml");
        Files.writeString(good, "apiVersion: v1\nkind: ImagePolicyConfig\nexecutionRules:\n- name: a\n  matchRegistries: [quay.io]\n");
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "apiVersion: v1\nkind: ImagePolicyConfig\nexecutionRules:\n- name: a\n  matchRegistries: [\"https://quay.io\"]\n"
                + "  onResources: [{resource: services}]\n");
        Run r = run("check-policy", good.toString(), bad.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).contains(good + ": valid").contains(bad + ": invalid");
        assertThat(r.err().lines()).containsExactly(
                bad + ":5: executionRules[0].matchRegistries[0]: registry \"https://quay.io\" is a URL; write only the host[:port], as in quay.io",
                bad + ":6: executionRules[0].onResources[0]: \"services\" carries no images this webhook can check. Supported: \"\": pods,"
                        + " podtemplates, replicationcontrollers; apps: daemonsets, deployments, replicasets, statefulsets; apps.openshift.io:"
                        + " deploymentconfigs; batch: cronjobs, jobs; build.openshift.io: buildconfigs, builds; extensions: daemonsets,"
                        + " deployments, replicasets");
    }

    @Test
    void checkPolicyWarnsOnUnknownFieldsAndStrictRefusesThem(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("p.yaml");
        Files.writeString(p, "apiVersion: v1\nkind: ImagePolicyConfig\nexecutionRules:\n- name: a\n  team: platform\n");
        Run lenient = run("check-policy", p.toString());
        assertThat(lenient.exit()).isZero();
        assertThat(lenient.err()).contains(p + ":5: warning: executionRules[0].team: unknown field \"team\"; OpenShift ignores it");
        Run strict = run("check-policy", "--strict", p.toString());
        assertThat(strict.exit()).isEqualTo(2);
        assertThat(strict.err()).contains(p + ":5: executionRules[0].team: unknown field");
    }

    @Test
    void checkPolicyReportsMissingFilesAndEmptyDirectories(@TempDir Path dir) {
        Run missing = run("check-policy", dir.resolve("nope.yaml").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.yaml:1: cannot read: no such file or directory");
        Run empty = run("check-policy", dir.toString());
        assertThat(empty.exit()).isEqualTo(2);
        assertThat(empty.err()).contains("the directory has no *.yaml, *.yml, *.json, *.conf or *.toml files");
    }

    @Test
    void reviewPrintsTheResponseReviewAndExits0WhetherAllowedOrDenied() throws Exception {
        Path policy = Golden.DIR.resolve("policy.yaml");
        for (String name : new String[] {"pod-from-quay-denied", "pod-from-docker-hub-allowed"}) {
            Run r = run("review", "--policy", policy.toString(), "--offline", Golden.DIR.resolve(name).resolve("request.json").toString());
            assertThat(r.exit()).as(r.err()).isZero();
            JsonNode expected = new ObjectMapper().readTree(Golden.DIR.resolve(name).resolve("response.json").toFile());
            assertThat(new ObjectMapper().readTree(r.out())).isEqualTo(expected);
        }
    }

    @Test
    void reviewExits2OnBadInputAndOnAnInvalidPolicy(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("review.json");
        Files.writeString(input, "{\"apiVersion\": \"admission.k8s.io/v1\", \"kind\": \"AdmissionReview\"}");
        Run bad = run("review", "--policy", Golden.DIR.resolve("policy.yaml").toString(), input.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains(input + ": the AdmissionReview has no request");
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "kind: ImagePolicyConfig\n");
        Run invalid = run("review", "--policy", policy.toString(), Golden.DIR.resolve("pod-from-quay-denied/request.json").toString());
        assertThat(invalid.exit()).isEqualTo(2);
        assertThat(invalid.err()).contains(policy + ":1: apiVersion: apiVersion is missing");
        Run missing = run("review", "--policy", Golden.DIR.resolve("policy.yaml").toString(), dir.resolve("absent.json").toString());
        assertThat(missing.exit()).isEqualTo(2);
    }

    @Test
    void serveExits2OnAnInvalidPolicyBeforeListening(@TempDir Path dir) throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "apiVersion: v1\nkind: ImagePolicyConfig\nexecutionRules:\n- name: a\n  matchRegistries: [\"*my.registry.example.com*\"]\n");
        Run r = run("serve", "--policy", policy.toString(), "--port", "0", "--health-port", "0", "--cert-dir", dir.resolve("certs").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(policy + ":5: executionRules[0].matchRegistries[0]: registry \"*my.registry.example.com*\": the asterisks"
                + " around my.registry.example.com in OpenShift's documentation are bold formatting, not wildcards; write my.registry.example.com");
    }

    @Test
    void unknownOptionsExit2WithUsage() {
        Run r = run("serve", "--policy", "p.yaml", "--no-such-flag");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option: '--no-such-flag'").contains("Usage: image-policy-webhook serve");
    }

    @Test
    void serveChecksItsClusterOptionsBeforeReachingTheCluster(@TempDir Path dir) throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "apiVersion: v1\nkind: ImagePolicyConfig\n");
        String[] base = {"serve", "--policy", policy.toString(), "--port", "0", "--health-port", "0", "--cert-dir", dir.resolve("certs").toString()};
        Run stray = run(concat(base, "--cluster-namespace", "team-a"));
        assertThat(stray.exit()).isEqualTo(2);
        assertThat(stray.err()).contains("--kubeconfig, --context, --global-pull-secret, --cluster-namespace and --image-api need --cluster");
        Run strayImageApi = run(concat(base, "--image-api"));
        assertThat(strayImageApi.exit()).isEqualTo(2);
        assertThat(strayImageApi.err()).contains("need --cluster");
        Run badNamespace = run(concat(base, "--cluster", "--cluster-namespace", "Team_A"));
        assertThat(badNamespace.exit()).isEqualTo(2);
        assertThat(badNamespace.err()).contains("--cluster-namespace Team_A: not a namespace name");
        Run badSecret = run(concat(base, "--cluster", "--global-pull-secret", "pull-secret"));
        assertThat(badSecret.exit()).isEqualTo(2);
        assertThat(badSecret.err()).contains("--global-pull-secret: write NAMESPACE/NAME, e.g. openshift-config/pull-secret (was \"pull-secret\")");
    }

    private static String[] concat(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }
}
