package org.imagepolicy.webhook.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.imagepolicy.webhook.registry.credentials.CredentialSource;
import org.imagepolicy.webhook.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An API server that cannot be reached at start, and one that goes away after the first sync. */
class ClusterOutageTest {
    final List<String> warnings = new CopyOnWriteArrayList<>();
    final Logger log = Logger.getLogger(ClusterWatch.class.getName());
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            warnings.add(r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        log.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        log.removeHandler(capture);
    }

    @Test
    void anUnreachableApiServerKeepsTheWebhookUnreadyAndTheLogSaysWhy() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + closed)
                .withRequestRetryBackoffLimit(0).build()).build();
                ClusterWatch watch = ClusterWatch.start(client, new ClusterSettings(null, null, null), CredentialSource.anonymous())) {
            Await.until("a warning naming what cannot be listed", Duration.ofSeconds(30),
                    () -> warnings.stream().anyMatch(w -> w.contains("from the API server; not ready until it can")));
            assertThat(watch.synced()).isFalse();
            assertThat(watch.context().ready()).isFalse();
            assertThat(watch.waitingFor()).contains("serviceaccounts", "namespaces");
        }
    }

    @Test
    void anApiServerGoneAfterSyncLeavesTheLastStateServingAndTheMetricCountsTheOutage() throws Exception {
        KubernetesMockServer mock = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new io.fabric8.mockwebserver.MockWebServer(),
                new java.util.HashMap<>(), new io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher(), false);
        mock.init();
        KubernetesClient client = mock.createClient();
        MockApi api = new MockApi(client);
        ClusterFixture.namespace(api, "team-a", "quarantine");
        api.create(ClusterFixture.pullSecret("team-a", "regcred", "registry.example.com", "user", "secret-value-a1"));
        ClusterFixture.serviceAccount(api, "team-a", "default", "regcred");
        try (ClusterWatch watch = ClusterWatch.start(client, new ClusterSettings(null, null, null), CredentialSource.anonymous())) {
            var input = ClusterAdmissionTest.input("team-a");
            Await.until("the first sync", Duration.ofSeconds(20), () -> watch.synced() && watch.context().credentials(input).notes().isEmpty());
            assertThat(watch.staleness().get("namespaces")[1]).isZero();

            mock.destroy();
            Await.until("the watch to notice the API server is gone", Duration.ofSeconds(30),
                    () -> watch.staleness().get("namespaces")[1] > 1.0);
            assertThat(watch.synced()).as("readiness stays: decisions go on from what was last seen").isTrue();
            assertThat(watch.context().excludedRules(input)).containsExactly("quarantine");
            assertThat(watch.context().credentials(input).source().credentialsFor("registry.example.com", "org/app"))
                    .singleElement().satisfies(c -> assertThat(c.source()).isEqualTo("secret team-a/regcred"));
            assertThat(warnings).as("no secret in the log").noneMatch(w -> w.contains("secret-value-a1"));
        } finally {
            client.close();
        }
    }
}
