package org.imagepolicy.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * New images for the load harness's cold scenarios: COUNT one-container pods, each of another image
 * (IMAGE_FORMAT formatted with FIRST, FIRST + 1, ...), either all at once (RATE 0: a burst, as after a
 * rollout of many workloads) or offered at RATE pods a second whatever the answers take (an open loop:
 * a slow answer does not slow the offer, so the rate answered is the webhook's, not the generator's).
 * Latency runs from the moment a pod was due, so a late send counts against the run.
 *
 * <pre>java -cp benchmarks.jar org.imagepolicy.bench.ColdBurst URL TEMPLATE IMAGE_FORMAT FIRST COUNT RATE [h2|h1]</pre>
 *
 * TEMPLATE is Reviews' pod-1-template.json. Over HTTP/2 (the API server's protocol to webhooks) the pods
 * share a few connections; over HTTP/1.1 each pod in flight needs its own. The server's certificate is
 * not checked (the harness's own). Prints one RESULT line in post.lua's format (rps: pods over the seconds
 * from the first send to the last answer), plus those seconds ({@code elapsed}), the offered rate, and
 * {@code answering}: pods a second between the first answer and the last (the rate the webhook kept up,
 * without the first pod's wait), and {@code admitting}: that rate times the share of pods allowed (a denial
 * is not a lookup done: an open breaker answers fast); the first denials go to stderr.
 */
public final class ColdBurst {
    private ColdBurst() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 6) {
            System.err.println("usage: ColdBurst URL TEMPLATE IMAGE_FORMAT FIRST COUNT RATE [h2|h1]");
            System.exit(2);
        }
        URI url = URI.create(args[0]);
        String template = Files.readString(Path.of(args[1]), StandardCharsets.UTF_8);
        String format = args[2];
        int first = Integer.parseInt(args[3]);
        int count = Integer.parseInt(args[4]);
        double rate = Double.parseDouble(args[5]);
        boolean h2 = args.length < 7 || args[6].equals("h2");

        Vertx vertx = Vertx.vertx();
        HttpClientOptions options = new HttpClientOptions().setSsl(url.getScheme().equals("https")).setTrustAll(true)
                .setVerifyHost(false).setKeepAlive(true).setConnectTimeout(10_000);
        if (h2) {
            options.setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(true).setHttp2MultiplexingLimit(100);
        }
        HttpClient client = vertx.createHttpClient(options,
                new PoolOptions().setHttp1MaxSize(Math.min(count, 256)).setHttp2MaxSize(4).setMaxWaitQueueSize(-1));
        RequestOptions target = new RequestOptions().setMethod(HttpMethod.POST).setHost(url.getHost()).setPort(url.getPort())
                .setURI(url.getRawPath()).putHeader("Content-Type", "application/json").setTimeout(30_000);

        // One connection made before the clock starts: the generator's own TLS handshake is not the webhook's cold cost.
        client.request(new RequestOptions(target).setMethod(HttpMethod.GET).setURI("/bench-connect"))
                .compose(r -> r.send()).compose(r -> r.body()).toCompletionStage().toCompletableFuture()
                .handle((r, e) -> null).get();

        long[] latencies = new long[count];
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger non200 = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger denied = new AtomicInteger();
        AtomicInteger warned = new AtomicInteger();
        long[] lastAnswer = {0};
        long[] firstAnswer = {Long.MAX_VALUE};
        Promise<Void> all = Promise.promise();
        long start = System.nanoTime();
        AtomicInteger sent = new AtomicInteger();

        Runnable sendDue = () -> {
            long now = System.nanoTime();
            int due = rate <= 0 ? count : (int) Math.min(count, 1 + (long) ((now - start) / 1e9 * rate));
            while (sent.get() < due) {
                int i = sent.getAndIncrement();
                long dueAt = rate <= 0 ? start : start + (long) (i / rate * 1e9);
                String body = template.replace("__IMAGE0__", String.format(format, first + i));
                send(client, target, body).onComplete(ar -> {
                    long end = System.nanoTime();
                    synchronized (latencies) {
                        latencies[i] = end - dueAt;
                        lastAnswer[0] = Math.max(lastAnswer[0], end);
                        firstAnswer[0] = Math.min(firstAnswer[0], end);
                    }
                    if (ar.failed()) {
                        errors.incrementAndGet();
                        if (errors.get() <= 3) {
                            System.err.println("ERROR " + ar.cause());
                        }
                    } else if (ar.result().status != 200) {
                        non200.incrementAndGet();
                    } else if (ar.result().body.contains("\"allowed\":false")) {
                        if (denied.incrementAndGet() <= 3) {
                            System.err.println("DENIED " + ar.result().body.substring(0, Math.min(600, ar.result().body.length())));
                        }
                    } else if (ar.result().body.contains("\"warnings\"")) {
                        warned.incrementAndGet();
                    }
                    if (answered.incrementAndGet() == count) {
                        all.tryComplete();
                    }
                });
            }
        };
        if (rate <= 0) {
            vertx.runOnContext(v -> sendDue.run());
        } else {
            long timer = vertx.setPeriodic(1, t -> sendDue.run());
            all.future().onComplete(v -> vertx.cancelTimer(timer));
        }
        all.future().toCompletionStage().toCompletableFuture().get();
        double elapsed = (lastAnswer[0] - start) / 1e9;
        double answering = (count - 1) / Math.max(1e-9, (lastAnswer[0] - firstAnswer[0]) / 1e9);
        double[] ms = Arrays.stream(latencies).mapToDouble(n -> n / 1e6).sorted().toArray();
        System.out.printf(java.util.Locale.ROOT,
                "RESULT rps=%.1f p50=%.3f p99=%.3f p999=%.3f max=%.3f requests=%d errors=%d non200=%d denied=%d warned=%d"
                        + " elapsed=%.3f offered=%.1f answering=%.1f admitting=%.1f%n",
                count / elapsed, percentile(ms, 50), percentile(ms, 99), percentile(ms, 99.9), ms[ms.length - 1], count,
                errors.get(), non200.get() + errors.get(), denied.get(), warned.get(), elapsed, rate <= 0 ? count / elapsed : rate,
                answering, answering * (count - denied.get() - non200.get() - errors.get()) / count);
        client.close();
        vertx.close();
        System.exit(0);
    }

    private record Answer(int status, String body) {
    }

    private static Future<Answer> send(HttpClient client, RequestOptions target, String body) {
        return client.request(target).compose(request -> request.send(Buffer.buffer(body, "UTF-8")))
                .compose(response -> response.body().map(b -> new Answer(response.statusCode(), b.toString(StandardCharsets.UTF_8))));
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
