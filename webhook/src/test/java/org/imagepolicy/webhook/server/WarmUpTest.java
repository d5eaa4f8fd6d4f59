package org.imagepolicy.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.imagepolicy.webhook.registry.CacheBudget;
import org.imagepolicy.webhook.registry.RegistrySettings;
import org.imagepolicy.webhook.registry.credentials.CredentialSource;
import org.imagepolicy.webhook.testing.Await;
import org.imagepolicy.webhook.testing.RunningServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admissions a starting webhook sends itself: they happen before readiness, through the real TLS
 * listener code and handler, and leave nothing behind: no registry contacted, no decision logged, no
 * metric counted.
 */
class WarmUpTest {
    /** Every image the warm-up reviews carry is denied, and needs a lookup first (Required): the costly path. */
    static final String DENY_ALL = """
            apiVersion: image.openshift.io/v1
            kind: ImagePolicyConfig
            resolveImages: Required
            executionRules:
            - name: only-the-invalid-registry
              onResources: [{resource: pods}, {group: apps, resource: deployments}, {group: batch, resource: cronjobs}]
              matchRegistries: [registry.invalid]
            """;

    @TempDir
    Path dir;
    final List<LogRecord> serverLog = new CopyOnWriteArrayList<>();
    final List<LogRecord> decisions = new CopyOnWriteArrayList<>();
    final Handler serverHandler = collector(serverLog);
    final Handler decisionHandler = collector(decisions);
    /** Held, so the loggers the handlers are on are the ones the server uses (the log manager keeps loggers weakly). */
    final Logger serverLogger = Logger.getLogger(WebhookServer.class.getName());
    final Logger decisionLogger = Logger.getLogger(DecisionLog.LOGGER);

    static Handler collector(List<LogRecord> into) {
        return new Handler() {
            @Override
            public void publish(LogRecord r) {
                into.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }

    @BeforeEach
    void listen() {
        serverLogger.addHandler(serverHandler);
        decisionLogger.addHandler(decisionHandler);
    }

    @AfterEach
    void stopListening() {
        serverLogger.removeHandler(serverHandler);
        decisionLogger.removeHandler(decisionHandler);
    }

    @Test
    void theWarmUpRunsBeforeReadinessAndLeavesNoTrace() throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, DENY_ALL);
        RegistrySettings registries = new RegistrySettings(Set.of(), null, Set.of(), "linux/amd64", Duration.ofSeconds(60),
                Duration.ofSeconds(15), Duration.ofMinutes(10), 8, CredentialSource.anonymous());
        ServerSettings settings = new ServerSettings(List.of(policy), false, "127.0.0.1", 0, 0, null, null, dir.resolve("certs"), false,
                List.of(), Set.of(), Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(10), 1, Duration.ofMillis(2500), registries,
                CacheBudget.ofThisJvm(), Duration.ofMillis(500));
        WebhookServer server = new WebhookServer(settings);
        try (RunningServer running = RunningServer.wrap(server, policy, dir.resolve("certs/ca.crt"))) {
            assertThat(server.ready()).as("start() returns ready, after the warm-up").isTrue();
            String warmed = serverLog.stream().map(LogRecord::getMessage).filter(m -> m.startsWith("warmed up with"))
                    .findFirst().orElseThrow(() -> new AssertionError("no warm-up line in " + serverLog.stream().map(LogRecord::getMessage).toList()));
            assertThat(Long.parseLong(warmed.split(" ")[3])).as(warmed).isPositive();
            int warmedAt = indexOf("warmed up with");
            assertThat(warmedAt).as("warmed up before the line that says it serves").isLessThan(indexOf("serving admissions on"));

            String metrics = running.health("/metrics").body();
            assertThat(metrics).as("no admission counted").doesNotContain("image_policy_admission_requests_total{")
                    .as("no registry contacted").doesNotContain("registry=\"docker.io\"").doesNotContain("registry=\"quay.io\"");
            assertThat(decisions).as("no denial of the warm-up logged").isEmpty();

            // The same kind of pod, sent for real, is logged and counted: the checks above could have failed.
            byte[] pod = WarmUpTest.class.getResourceAsStream("/warm-up/pod-1.json").readAllBytes();
            HttpClient client = running.client(HttpClient.Version.HTTP_2);
            assertThat(running.validate(client, pod).body()).contains("\"allowed\":false");
            Await.until("the denial to be logged", Duration.ofSeconds(5), () -> decisions.size() == 1);
            assertThat(running.health("/metrics").body()).contains("image_policy_admission_requests_total{");
        }
    }

    private int indexOf(String prefix) {
        for (int i = 0; i < serverLog.size(); i++) {
            if (serverLog.get(i).getMessage().startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no log line starting " + prefix);
    }

    @Test
    void aWarmUpLongerThanThirtySecondsIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ServerSettings(List.of(), false, "127.0.0.1", 0, 0, null, null, dir, true,
                List.of(), Set.of(), Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(10), 1, Duration.ofMillis(2500), null,
                CacheBudget.ofThisJvm(), Duration.ofMinutes(1))).hasMessageContaining("--warm-up must be between 0s and 30s");
    }
}
