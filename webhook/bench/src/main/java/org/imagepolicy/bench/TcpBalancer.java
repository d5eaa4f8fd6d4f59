package org.imagepolicy.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What kube-proxy and the endpoints controller do for the soak's rolling restart, in miniature: a TCP balancer
 * that sends each new connection to the next backend whose {@code /readyz} answered 200 at the last probe
 * (every 200 ms), and pipes bytes both ways (TLS passes through untouched). A backend that turns unready gets
 * no new connections; the ones it has stay until either end closes them, as with a real Service.
 *
 * <pre>java -cp benchmarks.jar org.imagepolicy.bench.TcpBalancer PORT STATS-FILE BACKEND-PORT:HEALTH-PORT...</pre>
 *
 * Runs until its standard input closes; writes its counters to STATS-FILE every probe round. A file
 * {@code hold-PORT} beside STATS-FILE keeps that backend out of rotation even when ready: the soak holds a
 * restarted server back until it has warmed its registry cache (a readiness gate the webhook does not have).
 */
public final class TcpBalancer {
    private record Backend(int port, int health, AtomicBoolean ready) {
    }

    private TcpBalancer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path stats = Path.of(args[1]);
        List<Backend> backends = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            String[] p = args[i].split(":");
            backends.add(new Backend(Integer.parseInt(p[0]), Integer.parseInt(p[1]), new AtomicBoolean()));
        }
        AtomicLong connections = new AtomicLong();
        AtomicLong noBackend = new AtomicLong();
        AtomicLong connectFailures = new AtomicLong();
        AtomicInteger next = new AtomicInteger();
        Vertx vertx = Vertx.vertx();
        HttpClient probe = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(500).setKeepAlive(false));
        vertx.setPeriodic(200, id -> {
            for (Backend b : backends) {
                probe.request(HttpMethod.GET, b.health(), "127.0.0.1", "/readyz")
                        .compose(r -> r.send())
                        .onComplete(done -> {
                            boolean now = done.succeeded() && done.result().statusCode() == 200
                                    && !Files.exists(stats.resolveSibling("hold-" + b.port()));
                            if (b.ready().getAndSet(now) != now) {
                                // When each backend came and went, for a soak that finds no ready backend to explain it.
                                System.err.println(java.time.Instant.now() + " backend " + b.port() + (now ? " ready" : " not ready: "
                                        + (done.succeeded() ? "status " + done.result().statusCode() : String.valueOf(done.cause()))));
                            }
                        });
            }
            String line = "connections=" + connections.get() + " no_ready_backend=" + noBackend.get() + " connect_failures="
                    + connectFailures.get() + "\n";
            vertx.executeBlocking(() -> Files.writeString(stats, line), false);
        });
        NetClient net = vertx.createNetClient(new NetClientOptions().setConnectTimeout(2_000).setTcpNoDelay(true));
        vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true)).connectHandler(client -> {
            client.pause();
            List<Backend> ready = backends.stream().filter(b -> b.ready().get()).toList();
            if (ready.isEmpty()) {
                noBackend.incrementAndGet();
                client.close();
                return;
            }
            Backend b = ready.get(Math.floorMod(next.getAndIncrement(), ready.size()));
            net.connect(b.port(), "127.0.0.1").onComplete(done -> {
                if (done.failed()) {
                    connectFailures.incrementAndGet();
                    client.close();
                    return;
                }
                connections.incrementAndGet();
                NetSocket server = done.result();
                // Each direction ends the other side when its source ends, so a close on either end reaches the other.
                server.pipeTo(client);
                client.pipeTo(server);
            });
        }).listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
        while (System.in.read() != -1) {
            // runs until the harness closes our standard input
        }
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }
}
