package org.imagepolicy.webhook.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imagepolicy.webhook.registry.RegistryFixture.resolve;

import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.metrics.RegistryMetrics;
import org.imagepolicy.webhook.registry.credentials.CredentialSource;
import org.imagepolicy.webhook.registry.testing.FaultProxy;
import org.imagepolicy.webhook.registry.testing.ImagePusher;
import org.imagepolicy.webhook.registry.testing.LocalRegistry;
import org.imagepolicy.webhook.registry.testing.LocalRegistry.Variant;
import org.imagepolicy.webhook.registry.testing.PushedImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A registry that stalls, resets, fails or rate-limits, tampered content, and attempts to make the
 * webhook contact places it must not: every answer arrives in time, transient failures are not cached,
 * stale digests are served and marked, and nothing forbidden is contacted.
 */
@Execution(ExecutionMode.SAME_THREAD)
class RegistryFaultsTest {
    static final Duration BUDGET = Duration.ofMillis(2500);
    @TempDir
    static Path dir;
    static Vertx vertx;
    static LocalRegistry registry;
    static PushedImage image;
    FaultProxy proxy;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        registry = LocalRegistry.start(Variant.PLAIN, dir);
        image = ImagePusher.to(registry).ociImage("faults/app").tag("1").label("tier", "gold").push();
    }

    @AfterAll
    static void stop() {
        registry.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @BeforeEach
    void proxy() {
        proxy = FaultProxy.start(registry);
    }

    @AfterEach
    void closeProxy() {
        proxy.close();
    }

    /** Through the proxy, with a short time to live so stale serving can be seen in a test. */
    RegistryResolver resolver(Duration ttl) throws Exception {
        RegistrySettings s = RegistryFixture.settings(Set.of(proxy.host()), null, Set.of(proxy.host()), ttl, Duration.ofMinutes(10),
                CredentialSource.anonymous());
        return RegistryResolver.create(vertx, s, new RegistryMetrics(), Duration.ofSeconds(5));
    }

    String app() {
        return proxy.host() + "/faults/app:1";
    }

    static String failure(Resolution r) {
        assertThat(r).isInstanceOf(Resolution.Failed.class);
        return ((Resolution.Failed) r).reason();
    }

    @Test
    void aStalledRegistryStillGetsAnAnswerBeforeTheDeadline() throws Exception {
        proxy.mode(FaultProxy.Mode.STALL);
        long start = System.nanoTime();
        Resolution r = resolve(resolver(Duration.ofSeconds(60)), app(), BUDGET);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(failure(r)).contains("did not answer within the decision's time budget");
        assertThat(tookMillis).as("answered at the deadline, not after").isLessThan(BUDGET.toMillis() + 1_000);
        proxy.release();
    }

    @Test
    void transientFailuresAreNotCached() throws Exception {
        RegistryResolver resolver = resolver(Duration.ofSeconds(60));
        for (FaultProxy.Mode mode : new FaultProxy.Mode[] {FaultProxy.Mode.STATUS_500, FaultProxy.Mode.RESET}) {
            proxy.mode(mode);
            assertThat(failure(resolve(resolver, app(), BUDGET))).as(mode.name()).isNotBlank();
        }
        proxy.mode(FaultProxy.Mode.PASS);
        Resolution.Resolved ok = (Resolution.Resolved) resolve(resolver, app(), BUDGET);
        assertThat(ok.metadata().digest()).as("the next lookup went to the registry again").isEqualTo(image.digest());
    }

    @Test
    void aRateLimitIsHonouredWithoutAskingAgain() throws Exception {
        RegistryResolver resolver = resolver(Duration.ofSeconds(60));
        proxy.retryAfterSeconds(30);
        proxy.mode(FaultProxy.Mode.STATUS_429);
        assertThat(failure(resolve(resolver, app(), BUDGET))).contains("rate limiting requests (429)");
        long asked = proxy.count("GET", ".*") + proxy.count("HEAD", ".*");
        assertThat(asked).as("the request the 429 answered").isPositive();
        assertThat(failure(resolve(resolver, proxy.host() + "/faults/app:2", BUDGET))).contains("asked to wait (429 Retry-After)");
        assertThat(proxy.count("GET", ".*") + proxy.count("HEAD", ".*")).as("nothing sent before Retry-After").isEqualTo(asked);
    }

    @Test
    void duringAnOutageAStaleDigestIsServedAndMarked() throws Exception {
        RegistryResolver resolver = resolver(Duration.ofMillis(200));
        assertThat(((Resolution.Resolved) resolve(resolver, app(), BUDGET)).staleness()).isNull();
        org.imagepolicy.webhook.testing.Await.holdsFor("the time to live passing", Duration.ofMillis(300), () -> true);
        proxy.mode(FaultProxy.Mode.STATUS_500);
        Resolution.Resolved stale = (Resolution.Resolved) resolve(resolver, app(), BUDGET);
        assertThat(stale.metadata().digest()).isEqualTo(image.digest());
        assertThat(stale.staleness()).contains("cannot be reached now");
    }

    @Test
    void aTamperedBlobIsRefused() throws Exception {
        proxy.mode(FaultProxy.Mode.TAMPER_BLOBS);
        assertThat(failure(resolve(resolver(Duration.ofSeconds(60)), app(), BUDGET))).contains("does not match its digest")
                .contains("refusing it");
    }

    @Test
    void aRedirectToPlainHttpIsNotFollowed() throws Exception {
        try (FaultProxy elsewhere = FaultProxy.start(registry)) {
            proxy.redirectTo(URI.create("http://" + elsewhere.host() + "/elsewhere"), "/v2/.*/blobs/.*");
            assertThat(failure(resolve(resolver(Duration.ofSeconds(60)), app(), BUDGET))).contains("blobs are fetched over https only");
            assertThat(elsewhere.requests()).as("the redirect target was never contacted").isEmpty();
        }
    }

    @Test
    void internalAddressesAreNotContactedUnlessNamed() throws Exception {
        RegistryResolver resolver = RegistryResolver.create(vertx, RegistryFixture.settings(Set.of(), null, Set.of(), Duration.ofSeconds(60),
                Duration.ofMinutes(10), CredentialSource.anonymous()), new RegistryMetrics(), Duration.ofSeconds(5));
        assertThat(failure(resolve(resolver, "169.254.169.254/latest/meta-data:1", BUDGET)))
                .contains("refusing to contact 169.254.169.254: it resolves to the internal address 169.254.169.254");
        assertThat(failure(resolve(resolver, registry.host() + "/faults/app:1", BUDGET))).contains("refusing to contact 127.0.0.1");
        assertThat(failure(resolve(resolver, "localhost:" + proxy.host().split(":")[1] + "/faults/app:1", BUDGET)))
                .contains("refusing to contact localhost");
        assertThat(proxy.requests()).as("nothing reached the loopback proxy").isEmpty();
    }

    @Test
    void aTokenRealmOnLoopbackIsNotContactedAndCredentialsNeverReachTheLogs() throws Exception {
        try (LocalRegistry token = LocalRegistry.start(Variant.TOKEN, dir)) {
            ImagePusher.to(token).ociImage("secure/app").tag("1").push();
            token.tokenServer().clearRequests();
            // The registry is named (its CA is in certs.d), its token server is not: the realm must not be followed.
            Path certsD = java.nio.file.Files.createDirectories(dir.resolve("only-registry"));
            java.nio.file.Files.writeString(java.nio.file.Files.createDirectories(certsD.resolve(token.host())).resolve("ca.crt"), token.caPem());
            CapturedLogs logs = CapturedLogs.start();
            try {
                RegistryResolver resolver = RegistryResolver.create(vertx, RegistryFixture.settings(Set.of(), certsD, Set.of(),
                        Duration.ofSeconds(60), Duration.ofMinutes(10), RegistryFixture.credentials(token.host(), token.username(), token.password())),
                        new RegistryMetrics(), Duration.ofSeconds(5));
                String reason = failure(resolve(resolver, token.host() + "/secure/app:1", BUDGET));
                assertThat(reason).contains("refusing to contact 127.0.0.1").doesNotContain(token.password());
            } finally {
                logs.stop();
            }
            assertThat(token.tokenServer().tokenRequests()).as("the realm on loopback was not contacted").isZero();
            assertThat(logs.text()).doesNotContain(token.password());
        }
    }

    /** Every log record of the process while a test runs, to prove what never appears in them. */
    static final class CapturedLogs extends Handler {
        private final StringBuilder text = new StringBuilder();

        static CapturedLogs start() {
            CapturedLogs h = new CapturedLogs();
            Logger.getLogger("").addHandler(h);
            return h;
        }

        void stop() {
            Logger.getLogger("").removeHandler(this);
        }

        synchronized String text() {
            return text.toString();
        }

        @Override
        public synchronized void publish(LogRecord r) {
            text.append(r.getMessage()).append('\n');
            if (r.getThrown() != null) {
                text.append(r.getThrown()).append('\n');
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
