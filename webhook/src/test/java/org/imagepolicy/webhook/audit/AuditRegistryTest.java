package org.imagepolicy.webhook.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.imagepolicy.webhook.registry.testing.ImagePusher;
import org.imagepolicy.webhook.registry.testing.LocalRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audit} looks images up through serve's registry client and cache, against Debian's
 * docker-registry on loopback: 10,000 workloads sharing 300 images cost 300 tag lookups, and a cache
 * file carries the answers to the next run; a corrupt or foreign cache file is reported and ignored.
 */
class AuditRegistryTest {
    private static final int IMAGES = 300;
    private static final int WORKLOADS = 10_000;

    @TempDir
    static Path dir;
    static LocalRegistry registry;
    static Path policy;
    static Path workloads;
    static Path few;

    @BeforeAll
    static void pushImagesAndWriteWorkloads() throws Exception {
        registry = LocalRegistry.start(LocalRegistry.Variant.PLAIN, Files.createDirectories(dir.resolve("registry")));
        ImagePusher pusher = ImagePusher.to(registry);
        for (int i = 0; i < IMAGES; i++) {
            pusher.ociImage("team/app").tag("v" + i).label("com.example.approved", i == 7 ? "false" : "true")
                    .label("com.example.build", String.valueOf(i)).push();
        }
        policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "apiVersion: v1\nkind: ImagePolicyConfig\nexecutionRules:\n- name: approved\n"
                + "  onResources: [{group: apps, resource: deployments}]\n"
                + "  matchDockerImageLabels: [{key: com.example.approved, value: \"true\"}]\n");
        workloads = Files.createDirectories(dir.resolve("workloads"));
        for (int file = 0; file < 10; file++) {
            StringBuilder yaml = new StringBuilder();
            for (int i = file * (WORKLOADS / 10); i < (file + 1) * (WORKLOADS / 10); i++) {
                yaml.append(deployment(i));
            }
            Files.writeString(workloads.resolve("team-" + file + ".yaml"), yaml);
        }
        few = dir.resolve("few.yaml");
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            yaml.append(deployment(i));
        }
        Files.writeString(few, yaml);
    }

    private static String deployment(int i) {
        return "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app-" + i + ", namespace: team}\nspec:\n  template:\n    spec:\n"
                + "      containers:\n      - name: app\n        image: " + registry.host() + "/team/app:v" + (i % IMAGES) + "\n";
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    private static AuditCli.Run audit(Path cache, Path inputs, Path report) {
        List<String> args = new ArrayList<>(List.of("audit", "--policy", policy.toString(), "--insecure-registry", registry.host(),
                "--tag-ttl", "1h",
                // generous: on a shared 2-core machine 900 cold registry requests can take far longer than the 10 s default
                "--lookup-timeout", "60s", "-o", "json=" + report, inputs.toString()));
        if (cache != null) {
            args.addAll(List.of("--cache-file", cache.toString()));
        }
        return AuditCli.run(args.toArray(String[]::new));
    }

    private static String firstFailure(Path report) throws java.io.IOException {
        for (JsonNode r : AuditCli.JSON.readTree(report.toFile()).path("results")) {
            for (JsonNode ref : r.path("references")) {
                if (!ref.path("outcome").asText().equals("pass")) {
                    return ref.path("message").asText();
                }
            }
        }
        return "none";
    }

    private static long tagLookups() {
        return registry.count("HEAD", "/v2/team/app/manifests/v\\d+") + registry.count("GET", "/v2/team/app/manifests/v\\d+");
    }

    @Test
    void tenThousandWorkloadsOf300ImagesCost300TagLookupsAndTheCacheFileTheNextRunNone() throws Exception {
        Path cache = dir.resolve("cache.json");
        Path report = dir.resolve("report.json");
        registry.clearLog();
        AuditCli.Run cold = audit(cache, workloads, report);
        assertThat(cold.exit()).as(cold.err()).isEqualTo(1);
        JsonNode summary = AuditCli.JSON.readTree(report.toFile()).path("summary");
        assertThat(summary.path("objectsJudged").asInt()).isEqualTo(WORKLOADS);
        assertThat(summary.path("imagesResolved").asInt()).as("every image resolved (else lookups failed: %s)",
                firstFailure(report)).isEqualTo(IMAGES);
        assertThat(summary.path("references").path("fail").asInt()).as("the image labelled approved=false").isEqualTo(WORKLOADS / IMAGES
                + (WORKLOADS % IMAGES > 7 ? 1 : 0));
        assertThat(summary.path("references").path("pass").asInt() + summary.path("references").path("fail").asInt()).isEqualTo(WORKLOADS);
        assertThat(tagLookups()).as("one tag lookup per distinct image").isEqualTo(IMAGES);
        assertThat(Files.readString(cache)).contains(CacheFile.FORMAT);

        registry.clearLog();
        AuditCli.Run warm = audit(cache, workloads, report);
        assertThat(warm.exit()).as(warm.err()).isEqualTo(1);
        assertThat(registry.requests()).as("everything came from the cache file").isEmpty();
        assertThat(AuditCli.JSON.readTree(report.toFile()).path("summary").path("references").path("pass").asInt())
                .isEqualTo(summary.path("references").path("pass").asInt());
    }

    @Test
    void corruptCacheFileIsReportedAndIgnored() throws Exception {
        Path cache = dir.resolve("corrupt.json");
        Path report = dir.resolve("corrupt-report.json");
        assertThat(audit(cache, few, report).exit()).as("app-7 uses the unapproved image").isEqualTo(1);
        String written = Files.readString(cache);
        // an edit that keeps the JSON valid: a label flipped, so an unapproved image would pass if the file were trusted
        Files.writeString(cache, written.replace("\"com.example.approved\":\"true\"", "\"com.example.approved\":\"yes\""));
        registry.clearLog();
        AuditCli.Run r = audit(cache, few, report);
        assertThat(r.err()).contains("lookup cache ignored").contains("checksum");
        assertThat(tagLookups()).as("looked up again").isEqualTo(20);
        assertThat(AuditCli.JSON.readTree(report.toFile()).path("summary").path("references").path("fail").asInt())
                .as("the unapproved image is still denied").isEqualTo(1);
        assertThat(new CacheFile(cache).load(java.time.Instant.now()).problem()).as("rewritten whole").isNull();

        Files.writeString(cache, written.substring(0, written.length() / 2));
        registry.clearLog();
        AuditCli.Run truncated = audit(cache, few, report);
        assertThat(truncated.err()).contains("lookup cache ignored").contains("not valid JSON");
        assertThat(tagLookups()).isEqualTo(20);
    }

    @Test
    void foreignCacheFileIsReportedIgnoredAndLeftAlone() throws Exception {
        Path cache = dir.resolve("someone-elses.json");
        String foreign = "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"data\": {\"keep\": \"me\"}}\n";
        Files.writeString(cache, foreign);
        registry.clearLog();
        AuditCli.Run r = audit(cache, few, dir.resolve("foreign-report.json"));
        assertThat(r.err()).contains("not a lookup cache written by this tool");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(tagLookups()).isEqualTo(20);
        assertThat(Files.readString(cache)).isEqualTo(foreign);
    }

    @Test
    void offlineRunLooksNothingUpAndSaysWhy() throws Exception {
        registry.clearLog();
        Path report = dir.resolve("offline.json");
        AuditCli.Run r = AuditCli.run("audit", "--policy", policy.toString(), "--offline", "-o", "json=" + report, few.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(registry.requests()).isEmpty();
        JsonNode ref = AuditCli.JSON.readTree(report.toFile()).path("results").get(0).path("references").get(0);
        assertThat(ref.path("outcome").asText()).isEqualTo("fail");
        assertThat(ref.path("message").asText()).contains("offline");
    }

    @Test
    void offlineRunUsesWhatTheCacheFileKnowsAndNothingElse() throws Exception {
        Path cache = dir.resolve("offline-cache.json");
        Path report = dir.resolve("offline-cached.json");
        assertThat(audit(cache, few, report).exit()).as("filled online; app-7 uses the unapproved image").isEqualTo(1);
        JsonNode online = AuditCli.JSON.readTree(report.toFile());
        String kept = Files.readString(cache);

        registry.clearLog();
        Path more = dir.resolve("few-and-one-unknown.yaml");
        Files.writeString(more, Files.readString(few) + deployment(0).replace("team/app:v0", "team/other:v1")); // in no cache file
        AuditCli.Run r = AuditCli.run("audit", "--policy", policy.toString(), "--offline", "--tag-ttl", "1h", "--cache-file", cache.toString(),
                "-o", "json=" + report, more.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(registry.requests()).as("offline: no registry contacted").isEmpty();
        JsonNode offline = AuditCli.JSON.readTree(report.toFile());
        assertThat(offline.path("summary").path("imagesResolved").asInt()).as("the 20 images, from the file").isEqualTo(20);
        for (int i = 0; i < 20; i++) {
            JsonNode before = online.path("results").get(i).path("references").get(0);
            JsonNode after = offline.path("results").get(i).path("references").get(0);
            assertThat(after.path("outcome").asText()).as(after.toString()).isEqualTo(before.path("outcome").asText());
            assertThat(after.path("message").asText()).isEqualTo(before.path("message").asText());
        }
        JsonNode unknown = offline.path("results").get(20).path("references").get(0);
        assertThat(unknown.path("outcome").asText()).isEqualTo("fail");
        assertThat(unknown.path("message").asText()).contains("resolving the image failed: offline");
        assertThat(Files.readString(cache)).as("an offline run leaves the file alone").isEqualTo(kept);

        // a tag's digest is used only within --tag-ttl, as serve's cache would use it
        registry.clearLog();
        AuditCli.Run expired = AuditCli.run("audit", "--policy", policy.toString(), "--offline", "--tag-ttl", "0s", "--cache-file",
                cache.toString(), "-o", "json=" + report, few.toString());
        assertThat(expired.exit()).isEqualTo(1);
        assertThat(registry.requests()).isEmpty();
        JsonNode stale = AuditCli.JSON.readTree(report.toFile());
        assertThat(stale.path("summary").path("imagesResolved").asInt()).isZero();
        assertThat(stale.path("results").get(0).path("references").get(0).path("message").asText()).contains("longer than --tag-ttl");
    }
}
