package org.imagepolicy.webhook.cluster.openshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.imagepolicy.webhook.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The start-up question "does this API server serve image.openshift.io?" when its answer is not a plain 404 at once:
 * an answer that comes after start-up stopped waiting, and an error that is no proof of absence.
 */
class ImageApiCheckTest {
    final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    final Logger log = Logger.getLogger(ImageApiCheck.class.getName());
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    final CountDownLatch answer = new CountDownLatch(1);
    volatile int status;
    KubernetesMockServer mock;
    KubernetesClient client;

    @BeforeEach
    void start() {
        log.addHandler(capture);
        Dispatcher imageApi = new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                try {
                    // Held until the test lets it go: "no answer yet" without guessing a time.
                    if (!answer.await(60, TimeUnit.SECONDS)) {
                        return new MockResponse().setResponseCode(500);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new MockResponse().setResponseCode(status).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                        + "\"status\":\"Failure\",\"message\":\"answered " + status + "\",\"code\":" + status + "}");
            }
        };
        mock = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), imageApi, false);
        mock.init();
        try (KubernetesClient first = mock.createClient()) {
            client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(first.getConfiguration()).withRequestRetryBackoffLimit(0).build())
                    .build();
        }
    }

    @AfterEach
    void stop() {
        answer.countDown();
        log.removeHandler(capture);
        client.close();
        mock.destroy();
    }

    private boolean saw(Level level, String... parts) {
        return logged.stream().anyMatch(r -> r.getLevel().equals(level) && List.of(parts).stream().allMatch(r.getMessage()::contains));
    }

    @Test
    void aNotFoundAfterStartUpStoppedWaitingIsLoggedAsAnError() throws Exception {
        status = 404;
        assertThatCode(() -> ImageApiCheck.require(client, Duration.ofMillis(1))).as("no answer yet: start-up goes on").doesNotThrowAnyException();
        assertThat(saw(Level.WARNING, "has not answered whether it serves image.openshift.io/v1", "not ready until image streams are listed"))
                .as("%s", logged).isTrue();
        answer.countDown();
        Await.until("the late 404 logged as an error naming the group and what to do", Duration.ofSeconds(30),
                () -> saw(Level.SEVERE, "does not serve image.openshift.io/v1", "Remove --image-api", "until then it stays not ready"));
    }

    @Test
    void anUnavailableOpenShiftApiServerIsNoProofOfAbsence() {
        status = 503;
        answer.countDown();
        assertThatCode(() -> ImageApiCheck.require(client, Duration.ofSeconds(30))).doesNotThrowAnyException();
        assertThat(saw(Level.WARNING, "cannot list image.openshift.io/v1 imagestreams from", "yet; not ready until it can", "answered 503"))
                .as("%s", logged.stream().map(LogRecord::getMessage).toList()).isTrue();
    }
}
