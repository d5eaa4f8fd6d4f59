package org.imagepolicy.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.net.ssl.SSLSocket;
import org.imagepolicy.webhook.testing.Golden;
import org.imagepolicy.webhook.testing.RunningServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The webhook over real HTTPS on loopback: protocol round trips, every bad input, health and metrics. */
class ServerHttpsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static RunningServer running;

    @BeforeAll
    static void start() throws Exception {
        running = RunningServer.start(dir, Files.readString(Golden.DIR.resolve("policy.yaml")));
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    static byte[] golden(String name, String file) throws Exception {
        return Files.readAllBytes(Golden.DIR.resolve(name).resolve(file));
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void answersV1AndV1beta1InTheirOwnVersionOverHttp1AndHttp2(HttpClient.Version version) throws Exception {
        HttpClient client = running.client(version);
        for (String name : new String[] {"pod-from-quay-denied", "pod-v1beta1-two-references-denied", "pod-from-docker-hub-allowed"}) {
            HttpResponse<String> r = running.validate(client, golden(name, "request.json"));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.version()).isEqualTo(version);
            assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
            Golden.assertMatches(Golden.DIR.resolve(name).resolve("response.json"), r.body().getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void refusesMalformedJsonWith400AndKeepsServing() throws Exception {
        HttpClient client = running.client(HttpClient.Version.HTTP_1_1);
        HttpResponse<String> r = running.post(client, "/validate", "application/json", HttpRequest.BodyPublishers.ofString("{\"apiVersion\": "));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).path("message").asText()).startsWith("the body is not valid JSON at line 1");
        assertStillServing(client);
    }

    @Test
    void refusesAReviewWithoutRequestWith400() throws Exception {
        HttpClient client = running.client(HttpClient.Version.HTTP_2);
        HttpResponse<String> r = running.post(client, "/validate", "application/json",
                HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}"));
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode status = JSON.readTree(r.body());
        assertThat(status.path("kind").asText()).isEqualTo("Status");
        assertThat(status.path("message").asText()).isEqualTo("the AdmissionReview has no request");
        assertStillServing(client);
    }

    @Test
    void refusesWrongContentTypesWith415() throws Exception {
        HttpClient client = running.client(HttpClient.Version.HTTP_1_1);
        byte[] review = golden("pod-from-quay-denied", "request.json");
        HttpResponse<String> text = running.post(client, "/validate", "text/plain", HttpRequest.BodyPublishers.ofByteArray(review));
        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(text.body()).contains("Content-Type must be application/json, was \\\"text/plain\\\"");
        HttpResponse<String> none = running.post(client, "/validate", null, HttpRequest.BodyPublishers.ofByteArray(review));
        assertThat(none.statusCode()).isEqualTo(415);
        assertThat(running.post(client, "/validate", "application/json; charset=utf-8", HttpRequest.BodyPublishers.ofByteArray(review))
                .statusCode()).isEqualTo(200);
        assertStillServing(client);
    }

    @Test
    void refusesOtherMethodsWith405AndUnknownPathsWith404() throws Exception {
        HttpClient client = running.client(HttpClient.Version.HTTP_1_1);
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(running.uri("/validate")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("allow")).hasValue("POST");
        HttpResponse<String> put = client.send(HttpRequest.newBuilder(running.uri("/validate")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(running.post(client, "/mutate-everything", "application/json", HttpRequest.BodyPublishers.ofString("{}")).statusCode())
                .isEqualTo(404);
        assertStillServing(client);
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void refusesBodiesOver4MiBWith413WithOrWithoutAContentLength(HttpClient.Version version) throws Exception {
        HttpClient client = running.client(version);
        byte[] big = new byte[AdmissionHandler.MAX_BODY_BYTES + 1];
        Arrays.fill(big, (byte) ' ');
        HttpResponse<String> sized = running.post(client, "/validate", "application/json", HttpRequest.BodyPublishers.ofByteArray(big));
        assertThat(sized.statusCode()).isEqualTo(413);
        // Without a length, the body streams in chunks and is cut off once it passes the limit.
        HttpResponse<String> streamed = running.post(client, "/validate", "application/json",
                HttpRequest.BodyPublishers.ofInputStream(() -> RunningServer.stream(big)));
        assertThat(streamed.statusCode()).isEqualTo(413);
        assertStillServing(running.client(version));
    }

    @Test
    void acceptsABodyOfExactly4MiB() throws Exception {
        byte[] review = golden("pod-from-docker-hub-allowed", "request.json");
        byte[] padded = new byte[AdmissionHandler.MAX_BODY_BYTES];
        Arrays.fill(padded, (byte) ' ');
        System.arraycopy(review, 0, padded, 0, review.length);
        HttpResponse<String> r = running.validate(running.client(HttpClient.Version.HTTP_1_1), padded);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("response").path("allowed").asBoolean()).isTrue();
    }

    @Test
    void speaksTls12AndTls13Only() throws Exception {
        for (String protocol : new String[] {"TLSv1.2", "TLSv1.3"}) {
            try (SSLSocket socket = (SSLSocket) running.tls().getSocketFactory().createSocket("127.0.0.1", running.server.port())) {
                socket.setSoTimeout(5000);
                socket.setEnabledProtocols(new String[] {protocol});
                socket.startHandshake();
                assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
            }
        }
    }

    @Test
    void survivesTlsGarbageAndAnswersAfterwards() throws Exception {
        try (java.net.Socket raw = new java.net.Socket("127.0.0.1", running.server.port())) {
            raw.setSoTimeout(5000);
            OutputStream out = raw.getOutputStream();
            out.write("GET /validate HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = raw.getInputStream();
            // The server closes a connection that does not speak TLS; reading ends instead of hanging.
            while (in.read() >= 0) {
                continue;
            }
        } catch (java.net.SocketException closedByServer) {
            assertThat(closedByServer).isNotNull();
        }
        assertStillServing(running.client(HttpClient.Version.HTTP_2));
    }

    @Test
    void healthReadinessAndMetrics() throws Exception {
        running.validate(running.client(HttpClient.Version.HTTP_1_1), golden("pod-from-quay-denied", "request.json"));
        assertThat(running.health("/healthz").statusCode()).isEqualTo(200);
        assertThat(running.health("/readyz").body()).isEqualTo("ready\n");
        HttpResponse<String> metrics = running.health("/metrics");
        assertThat(metrics.headers().firstValue("content-type").orElse("")).startsWith("text/plain; version=0.0.4");
        assertThat(metrics.body())
                .contains("# TYPE image_policy_admission_requests_total counter")
                .containsPattern("image_policy_admission_requests_total\\{resource=\"pods\",decision=\"denied\"\\} [1-9]")
                .contains("# TYPE image_policy_admission_duration_seconds histogram")
                .containsPattern("image_policy_policy_reloads_total\\{result=\"success\"\\} [1-9]")
                .contains("image_policy_policy_execution_rules 3");
        assertThat(running.health("/nothing").statusCode()).isEqualTo(404);
    }

    private static void assertStillServing(HttpClient client) throws Exception {
        HttpResponse<String> r = running.validate(client, golden("pod-from-docker-hub-allowed", "request.json"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("response").path("uid").asText()).isEqualTo("0f6c5c2e-0001-4a4e-9d0e-000000000001");
    }
}
