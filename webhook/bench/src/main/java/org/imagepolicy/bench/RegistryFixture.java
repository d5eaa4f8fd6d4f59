package org.imagepolicy.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.imagepolicy.certs.CertificateAuthority;
import org.imagepolicy.certs.IssuedCertificate;
import org.imagepolicy.certs.Pem;
import org.imagepolicy.certs.ServingCertSpec;
import org.imagepolicy.webhook.registry.testing.ImagePusher;
import org.imagepolicy.webhook.registry.testing.LocalRegistry;

/**
 * The registry side of the load and soak harnesses: Debian's docker-registry on loopback with IMAGES
 * images pushed ({@code bench/app-0:v1} ...), each with its own config and labels, and in front of it
 * four proxies: one answering in 200 ms, the same over TLS offering HTTP/2 by ALPN (its CA in
 * {@code DIR/certs.d/HOST:PORT/ca.crt}, the layout of the webhook's {@code --registry-certs}), one failing
 * 5% of requests, and one that can be taken down.
 *
 * <pre>java -cp benchmarks.jar org.imagepolicy.bench.RegistryFixture DIR IMAGES</pre>
 *
 * Writes {@code DIR/fixture.env} (shell variables: the five host:port addresses) once everything is up;
 * while it runs, a file {@code DIR/outage.down} takes the outage proxy down and removing it brings it back.
 * Runs until killed or until its standard input closes; the registry dies with it.
 */
public final class RegistryFixture {
    static final String APPROVED_LABEL = "com.example.approved";

    private RegistryFixture() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: RegistryFixture DIR IMAGES");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        int images = Integer.parseInt(args[1]);
        try (LocalRegistry registry = LocalRegistry.start(LocalRegistry.Variant.PLAIN, dir)) {
            long started = System.nanoTime();
            push(registry, images);
            System.err.printf("pushed %d images in %.1f s%n", images, (System.nanoTime() - started) / 1e9);

            Vertx vertx = Vertx.vertx();
            BenchProxy slow = BenchProxy.start(vertx, registry.port(), 200, 0);
            BenchProxy slowTls = BenchProxy.start(vertx, registry.port(), 200, 0, tlsCertificate(dir));
            BenchProxy flaky = BenchProxy.start(vertx, registry.port(), 0, 5);
            BenchProxy outage = BenchProxy.start(vertx, registry.port(), 0, 0);
            Path down = dir.resolve("outage.down");
            vertx.setPeriodic(100, t -> outage.down(Files.exists(down)));

            Path certsDir = Files.createDirectories(dir.resolve("certs.d").resolve("127.0.0.1:" + slowTls.port()));
            Files.move(dir.resolve("proxy-ca.crt"), certsDir.resolve("ca.crt"));
            Path env = dir.resolve("fixture.env");
            Files.writeString(dir.resolve("fixture.env.tmp"), "REGISTRY=127.0.0.1:" + registry.port() + "\n"
                    + "SLOW=127.0.0.1:" + slow.port() + "\nSLOW_TLS=127.0.0.1:" + slowTls.port() + "\nFLAKY=127.0.0.1:" + flaky.port() + "\n"
                    + "OUTAGE=127.0.0.1:" + outage.port() + "\nIMAGES=" + images + "\n");
            Files.move(dir.resolve("fixture.env.tmp"), env); // whole, so the script never reads half of it
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.printf(
                    "bench proxies: flaky forwarded %d and failed %d requests (%.1f%%)%n", flaky.forwarded(), flaky.failed(),
                    100.0 * flaky.failed() / Math.max(1, flaky.forwarded() + flaky.failed()))));
            while (System.in.read() >= 0) {
                // Until the harness closes our stdin (or kills us).
            }
            vertx.close().await();
        }
    }

    /** A serving certificate for 127.0.0.1 and localhost from a fresh CA, whose certificate goes to DIR/proxy-ca.crt. */
    private static KeyCertOptions tlsCertificate(Path dir) throws java.io.IOException {
        CertificateAuthority authority = CertificateAuthority.generate("bench registry proxy CA", Duration.ofDays(2));
        IssuedCertificate serving = authority.issue(new ServingCertSpec(List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1)));
        Files.writeString(dir.resolve("proxy-ca.crt"), Pem.encode(authority.certificate()));
        return new PemKeyCertOptions().setCertValue(Buffer.buffer(serving.chainPem())).setKeyValue(Buffer.buffer(serving.privateKeyPem()));
    }

    /** Four pushers at once: the registry is the bottleneck, and it has two cores too. */
    private static void push(LocalRegistry registry, int images) throws Exception {
        ImagePusher pusher = ImagePusher.to(registry);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> pushes = new ArrayList<>();
            for (int i = 0; i < images; i++) {
                int n = i;
                pushes.add(pool.submit(() -> pusher.dockerImage("bench/app-" + n).tag("v1").labels(labels(n)).push()));
            }
            for (Future<?> push : pushes) {
                push.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** The labels a release pipeline typically leaves on an image, plus the one the bench policy asks for. */
    static Map<String, String> labels(int n) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(APPROVED_LABEL, "true");
        labels.put("org.opencontainers.image.title", "app-" + n);
        labels.put("org.opencontainers.image.version", "1." + (n % 40) + "." + (n % 7));
        labels.put("org.opencontainers.image.revision", String.format("%040x", (long) n * 2654435761L));
        labels.put("org.opencontainers.image.source", "https://git.example.com/team/app-" + n);
        labels.put("org.opencontainers.image.created", "2026-11-" + (10 + n % 18) + "T03:14:15Z");
        labels.put("org.opencontainers.image.vendor", "Example, Inc.");
        labels.put("maintainer", "platform-team@example.com");
        return labels;
    }
}
