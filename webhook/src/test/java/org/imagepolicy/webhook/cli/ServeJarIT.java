package org.imagepolicy.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.imagepolicy.webhook.testing.Await;
import org.imagepolicy.webhook.testing.Golden;
import org.imagepolicy.webhook.testing.Project;
import org.imagepolicy.webhook.testing.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar, run as a user runs it: the ImagePolicy JSON from OpenShift's documentation pasted
 * into a file, the server started on it with a generated certificate, pods and builds sent over HTTPS,
 * then SIGTERM.
 */
class ServeJarIT {
    /** The documentation's pluginConfig, with the bold-formatting asterisks removed as check-policy advises. */
    static final String SEED = "{\"openshift.io/ImagePolicy\":{\"configuration\":{\"kind\":\"ImagePolicyConfig\",\"apiVersion\":\"v1\","
            + "\"executionRules\":[{\"name\":\"allow-images-from-other-registries\",\"onResources\":[{\"resource\":\"pods\"},"
            + "{\"resource\":\"builds\"}],\"matchRegistries\":[\"docker.io\",\"my.registry.example.com\",\"registry.access.redhat.com\"]}]}}}";
    static final ObjectMapper JSON = new ObjectMapper();

    static final class Output extends ByteArrayOutputStream {
        Thread pump;

        synchronized String text() {
            return toString(StandardCharsets.UTF_8);
        }

        /** Everything the process wrote, once it has ended and the pump has copied the last bytes. */
        String all() throws InterruptedException {
            pump.join(10_000);
            return text();
        }
    }

    static Process start(List<String> args, Output output) throws IOException {
        Path jar = Project.root().resolve("webhook/target/image-policy-webhook.jar");
        assertThat(jar).as("the packaged jar").exists();
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread pump = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(output);
            } catch (IOException ignored) {
                // the process ended
            }
        });
        pump.setDaemon(true);
        pump.start();
        output.pump = pump;
        return p;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void theDocumentedPolicyAllowsDockerHubAndDeniesQuayUntilSigterm(@TempDir Path dir) throws Exception {
        Path policy = dir.resolve("image-policy.json");
        Files.writeString(policy, SEED);
        int port = freePort();
        int health = freePort();
        Output output = new Output();
        Process server = start(List.of("serve", "--policy", policy.toString(), "--port", String.valueOf(port), "--health-port",
                String.valueOf(health), "--cert-dir", dir.resolve("certs").toString(), "--offline", "--shutdown-delay", "500ms"), output);
        try {
            HttpClient plain = HttpClient.newHttpClient();
            Await.until("the jar to become ready: " + output.text(), Duration.ofSeconds(30), () -> ready(plain, health));
            assertThat(output.text()).contains("its CA is " + dir.resolve("certs/ca.crt").toAbsolutePath());

            HttpClient client = HttpClient.newBuilder().sslContext(RunningServer.trusting(List.of(dir.resolve("certs/ca.crt")))).build();
            JsonNode allowed = post(client, port, review("docker.io/kubernetes/guestbook:v3"));
            assertThat(allowed.path("response").path("allowed").asBoolean()).isTrue();

            JsonNode denied = post(client, port, review("quay.io/org/app:1"));
            assertThat(denied.path("response").path("allowed").asBoolean()).isFalse();
            assertThat(denied.path("response").path("status").path("message").asText())
                    .startsWith("pods \"web\" is forbidden: spec.containers[0].image: Forbidden: this image is prohibited by policy: ")
                    .contains("no allow rule for pods matched \"quay.io/org/app:1\"")
                    .contains("allow rule \"allow-images-from-other-registries\" (matchRegistries [docker.io, my.registry.example.com,"
                            + " registry.access.redhat.com])");
            // The decision log is written by its own thread, after the answer: wait for the line, not for luck.
            Await.until("the denial to be logged: " + output.text(), Duration.ofSeconds(10),
                    () -> output.text().contains("decision=denied uid=0f6c5c2e-0002-4a4e-9d0e-000000000002"));
        } finally {
            // SIGTERM through the handle: Process.destroy() would also close our end of the pipe and lose
            // everything the server logs while it drains.
            server.toHandle().destroy();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
        }
        assertThat(server.exitValue()).isEqualTo(143); // the JVM's exit status for SIGTERM, after the shutdown hook ran
        assertThat(output.all()).contains("draining: not ready; still answering for 500 ms").contains("stopping: finishing 0 requests in flight");
    }

    @Test
    void jsonLogsAreOneObjectPerLineWithTheDecisionsFields(@TempDir Path dir) throws Exception {
        Path policy = dir.resolve("image-policy.json");
        Files.writeString(policy, SEED);
        int port = freePort();
        int health = freePort();
        Output output = new Output();
        Process server = start(List.of("serve", "--policy", policy.toString(), "--port", String.valueOf(port), "--health-port",
                String.valueOf(health), "--cert-dir", dir.resolve("certs").toString(), "--offline", "--shutdown-delay", "0s",
                "--log-format", "json"), output);
        try {
            Await.until("the jar to become ready: " + output.text(), Duration.ofSeconds(30), () -> ready(HttpClient.newHttpClient(), health));
            HttpClient client = HttpClient.newBuilder().sslContext(RunningServer.trusting(List.of(dir.resolve("certs/ca.crt")))).build();
            assertThat(post(client, port, review("quay.io/org/app:1")).path("response").path("allowed").asBoolean()).isFalse();
            Await.until("the decision to be logged: " + output.text(), Duration.ofSeconds(10), () -> output.text().contains("\"uid\""));
        } finally {
            server.toHandle().destroy();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
        }
        List<JsonNode> lines = new java.util.ArrayList<>();
        for (String line : output.all().split("\n")) {
            JsonNode node = JSON.readTree(line); // every line, start-up to shutdown, is one JSON object
            assertThat(node.isObject()).as(line).isTrue();
            assertThat(node.fieldNames()).toIterable().as(line).startsWith("timestamp", "level", "logger", "message");
            assertThat(java.time.Instant.parse(node.path("timestamp").asText())).isNotNull();
            lines.add(node);
        }
        assertThat(lines).as("start-up, decision and shutdown lines").hasSizeGreaterThanOrEqualTo(4);
        JsonNode decision = lines.stream().filter(l -> l.has("uid")).findFirst().orElseThrow();
        assertThat(decision.path("duration_ms").isNumber()).isTrue();
        ((com.fasterxml.jackson.databind.node.ObjectNode) decision).put("timestamp", "(varies)").put("duration_ms", 0);
        Golden.assertMatches(Golden.DIR.resolveSibling("golden-logs").resolve("json-decision-pod-from-quay-denied.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(decision));
        assertThat(output.all()).doesNotContain("\tat "); // no stack trace printed outside a JSON string
        // Every line is the server's own: no library warns on the shared stream (SLF4J without a provider would).
        assertThat(output.all()).doesNotContain("SLF4J");
    }

    @Test
    void anInvalidPolicyAtStartExits2WithTheLocation(@TempDir Path dir) throws Exception {
        Path policy = dir.resolve("image-policy.json");
        Files.writeString(policy, SEED.replace("\"my.registry.example.com\"", "\"*my.registry.example.com*\""));
        Output output = new Output();
        Process server = start(List.of("serve", "--policy", policy.toString(), "--port", "0", "--health-port", "0",
                "--cert-dir", dir.resolve("certs").toString()), output);
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(server.exitValue()).isEqualTo(2);
        assertThat(output.all()).contains(policy + ":1: executionRules[0].matchRegistries[1]: registry \"*my.registry.example.com*\":"
                + " the asterisks around my.registry.example.com in OpenShift's documentation are bold formatting");
    }

    static boolean ready(HttpClient client, int port) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static String review(String image) throws IOException {
        return Files.readString(Golden.DIR.resolve("pod-from-quay-denied/request.json")).replace("quay.io/org/app:1", image);
    }

    static JsonNode post(HttpClient client, int port, String body) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/validate"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
