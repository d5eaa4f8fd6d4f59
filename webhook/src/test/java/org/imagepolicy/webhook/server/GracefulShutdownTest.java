package org.imagepolicy.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import org.imagepolicy.webhook.testing.Await;
import org.imagepolicy.webhook.testing.Golden;
import org.imagepolicy.webhook.testing.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What SIGTERM does (the shutdown hook calls close()): unready at once, in-flight requests answered. */
class GracefulShutdownTest {

    @Test
    void aRequestInFlightWhenShutdownStartsIsStillAnswered(@TempDir Path dir) throws Exception {
        byte[] review = Files.readAllBytes(Golden.DIR.resolve("pod-from-quay-denied/request.json"));
        RunningServer running = RunningServer.start(dir, Files.readString(Golden.DIR.resolve("policy.yaml")));
        int port = running.server.port();
        try (SSLSocket socket = (SSLSocket) running.tls().getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                    + review.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(review, 0, review.length / 2);
            out.flush();

            Await.until("the server to receive the request", Duration.ofSeconds(5), () -> running.server.inFlightRequests() == 1);
            Thread stopper = new Thread(running::close, "stopper");
            stopper.start();
            Await.until("readiness to turn off", Duration.ofSeconds(5), () -> !running.server.ready());
            assertThat(running.health("/readyz").statusCode()).as("kubelet sees the pod unready while it drains").isEqualTo(503);
            out.write(review, review.length / 2, review.length - review.length / 2);
            out.flush();

            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
            String line;
            StringBuilder rest = new StringBuilder();
            while ((line = in.readLine()) != null && !line.contains("\"uid\"")) {
                rest.append(line);
            }
            assertThat(line).as("response body after %s", rest).contains("0f6c5c2e-0002-4a4e-9d0e-000000000002");
            stopper.join(15_000);
            assertThat(stopper.isAlive()).isFalse();
        }
        assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", port).close()).isInstanceOf(java.net.ConnectException.class);
    }
}
