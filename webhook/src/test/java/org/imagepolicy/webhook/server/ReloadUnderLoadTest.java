package org.imagepolicy.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSocket;
import org.imagepolicy.certs.CertificateAuthority;
import org.imagepolicy.certs.IssuedCertificate;
import org.imagepolicy.certs.ServingCertSpec;
import org.imagepolicy.webhook.testing.Await;
import org.imagepolicy.webhook.testing.Golden;
import org.imagepolicy.webhook.testing.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Policy and certificate files change while clients keep sending; nothing fails and the new files win. */
class ReloadUnderLoadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALLOW_DOCKER_HUB = """
            apiVersion: v1
            kind: ImagePolicyConfig
            executionRules:
            - name: docker-hub-only
              matchRegistries: [docker.io]
            """;
    private static final String DENY_DOCKER_HUB = """
            apiVersion: v1
            kind: ImagePolicyConfig
            executionRules:
            - name: no-docker-hub
              reject: true
              matchRegistries: [docker.io]
            """;

    /** Sends the same review over and over from two threads, recording status codes and decisions. */
    private static final class Load implements AutoCloseable {
        final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        final AtomicReference<String> lastDecision = new AtomicReference<>("");
        final AtomicBoolean running = new AtomicBoolean(true);
        final List<Thread> threads;

        Load(RunningServer server, byte[] review) {
            threads = List.of(thread(server, review, HttpClient.Version.HTTP_1_1), thread(server, review, HttpClient.Version.HTTP_2));
        }

        private Thread thread(RunningServer server, byte[] review, HttpClient.Version version) {
            Thread t = new Thread(() -> {
                HttpClient client = server.client(version);
                while (running.get()) {
                    try {
                        HttpResponse<String> r = server.validate(client, review);
                        String key = r.statusCode() + "";
                        if (r.statusCode() == 200) {
                            String allowed = JSON.readTree(r.body()).path("response").path("allowed").asText();
                            lastDecision.set(allowed);
                            key += " allowed=" + allowed;
                        }
                        seen.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                    } catch (Exception e) {
                        seen.computeIfAbsent("exception " + e.getClass().getSimpleName(), k -> new AtomicInteger()).incrementAndGet();
                    }
                }
            });
            t.start();
            return t;
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(10_000);
            }
        }
    }

    @Test
    void aPolicyEditTakesEffectAndAnInvalidEditKeepsTheLastGoodPolicy(@TempDir Path dir) throws Exception {
        byte[] review = Files.readAllBytes(Golden.DIR.resolve("pod-from-docker-hub-allowed/request.json"));
        Load load;
        try (RunningServer server = RunningServer.start(dir, ALLOW_DOCKER_HUB)) {
            load = new Load(server, review);
            Await.until("allowed decisions under the first policy", Duration.ofSeconds(10), () -> load.lastDecision.get().equals("true"));
            Files.writeString(server.policy, DENY_DOCKER_HUB);
            Await.until("the edited policy to deny", Duration.ofSeconds(10), () -> load.lastDecision.get().equals("false"));

            Files.writeString(server.policy, "apiVersion: v1\nkind: ImagePolicyConfig\nexecutionRules:\n- name: x\n  matchRegistries: [\"*bad*\"]\n");
            Await.until("the rejected reload to be counted", Duration.ofSeconds(10),
                    () -> server.server.metrics().render().contains("image_policy_policy_reloads_total{result=\"failure\"} 1"));
            int deniedBefore = load.seen.getOrDefault("200 allowed=false", new AtomicInteger()).get();
            Await.until("more answers after the bad edit", Duration.ofSeconds(10),
                    () -> load.seen.get("200 allowed=false").get() > deniedBefore + 20);
            assertThat(load.lastDecision.get()).as("the last good policy keeps serving").isEqualTo("false");
            assertThat(server.server.metrics().render()).contains("image_policy_policy_reload_failing 1");
            assertThat(server.health("/readyz").statusCode()).isEqualTo(200);
            load.close();
        }
        assertThat(load.seen.keySet()).as("answers during the reloads: %s", load.seen)
                .containsOnly("200 allowed=true", "200 allowed=false");
    }

    @Test
    void aRotatedCertificateIsServedAndAHalfWrittenOrMismatchedPairIsNot(@TempDir Path dir) throws Exception {
        CertificateAuthority first = CertificateAuthority.generate("first CA", Duration.ofDays(30));
        CertificateAuthority second = CertificateAuthority.generate("second CA", Duration.ofDays(30));
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        write(first.issue(spec()), cert, key);
        Path firstCa = dir.resolve("first.crt");
        Path secondCa = dir.resolve("second.crt");
        Files.writeString(firstCa, org.imagepolicy.certs.Pem.encode(first.certificate()));
        Files.writeString(secondCa, org.imagepolicy.certs.Pem.encode(second.certificate()));
        byte[] review = Files.readAllBytes(Golden.DIR.resolve("pod-from-docker-hub-allowed/request.json"));

        try (RunningServer server = RunningServer.start(dir, ALLOW_DOCKER_HUB, cert, key, List.of(firstCa, secondCa));
             Load load = new Load(server, review)) {
            assertThat(issuerOfServedCertificate(server)).contains("first CA");

            IssuedCertificate rotated = second.issue(spec());
            Files.writeString(cert, rotated.chainPem()); // only the certificate so far: the pair does not match
            Await.holdsFor("the first certificate is served while only the new certificate is written", Duration.ofMillis(600),
                    () -> issuerOfServedCertificateUnchecked(server).contains("first CA"));

            Files.writeString(key, rotated.privateKeyPem());
            Await.until("the rotated certificate to be served", Duration.ofSeconds(10),
                    () -> issuerOfServedCertificateUnchecked(server).contains("second CA"));

            IssuedCertificate other = first.issue(spec());
            Files.writeString(cert, other.chainPem());
            Files.writeString(key, first.issue(spec()).privateKeyPem()); // a key from a different issuance
            Await.until("the mismatched pair to be refused", Duration.ofSeconds(10),
                    () -> server.server.metrics().render().contains("image_policy_certificate_reloads_total{result=\"failure\"} 1"));
            assertThat(issuerOfServedCertificate(server)).contains("second CA");
            load.close();
            assertThat(load.seen.keySet()).as("answers while certificates rotated: %s", load.seen).containsOnly("200 allowed=true");
        }
    }

    private static ServingCertSpec spec() {
        return new ServingCertSpec(List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(7));
    }

    private static void write(IssuedCertificate issued, Path cert, Path key) throws Exception {
        Files.writeString(cert, issued.chainPem());
        Files.writeString(key, issued.privateKeyPem());
    }

    private static String issuerOfServedCertificateUnchecked(RunningServer server) {
        try {
            return issuerOfServedCertificate(server);
        } catch (Exception e) {
            return "";
        }
    }

    private static String issuerOfServedCertificate(RunningServer server) throws Exception {
        try (SSLSocket socket = (SSLSocket) server.tls().getSocketFactory().createSocket("127.0.0.1", server.server.port())) {
            socket.setSoTimeout(5000);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getIssuerX500Principal().getName();
        }
    }
}
