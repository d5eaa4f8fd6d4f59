package org.imagepolicy.webhook.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imagepolicy.webhook.audit.AuditCli.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.imagepolicy.webhook.testing.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The table and JSON reports of {@code audit} and {@code diff} over {@code audit/inputs}, against golden
 * files in {@code audit/golden} ({@code -Dgolden.update=true} rewrites them). Per-run values (the time,
 * the tool's version, the checkout's path) are replaced before comparing.
 */
class AuditReportGoldenTest {
    private static final Path GOLDEN = AuditCli.DIR.resolve("golden");

    private static String stable(String report) {
        return report.replace(AuditCli.DIR.toString() + "/", "").replaceAll("(\\d+ images resolved); [0-9.]+ s", "$1; N s");
    }

    private static byte[] stableJson(String report) throws Exception {
        ObjectNode root = (ObjectNode) AuditCli.JSON.readTree(stable(report));
        root.put("startedAt", "(time)").put("tool", "(version)");
        ((ObjectNode) root.path("summary")).put("elapsedMillis", 0);
        return AuditCli.JSON.writeValueAsBytes(root);
    }

    @Test
    void auditTable() throws Exception {
        AuditCli.Run r = run("audit", "--policy", AuditCli.policy(), "--offline", AuditCli.INPUTS.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        Golden.assertTextMatches(GOLDEN.resolve("audit.table.txt"), stable(r.out()));
        assertThat(r.out()).as("no colour when the output is not a terminal").doesNotContain("\u001b[");
    }

    @Test
    void auditJson() throws Exception {
        AuditCli.Run r = run("audit", "--policy", AuditCli.policy(), "--offline", "-o", "json", AuditCli.INPUTS.toString());
        Golden.assertMatches(GOLDEN.resolve("audit.json"), stableJson(r.out()));
    }

    @Test
    void diffTableAndJson() throws Exception {
        String[] args = {"diff", "--policy", AuditCli.policy(), "--against", AuditCli.DIR.resolve("policy-stricter.yaml").toString(),
            "--offline", AuditCli.INPUTS.toString()};
        AuditCli.Run table = run(args);
        assertThat(table.exit()).as("docker.io images are newly denied").isEqualTo(1);
        Golden.assertTextMatches(GOLDEN.resolve("diff.table.txt"), stable(table.out()));
        String[] json = java.util.Arrays.copyOf(args, args.length + 2);
        json[args.length] = "-o";
        json[args.length + 1] = "json";
        AuditCli.Run r = run(json);
        Golden.assertMatches(GOLDEN.resolve("diff.json"), stableJson(r.out()));
        JsonNode nginx = AuditCli.reference(r, "docker.io/library/nginx:1.27");
        assertThat(nginx.path("change").asText()).isEqualTo("newly_denied");
        assertThat(nginx.path("previous").path("outcome").asText()).isEqualTo("pass");
        assertThat(AuditCli.reference(r, "registry.example.com/experimental/migrate:0.1").path("change").asText())
                .as("warn to fail").isEqualTo("newly_denied");
        assertThat(AuditCli.reference(r, "quay.io/acme/proxy:2").path("change").asText()).isEqualTo("unchanged");
    }

    @Test
    void diffOfAPolicyWithItselfChangesNothing() throws Exception {
        AuditCli.Run r = run("diff", "--policy", AuditCli.policy(), "--against", AuditCli.policy(), "--offline", "-o", "json",
                AuditCli.INPUTS.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.references()).isNotEmpty().allSatisfy(ref -> assertThat(ref.path("change").asText()).isEqualTo("unchanged"));
    }

    @Test
    void severalOutputsAtOnce(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("report.json");
        Path table = dir.resolve("report.txt");
        AuditCli.Run r = run("audit", "--policy", AuditCli.policy(), "--offline", "-o", "json=" + json, "-o", "table=" + table,
                AuditCli.INPUTS.toString());
        assertThat(r.out()).isEmpty();
        assertThat(AuditCli.JSON.readTree(json.toFile()).path("summary").path("filesRead").asInt()).isEqualTo(11);
        assertThat(Files.readString(table, StandardCharsets.UTF_8)).startsWith("audit of ");
    }

    @Test
    void exitCodes() {
        String pass = AuditCli.input("helm-template-output.yaml");
        String warnOnly = AuditCli.INPUTS.resolve("multi-document-pod-and-deployment.yaml").toString();
        assertThat(run("audit", "--policy", AuditCli.policy(), "--offline", pass).exit()).isZero();
        assertThat(run("audit", "--policy", AuditCli.policy(), "--offline", warnOnly).exit()).isEqualTo(1);
        assertThat(run("audit", "--policy", AuditCli.policy(), "--offline", "--fail-on", "warn", pass).exit()).isZero();
        assertThat(run("audit", "--policy", AuditCli.policy(), "--offline", "--fail-on", "warn",
                AuditCli.input("list-of-pods.yaml")).exit()).as("an audit-only match never fails the run").isZero();
        assertThat(run("audit", "--policy", AuditCli.policy(), "--offline", "--fail-on", "error", AuditCli.input("not-valid-yaml.yaml"))
                .exit()).as("an unreadable input is an error").isEqualTo(1);
        assertThat(run("audit", "--policy", AuditCli.policy(), "--offline", AuditCli.input("not-valid-yaml.yaml")).exit()).isZero();
        AuditCli.Run badFormat = run("audit", "--policy", AuditCli.policy(), "-o", "yaml", pass);
        assertThat(badFormat.exit()).isEqualTo(2);
        assertThat(badFormat.err()).contains("unknown output format \"yaml\"").contains("table, json");
        assertThat(run("audit", "--policy", AuditCli.policy(), "--fail-on", "sometimes", pass).exit()).isEqualTo(2);
        assertThat(run("audit", "--policy", AuditCli.input("not-valid-yaml.yaml"), pass).exit()).as("an invalid policy").isEqualTo(2);
        AuditCli.Run twoStdout = run("audit", "--policy", AuditCli.policy(), "-o", "json", "-o", "table", pass);
        assertThat(twoStdout.exit()).isEqualTo(2);
        assertThat(twoStdout.err()).contains("only one format can go to standard output");
    }

    @Test
    void warnFailsTheRunWhenAskedTo(@TempDir Path dir) throws Exception {
        Path warned = dir.resolve("warned.yaml");
        Files.writeString(warned, "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers:\n"
                + "  - {name: a, image: registry.example.com/experimental/tool:1}\n");
        assertThat(run("audit", "--policy", AuditCli.policy(), "--offline", warned.toString()).exit()).isZero();
        assertThat(run("audit", "--policy", AuditCli.policy(), "--offline", "--fail-on", "warn", warned.toString()).exit()).isEqualTo(1);
    }

    /** One audit, every format at once: each file is what its reader expects, and all tell the same story. */
    @Test
    void everyFormatComesOutOfOneRun(@TempDir Path dir) throws Exception {
        String[] formats = {"json", "table", "policyreport", "junit", "sarif", "html"};
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("audit", "--policy", AuditCli.policy(), "--offline"));
        for (String f : formats) {
            args.add("-o");
            args.add(f + "=" + dir.resolve("report." + f));
        }
        args.add(AuditCli.INPUTS.toString());
        AuditCli.Run r = run(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        JsonNode json = AuditCli.JSON.readTree(dir.resolve("report.json").toFile());
        int fails = json.path("summary").path("references").path("fail").asInt();
        assertThat(fails).isPositive();

        JsonNode sarif = AuditCli.JSON.readTree(dir.resolve("report.sarif").toFile());
        JsonNode results = sarif.path("runs").path(0).path("results");
        assertThat(java.util.stream.StreamSupport.stream(results.spliterator(), false).filter(x -> x.path("properties").path("outcome").asText().equals("fail")))
                .as("one SARIF error per failing reference").hasSize(fails);
        assertThat(results.path(0).path("locations").path(0).path("physicalLocation").path("region").path("startLine").asInt()).isPositive();

        javax.xml.parsers.DocumentBuilderFactory xml = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        org.w3c.dom.Document junit = xml.newDocumentBuilder().parse(dir.resolve("report.junit").toFile());
        assertThat(junit.getElementsByTagName("failure").getLength()).as("junit failures").isPositive();

        String policyReports = Files.readString(dir.resolve("report.policyreport"));
        assertThat(policyReports).contains("apiVersion: wgpolicyk8s.io/v1alpha2").contains("kind: PolicyReport");
        assertThat(Files.readString(dir.resolve("report.html"))).startsWith("<!DOCTYPE html>").contains("quay.io/acme/proxy:2");

        Path openReports = dir.resolve("open.yaml");
        AuditCli.Run open = run("audit", "--policy", AuditCli.policy(), "--offline", "--report-api", "openreports",
                "-o", "policyreport=" + openReports, AuditCli.INPUTS.toString());
        assertThat(open.exit()).as(open.err()).isEqualTo(1);
        assertThat(Files.readString(openReports)).contains("apiVersion: openreports.io/v1alpha1").contains("kind: Report");
    }
}
