package org.imagepolicy.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.imagepolicy.webhook.metrics.Metrics;
import org.imagepolicy.webhook.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two reloads at once (a slow one still configuring insecure registries when the next poll fires) must not
 * interleave: otherwise one reload's engine can go live with the other's insecure registries.
 */
class PolicyStateReloadOrderTest {

    private static String policy(String insecure) {
        return "apiVersion: v1\nkind: ImagePolicyConfig\ninsecureRegistries: [" + insecure + "]\n";
    }

    @Test
    void aReloadWaitsUntilTheOneBeforeItHasInstalledAndConfiguredEverything(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, policy("a.example.com"));
        ServerSettings settings = new ServerSettings(List.of(file), true, "127.0.0.1", 0, 0, null, null, dir.resolve("certs"), true,
                List.of(), java.util.Set.of(), Duration.ofMillis(100), Duration.ZERO, Duration.ofSeconds(10), 1, Duration.ofMillis(2500), null,
                org.imagepolicy.webhook.registry.CacheBudget.ofThisJvm(), Duration.ZERO);
        PolicyState state = new PolicyState(settings, new Metrics());
        state.load();

        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger active = new AtomicInteger();
        AtomicBoolean overlapped = new AtomicBoolean();
        List<List<String>> configured = new CopyOnWriteArrayList<>();
        state.onInstall(p -> {
            if (active.incrementAndGet() > 1) {
                overlapped.set(true);
            }
            try {
                if (p.insecureRegistries().equals(List.of("b.example.com"))) {
                    inside.countDown();
                    assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            configured.add(p.insecureRegistries());
            active.decrementAndGet();
        });

        Files.writeString(file, policy("b.example.com"));
        Thread first = new Thread(state::reloadIfChanged, "first-reload");
        first.start();
        assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();

        Files.writeString(file, policy("c.example.com"));
        Thread second = new Thread(state::reloadIfChanged, "second-reload");
        second.start();
        // Either the second reload waits for the first one's lock, or it runs into the callback beside it.
        Await.until("the second reload waiting for the first, or running beside it", Duration.ofSeconds(30),
                () -> overlapped.get() || waitsFor(second, first));
        release.countDown();
        first.join(30_000);
        second.join(30_000);

        assertThat(overlapped).as("installs overlapped").isFalse();
        assertThat(configured).containsExactly(List.of("a.example.com"), List.of("b.example.com"), List.of("c.example.com"));
        assertThat(state.engine().policy().insecureRegistries()).as("the engine live is the last one configured")
                .isEqualTo(configured.get(configured.size() - 1));
    }

    private static boolean waitsFor(Thread waiting, Thread holder) {
        ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(waiting.getId());
        return info != null && info.getThreadState() == Thread.State.BLOCKED && info.getLockOwnerId() == holder.getId()
                && info.getLockName() != null && info.getLockName().startsWith(PolicyState.class.getName());
    }
}
