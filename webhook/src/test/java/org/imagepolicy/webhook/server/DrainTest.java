package org.imagepolicy.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.imagepolicy.webhook.testing.Await;
import org.imagepolicy.webhook.testing.Golden;
import org.imagepolicy.webhook.testing.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollout as keep-alive clients see it (kubernetes#127335): clients keep sending over HTTP/1.1 and HTTP/2 while
 * the server gets SIGTERM (close(), which the shutdown hook calls), and stop only a while later, as the API server
 * does once the endpoint removal reaches it. No request may fail, and the server may close a connection only right
 * after a complete response that told the client so.
 */
class DrainTest {
    private static final Duration DELAY = Duration.ofSeconds(3);
    /** When the clients stop sending after readiness went off: endpoint removal taking this long, inside the delay. */
    private static final Duration ENDPOINT_REMOVAL = Duration.ofMillis(2000);

    @Test
    void keepAliveClientsSendingThroughSigtermLoseNoRequest(@TempDir Path dir) throws Exception {
        byte[] review = Files.readAllBytes(Golden.DIR.resolve("pod-from-quay-denied/request.json"));
        RunningServer running = RunningServer.startWithShutdownDelay(dir, Files.readString(Golden.DIR.resolve("policy.yaml")), DELAY);
        int port = running.server.port();
        Vertx vertx = Vertx.vertx();
        List<Http1Client> http1 = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                Http1Client c = new Http1Client(running, port, review);
                http1.add(c);
                Thread t = new Thread(c, "http1-client-" + i);
                t.start();
                threads.add(t);
            }
            Http2Clients http2 = new Http2Clients(vertx, dir.resolve("certs/ca.crt"), port, review, 2, 2);
            Await.until("every client to be answered", Duration.ofSeconds(20),
                    () -> http1.stream().allMatch(c -> c.answered.get() >= 20) && http2.answered.get() >= 40);
            assertThat(http1).allSatisfy(c -> assertThat(c.drainAnswers.get()).as("no Connection: close before SIGTERM").isZero());

            Thread stopper = new Thread(running::close, "sigterm");
            stopper.start();
            Await.until("readiness to turn off", Duration.ofSeconds(5), () -> !running.server.ready());
            http1.forEach(c -> c.drainSeen = true);
            int http2Before = http2.answered.get();
            int connectionsBefore = http1.stream().mapToInt(c -> c.connections.get()).sum();
            Thread.sleep(ENDPOINT_REMOVAL.toMillis());
            assertThat(stopper.isAlive()).as("still draining while clients send").isTrue();
            http1.forEach(c -> c.stop = true);
            http2.stop = true;
            for (Thread t : threads) {
                t.join(10_000);
            }
            Await.until("the HTTP/2 clients to finish", Duration.ofSeconds(10), () -> http2.running.get() == 0);

            List<String> failures = new ArrayList<>();
            http1.forEach(c -> failures.addAll(c.failures));
            failures.addAll(http2.failures);
            assertThat(failures).as("failed requests").isEmpty();

            int drainAnswers = http1.stream().mapToInt(c -> c.drainAnswers.get()).sum();
            int closedAfterAnswer = http1.stream().mapToInt(c -> c.closedAfterAnswer.get()).sum();
            int connectionsDuring = http1.stream().mapToInt(c -> c.connections.get()).sum() - connectionsBefore;
            // A new TLS connection per request costs a few hundred milliseconds on a busy two-core machine.
            assertThat(drainAnswers).as("HTTP/1.1 requests answered with Connection: close during the delay")
                    .isGreaterThanOrEqualTo(2 * http1.size());
            assertThat(closedAfterAnswer).as("connections the server closed, each right after such an answer").isEqualTo(drainAnswers);
            assertThat(connectionsDuring).as("new connections accepted during the delay").isGreaterThanOrEqualTo(http1.size());
            assertThat(http2.answered.get() - http2Before).as("HTTP/2 requests answered during the delay").isGreaterThan(10);
            assertThat(http2.goAways.get()).as("HTTP/2 connections told to go away").isGreaterThan(0);
            assertThat(http2.connections.get()).as("HTTP/2 clients reconnected after GOAWAY").isGreaterThan(2);

            stopper.join(20_000);
            assertThat(stopper.isAlive()).as("close() returned").isFalse();
            assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", port).close()).isInstanceOf(java.net.ConnectException.class);
        } finally {
            http1.forEach(c -> c.stop = true);
            running.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void withoutADelayCloseStillAnswersWhatIsInFlightAndStops(@TempDir Path dir) throws Exception {
        RunningServer running = RunningServer.startWithShutdownDelay(dir, Files.readString(Golden.DIR.resolve("policy.yaml")), Duration.ZERO);
        long start = System.nanoTime();
        running.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no delay asked for, none taken").isLessThan(DELAY);
    }

    /**
     * A client that keeps one HTTP/1.1 connection alive and sends request after request on it, reading each
     * response whole; after a {@code Connection: close} answer it expects the server to close, then reconnects.
     */
    static final class Http1Client implements Runnable {
        final AtomicInteger answered = new AtomicInteger();
        final AtomicInteger drainAnswers = new AtomicInteger();
        final AtomicInteger closedAfterAnswer = new AtomicInteger();
        final AtomicInteger connections = new AtomicInteger();
        final List<String> failures = new ArrayList<>();
        volatile boolean stop;
        /** Set once the test saw readiness off: every answer to a request sent after that must say Connection: close. */
        volatile boolean drainSeen;
        private final RunningServer running;
        private final int port;
        private final byte[] request;

        Http1Client(RunningServer running, int port, byte[] review) {
            this.running = running;
            this.port = port;
            byte[] head = ("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: " + review.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            this.request = new byte[head.length + review.length];
            System.arraycopy(head, 0, request, 0, head.length);
            System.arraycopy(review, 0, request, head.length, review.length);
        }

        @Override
        public void run() {
            while (!stop && failures.isEmpty()) {
                try (SSLSocket s = (SSLSocket) running.tls().getSocketFactory().createSocket("127.0.0.1", port)) {
                    SSLParameters p = s.getSSLParameters();
                    p.setApplicationProtocols(new String[] {"http/1.1"});
                    s.setSSLParameters(p);
                    s.setSoTimeout(10_000);
                    s.startHandshake();
                    connections.incrementAndGet();
                    session(s);
                } catch (IOException e) {
                    failures.add("could not connect: " + e);
                }
            }
        }

        private void session(SSLSocket s) throws IOException {
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            int onThisConnection = 0;
            while (!stop) {
                boolean close;
                boolean duringDrain = drainSeen;
                try {
                    out.write(request);
                    out.flush();
                    close = readResponse(in);
                } catch (IOException e) {
                    failures.add("request " + (onThisConnection + 1) + " on a connection lost its answer: " + e);
                    return;
                }
                onThisConnection++;
                answered.incrementAndGet();
                if (duringDrain && !close) {
                    failures.add("an answer during the drain without Connection: close");
                }
                if (close) {
                    drainAnswers.incrementAndGet();
                    try {
                        if (in.read() != -1) {
                            failures.add("data after a Connection: close answer");
                        } else {
                            closedAfterAnswer.incrementAndGet();
                        }
                    } catch (SocketTimeoutException e) {
                        failures.add("the server kept the connection open after Connection: close");
                    } catch (IOException e) {
                        closedAfterAnswer.incrementAndGet(); // closed abruptly, but only after the complete answer
                    }
                    return;
                }
            }
        }

        /** Reads one whole response; returns whether it said {@code Connection: close}. */
        private boolean readResponse(InputStream in) throws IOException {
            String status = line(in);
            if (!status.startsWith("HTTP/1.1 200")) {
                throw new IOException("unexpected status line \"" + status + "\"");
            }
            int length = -1;
            boolean close = false;
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(h.substring(15).trim());
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                }
            }
            if (length < 0) {
                throw new IOException("no Content-Length");
            }
            byte[] body = in.readNBytes(length);
            if (body.length != length) {
                throw new IOException("body cut at " + body.length + " of " + length + " bytes");
            }
            return close;
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream(64);
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c == -1) {
                    throw new IOException("connection closed after " + b.size() + " bytes of a line");
                }
                if (c != '\r') {
                    b.write(c);
                }
            }
            return b.toString(StandardCharsets.US_ASCII);
        }
    }

    /** Vert.x HTTP/2 clients, each multiplexing a few request loops over one connection. */
    static final class Http2Clients {
        final AtomicInteger answered = new AtomicInteger();
        final AtomicInteger goAways = new AtomicInteger();
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        volatile boolean stop;
        private final byte[] review;

        Http2Clients(Vertx vertx, Path ca, int port, byte[] review, int clients, int loopsEach) {
            this.review = review;
            for (int i = 0; i < clients; i++) {
                HttpClient client = vertx.httpClientBuilder()
                        .with(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setSsl(true).setUseAlpn(true)
                                .setTrustOptions(new PemTrustOptions().addCertPath(ca.toString()))
                                .setDefaultHost("localhost").setDefaultPort(port))
                        .with(new PoolOptions().setHttp2MaxSize(1))
                        .withConnectHandler(c -> {
                            connections.incrementAndGet();
                            c.goAwayHandler(g -> goAways.incrementAndGet());
                        })
                        .build();
                for (int l = 0; l < loopsEach; l++) {
                    running.incrementAndGet();
                    next(client);
                }
            }
        }

        private void next(HttpClient client) {
            if (stop) {
                running.decrementAndGet();
                return;
            }
            client.request(HttpMethod.POST, "/validate")
                    .compose(req -> req.putHeader("Content-Type", "application/json").send(Buffer.buffer(review)))
                    .compose(resp -> resp.body().compose(b -> resp.statusCode() == 200 ? Future.succeededFuture(b)
                            : Future.failedFuture("status " + resp.statusCode())))
                    .onComplete(done -> {
                        if (done.succeeded()) {
                            answered.incrementAndGet();
                        } else {
                            failures.add("HTTP/2 request failed: " + done.cause());
                        }
                        next(client);
                    });
        }
    }
}
