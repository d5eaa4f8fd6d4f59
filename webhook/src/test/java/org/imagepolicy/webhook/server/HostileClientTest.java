package org.imagepolicy.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.imagepolicy.webhook.testing.Await;
import org.imagepolicy.webhook.testing.Golden;
import org.imagepolicy.webhook.testing.RunningServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that try to take the webhook down: slowloris headers and bodies, huge and never-sent bodies, thousands of
 * idle connections, TLS garbage, HTTP/2 stream floods and rapid resets, deeply nested JSON and enormous pods.
 *
 * <p>Every test runs while {@link NormalTraffic} keeps sending ordinary reviews over HTTP/2 and HTTP/1.1 and probing
 * {@code /healthz}; each of those must be answered correctly within the API server's default webhook timeout (10 s).
 * Every hostile input must get an answer or a close, and the heap (the server runs in this JVM) must not grow by more
 * than {@link #HEAP_BOUND} once the attack is over. Timeouts below are generous upper bounds, not measurements.
 */
class HostileClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The denial of 100,000 containers carries a message longer than Jackson's default 20 MB string limit. */
    private static final ObjectMapper BIG_JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build());
    /** What the API server waits for a webhook by default: a normal request slower than this has failed in a cluster. */
    private static final Duration PROMPT = Duration.ofSeconds(10);
    private static final long HEAP_BOUND = 512L * 1024 * 1024;
    private static final String ALLOWED_UID = "0f6c5c2e-0001-4a4e-9d0e-000000000001";

    @TempDir
    static Path dir;
    static RunningServer running;
    static byte[] allowed;

    private NormalTraffic traffic;
    private long heapBefore;

    @BeforeAll
    static void start() throws Exception {
        running = RunningServer.start(dir, Files.readString(Golden.DIR.resolve("policy.yaml")));
        allowed = Files.readAllBytes(Golden.DIR.resolve("pod-from-docker-hub-allowed/request.json"));
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    @BeforeEach
    void startNormalTraffic() throws Exception {
        heapBefore = usedHeapAfterGc();
        traffic = NormalTraffic.start();
        Await.until("normal traffic to get going", PROMPT, () -> traffic.succeeded() >= 2);
    }

    @AfterEach
    void normalTrafficWasServedThroughout() throws Exception {
        traffic.close();
        traffic.assertAllServed();
        assertStillServing();
        long grown = usedHeapAfterGc() - heapBefore;
        assertThat(grown).as("heap growth after the attack, in bytes (bound %d MiB)", HEAP_BOUND >> 20).isLessThan(HEAP_BOUND);
    }

    // ---------------------------------------------------------------------------------------------- slowloris

    @Test
    void slowlorisHeadersAreCutOffByTheConnectionGuard() throws Exception {
        // ConnectionGuard.QUIET_MILLIS (30 s) is fixed in the code, so this waits for the real thing; idle TLS
        // connections that never send a byte ride along, as the guard treats them the same way.
        List<Watched> idle = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            idle.add(Watched.of(tlsSocket(null)));
        }
        SSLSocket slow = tlsSocket(null);
        Watched watched = Watched.of(slow);
        OutputStream out = slow.getOutputStream();
        out.write("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        byte[] header = "X-Slow: ".getBytes(StandardCharsets.US_ASCII);
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(ConnectionGuard.QUIET_MILLIS) + TimeUnit.SECONDS.toNanos(20);
        // One byte a second, never finishing the header block, until the server hangs up.
        for (int i = 0; !watched.closed() && System.nanoTime() < deadline; i++) {
            try {
                out.write(header[i % header.length]);
                out.flush();
            } catch (IOException closedByServer) {
                break;
            }
            watched.awaitClosedOrElapsed(Duration.ofSeconds(1));
        }
        Await.until("the server to close the slowloris connection", Duration.ofSeconds(10), watched::closed);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertThat(seconds).as("seconds until the slowloris connection was closed").isLessThan(ConnectionGuard.QUIET_MILLIS / 1000 + 20);
        assertThat(watched.received()).as("what the slowloris client got").doesNotContain("HTTP/1.1 200");
        System.out.printf("slowloris headers: closed by the server after %d s, %d normal requests answered meanwhile%n", seconds,
                traffic.succeeded());
        Await.until("the server to close every idle TLS connection", Duration.ofSeconds(20), () -> idle.stream().allMatch(Watched::closed));
        assertThat(traffic.succeeded()).as("normal requests answered while the slowloris connection was open").isGreaterThan(20);
    }

    @Test
    void slowlorisBodyGets408AfterTheBodyDeadline() throws Exception {
        SSLSocket slow = tlsSocket(null);
        Watched watched = Watched.of(slow);
        OutputStream out = slow.getOutputStream();
        out.write(("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: " + allowed.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(BodyReader.BODY_MILLIS) + TimeUnit.SECONDS.toNanos(15);
        for (int i = 0; i < allowed.length - 1 && !watched.closed() && System.nanoTime() < deadline; i++) {
            try {
                out.write(allowed[i]);
                out.flush();
            } catch (IOException closedByServer) {
                break;
            }
            watched.awaitClosedOrElapsed(Duration.ofMillis(500));
        }
        Await.until("the server to answer and close the slow body", Duration.ofSeconds(10), watched::closed);
        assertThat(watched.received()).as("the answer to a body trickled at 2 bytes a second").startsWith("HTTP/1.1 408 ")
                .contains("the body did not arrive within 10 seconds");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(BodyReader.BODY_MILLIS);
    }

    @Test
    void bodiesPromisedButNeverSentReserveNoMemory() throws Exception {
        // Requests that promise a body of exactly the 4 MiB limit and never send it: 200 HTTP/1.1 connections
        // (sending one byte of it) and 2 HTTP/2 connections of 100 streams each (the server's
        // SETTINGS_MAX_CONCURRENT_STREAMS). That is a few dozen KB of traffic; what the server sets aside for
        // a body must follow what arrives, not what a header claims, or it is 1.6 GB of heap.
        int http1 = 200;
        int streams = 100;
        List<Watched> pending = new ArrayList<>();
        List<H2> h2s = new ArrayList<>();
        try {
            for (int i = 0; i < http1; i++) {
                SSLSocket s = tlsSocket(null);
                pending.add(Watched.of(s));
                s.getOutputStream().write(("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + BodyReader.MAX_BODY_BYTES + "\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
            }
            for (int c = 0; c < 2; c++) {
                H2 h2 = H2.connect();
                h2s.add(h2);
                for (int i = 0, id = 1; i < streams; i++, id += 2) {
                    h2.headers(id, false, BodyReader.MAX_BODY_BYTES);
                }
            }
            int requests = http1 + 2 * streams;
            Await.until("the server to receive all " + requests + " requests", PROMPT,
                    () -> running.server.inFlightRequests() >= requests);
            long grown = usedHeapAfterGc() - heapBefore;
            Await.until("every promised body to time out", Duration.ofMillis(BodyReader.BODY_MILLIS + 20_000),
                    () -> pending.stream().allMatch(Watched::closed) && h2s.stream().allMatch(h -> h.answered() == streams));
            for (Watched w : pending) {
                assertThat(w.received()).startsWith("HTTP/1.1 408 ");
            }
            for (H2 h2 : h2s) {
                for (int i = 0, id = 1; i < streams; i++, id += 2) {
                    assertThat(h2.status(id)).as("status of HTTP/2 stream %d", id).isEqualTo(408);
                }
            }
            assertThat(grown).as("heap held by %d requests that declared %d-byte bodies and sent at most 1 byte (bound %d MiB)",
                    requests, BodyReader.MAX_BODY_BYTES, HEAP_BOUND >> 20).isLessThan(HEAP_BOUND);
        } finally {
            for (H2 h2 : h2s) {
                h2.close();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- huge bodies

    @Test
    void aReviewSentInPiecesIsJoinedAndDecided() throws Exception {
        // Most bodies arrive in one chunk, which is kept as it is; this one comes in three chunked-encoding
        // pieces, flushed apart, so the server must join them in order.
        SSLSocket s = tlsSocket(null);
        s.setTcpNoDelay(true);
        Watched watched = Watched.of(s);
        OutputStream out = s.getOutputStream();
        out.write("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        int[] cuts = {0, allowed.length / 3, 2 * allowed.length / 3, allowed.length};
        for (int i = 0; i < 3; i++) {
            int n = cuts[i + 1] - cuts[i];
            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(allowed, cuts[i], n);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.yield();
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Await.until("the answer", Duration.ofSeconds(15), () -> watched.received().contains("\"uid\""));
        String answer = watched.received();
        assertThat(answer).startsWith("HTTP/1.1 200 ");
        JsonNode response = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4)).path("response");
        assertThat(response.path("uid").asText()).isEqualTo(ALLOWED_UID);
        assertThat(response.path("allowed").asBoolean()).isTrue();
        s.close();
    }

    @Test
    void aHundredMegabyteChunkedBodyGets413AndIsNotBuffered() throws Exception {
        long size = 100L * 1000 * 1000;
        SSLSocket s = tlsSocket(null);
        Watched watched = Watched.of(s);
        OutputStream out = s.getOutputStream();
        out.write("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) ' ');
        byte[] chunkHeader = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] crlf = "\r\n".getBytes(StandardCharsets.US_ASCII);
        long sent = 0;
        try {
            while (sent < size && !watched.closed()) {
                out.write(chunkHeader);
                out.write(chunk);
                out.write(crlf);
                sent += chunk.length;
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException closedByServer) {
            // expected: the server stops reading once it has refused the body
        }
        Await.until("the server to close the connection", Duration.ofSeconds(15), watched::closed);
        assertThat(watched.received()).startsWith("HTTP/1.1 413 ");
        assertThat(sent).as("bytes the server let the client send before closing").isLessThan(size);
        System.out.printf("100 MB chunked over HTTP/1.1: 413 and a close after %d bytes sent%n", sent);
    }

    @Test
    void aHundredMegabyteBodyOverHttp2Gets413AndTheStreamIsReset() throws Exception {
        // Written frame by frame, honouring flow control: the JDK HttpClient (17) does not hand back a response
        // that ends before its upload does, so it would only show its own timeout.
        long size = 100L * 1000 * 1000;
        try (H2 h2 = H2.connect()) {
            h2.headers(1, false, -1);
            long sent = h2.upload(1, size, Duration.ofSeconds(30));
            Await.until("the 413 and the end of the stream", Duration.ofSeconds(15), () -> h2.reset(1) || h2.closed() || h2.goAway());
            assertThat(h2.status(1)).as("status of the 100 MB upload").isEqualTo(413);
            System.out.printf("100 MB over HTTP/2: 413, stream reset %s, %d bytes sent%n", h2.reset(1), sent);
            assertThat(sent).as("bytes the server let the client send").isLessThan(size);
        }
    }

    // ---------------------------------------------------------------------------------------------- connections

    @Test
    void thousandsOfIdleConnectionsDoNotStopTheServer() throws Exception {
        // 10,000 idle connections are wanted, but both ends live in this JVM: each connection costs two file
        // descriptors of the open-files limit (ulimit -n, 20,000 here). Use what the limit allows minus a margin.
        long limit = openFilesLimit();
        long open = openFiles();
        int wanted = 10_000;
        int budget = (int) Math.min(wanted, (limit - open - 2_000) / 2);
        assertThat(budget).as("connections the open-files limit %d leaves room for (%d open now)", limit, open).isGreaterThan(1_000);
        int tls = 500;
        int partialHello = 500;
        int raw = budget - tls - partialHello;
        System.out.printf("idle connections: %d (of %d wanted; open-files limit %d, %d open): %d raw TCP, %d partial ClientHello, %d TLS%n",
                budget, wanted, limit, open, raw, partialHello, tls);

        Selector selector = Selector.open();
        List<SocketChannel> channels = new ArrayList<>(raw + partialHello);
        List<SSLSocket> tlsIdle = new ArrayList<>(tls);
        try {
            // A TLS record header promising 16 KB of ClientHello, then nothing: the handshake never completes.
            byte[] hello = {0x16, 0x03, 0x01, 0x40, 0x00, 0x01, 0x00, 0x3f};
            for (int i = 0; i < raw + partialHello; i++) {
                SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", running.server.port()));
                if (i < partialHello) {
                    ch.write(ByteBuffer.wrap(hello));
                }
                ch.configureBlocking(false);
                ch.register(selector, SelectionKey.OP_READ);
                channels.add(ch);
            }
            for (int i = 0; i < tls; i++) {
                tlsIdle.add(tlsSocket(null));
            }
            assertStillServing();
            assertThat(health("/healthz")).isEqualTo(200);

            // The server must hang up on every connection that never finishes its TLS handshake (10 s handshake timeout).
            AtomicInteger closed = new AtomicInteger();
            ByteBuffer sink = ByteBuffer.allocate(4096);
            Await.until("the server to close all " + channels.size() + " connections that never completed a TLS handshake",
                    Duration.ofSeconds(40), () -> {
                        try {
                            selector.select(200);
                            for (SelectionKey key : selector.selectedKeys()) {
                                SocketChannel ch = (SocketChannel) key.channel();
                                int n;
                                try {
                                    sink.clear();
                                    n = ch.read(sink);
                                } catch (IOException reset) {
                                    n = -1;
                                }
                                if (n < 0) {
                                    key.cancel();
                                    ch.close();
                                    closed.incrementAndGet();
                                }
                            }
                            selector.selectedKeys().clear();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                        return closed.get() == channels.size();
                    });
            assertStillServing();
        } finally {
            for (SocketChannel ch : channels) {
                ch.close();
            }
            selector.close();
            for (SSLSocket s : tlsIdle) {
                s.close();
            }
        }
    }

    @Test
    void tlsGarbageIsHungUpOn() throws Exception {
        Random random = new Random(42);
        List<byte[]> garbage = new ArrayList<>();
        garbage.add("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        garbage.add("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        garbage.add(new byte[64 * 1024]);
        // Records that claim to be a handshake with nonsense inside, an alert, and an oversized record.
        garbage.add(new byte[] {0x16, 0x03, 0x03, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00});
        garbage.add(new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28});
        garbage.add(new byte[] {0x17, 0x03, 0x03, 0x00, 0x03, 1, 2, 3});
        for (int i = 0; i < 40; i++) {
            byte[] b = new byte[1 + random.nextInt(32 * 1024)];
            random.nextBytes(b);
            garbage.add(b);
        }
        List<Watched> sockets = new ArrayList<>();
        for (byte[] g : garbage) {
            Socket s = new Socket("127.0.0.1", running.server.port());
            Watched w = Watched.of(s);
            try {
                s.getOutputStream().write(g);
                s.getOutputStream().flush();
            } catch (IOException closedAlready) {
                // the server may hang up before reading it all
            }
            sockets.add(w);
        }
        // HTTP garbage inside a good TLS session: a 400 or a close, never a hang.
        List<byte[]> httpGarbage = List.of(
                "BREW /validate HTCPCP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                "POST /validate HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII),
                ("POST /validate HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII),
                ("POST /" + "v".repeat(10_000) + " HTTP/1.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII),
                ("POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        List<Watched> inside = new ArrayList<>();
        for (byte[] g : httpGarbage) {
            SSLSocket s = tlsSocket(null);
            Watched w = Watched.of(s);
            s.getOutputStream().write(g);
            s.getOutputStream().flush();
            inside.add(w);
        }
        Await.until("the server to hang up on every garbage connection", Duration.ofSeconds(25),
                () -> sockets.stream().allMatch(Watched::closed));
        Await.until("the server to answer or hang up on HTTP garbage inside TLS", Duration.ofSeconds(25),
                () -> inside.stream().allMatch(w -> w.closed() || w.received().contains("\r\n\r\n")));
        for (Watched w : inside) {
            // Netty answers in the protocol the request named: "HTCPCP/1.0 501 Not Implemented" is an answer too.
            assertThat(w.received()).satisfiesAnyOf(r -> assertThat(r).isEmpty(), r -> assertThat(r).containsPattern("^\\S+ [45]\\d\\d "));
            w.close();
        }
    }

    // ---------------------------------------------------------------------------------------------- HTTP/2

    @Test
    void manyConcurrentHttp2StreamsAreAllAnswered() throws Exception {
        // The JDK client keeps to the server's SETTINGS_MAX_CONCURRENT_STREAMS (100): waves of 100 on one connection.
        HttpClient client = running.client(HttpClient.Version.HTTP_2);
        for (int wave = 0; wave < 10; wave++) {
            List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                all.add(client.sendAsync(HttpRequest.newBuilder(running.uri("/validate")).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(allowed)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> f : all) {
                HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(JSON.readTree(r.body()).path("response").path("uid").asText()).isEqualTo(ALLOWED_UID);
            }
        }
        // A client that ignores the limit: 2,000 streams opened back to back on one connection. Each gets an answer
        // (an empty body is not a review: 400) or is refused with RST_STREAM, or the connection is shut with GOAWAY.
        try (H2 h2 = H2.connect()) {
            int streams = 2_000;
            for (int i = 0, id = 1; i < streams && !h2.closed(); i++, id += 2) {
                h2.headers(id, true, -1);
            }
            Await.until("every stream answered or refused, or the connection shut", Duration.ofSeconds(30),
                    () -> h2.goAway() || h2.closed() || h2.answered() == streams);
            System.out.printf("stream flood: %d streams opened back to back; %d answered or reset; GOAWAY %s (%s), closed %s%n",
                    streams, h2.answered(), h2.goAway(), h2.goAwayReason, h2.closed());
            if (!h2.goAway() && !h2.closed()) {
                for (int i = 0, id = 1; i < streams; i++, id += 2) {
                    assertThat(h2.status(id) == 400 || h2.reset(id)).as("stream %d: status %d", id, h2.status(id)).isTrue();
                }
            }
        }
    }

    @Test
    void rapidResetFloodIsShutDownAndTheServerKeepsServing() throws Exception {
        try (H2 h2 = H2.connect()) {
            int streams = 10_000;
            int id = 1;
            int written = 0;
            for (; written < streams && !h2.closed(); written++, id += 2) {
                try {
                    h2.headers(id, false, -1);
                    h2.rst(id);
                } catch (IOException closedByServer) {
                    break;
                }
            }
            // The connection is refused (GOAWAY or a close) or, if it survived, still answers a real request.
            int last = id;
            try {
                h2.headers(last, false, allowed.length);
                h2.data(last, allowed, true);
            } catch (IOException closedByServer) {
                // fine: the server already hung up
            }
            Await.until("a GOAWAY, a close, or an answer on the flooded connection", Duration.ofSeconds(20),
                    () -> h2.goAway() || h2.closed() || h2.status(last) != 0);
            assertThat(h2.goAway() || h2.closed() || h2.status(last) == 200).as("GOAWAY %s, closed %s, status %s", h2.goAway(),
                    h2.closed(), h2.status(last)).isTrue();
            System.out.printf("rapid reset: %d HEADERS+RST_STREAM pairs written; GOAWAY %s (%s), closed %s, final request status %d%n",
                    written, h2.goAway(), h2.goAwayReason, h2.closed(), h2.status(last));
        }
    }

    // ---------------------------------------------------------------------------------------------- bodies that parse badly

    @Test
    void deeplyNestedJsonGets400() throws Exception {
        String brackets = "[".repeat(100_000);
        String objects = "{\"a\":".repeat(100_000);
        String inReview = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"deep\","
                + "\"operation\":\"CREATE\",\"resource\":{\"group\":\"\",\"version\":\"v1\",\"resource\":\"pods\"},\"object\":"
                + "{\"spec\":{\"containers\":" + "[".repeat(100_000);
        for (HttpClient.Version version : HttpClient.Version.values()) {
            HttpClient client = running.client(version);
            for (String body : List.of(brackets, objects, inReview, brackets + "]".repeat(100_000))) {
                HttpResponse<String> r = running.post(client, "/validate", "application/json", HttpRequest.BodyPublishers.ofString(body));
                assertThat(r.statusCode()).as("status for %d bytes of nesting over %s", body.length(), version).isEqualTo(400);
                JsonNode status = JSON.readTree(r.body());
                assertThat(status.path("kind").asText()).isEqualTo("Status");
                assertThat(status.path("message").asText()).contains("nesting depth");
            }
        }
    }

    @Test
    void aPodWithAHundredThousandContainersIsAnswered() throws Exception {
        HttpClient client = running.client(HttpClient.Version.HTTP_2);
        for (String image : List.of("docker.io/a", "quay.io/a")) {
            byte[] body = hugePod(100_000, image);
            assertThat(body.length).as("body size").isLessThanOrEqualTo(BodyReader.MAX_BODY_BYTES);
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(running.uri("/validate")).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            System.out.printf("100,000 containers of %s: a %d-byte review answered with %d characters%n", image, body.length,
                    r.body().length());
            JsonNode response = BIG_JSON.readTree(r.body()).path("response");
            assertThat(response.path("uid").asText()).isEqualTo("huge-pod");
            boolean trusted = image.startsWith("docker.io/");
            assertThat(response.path("allowed").asBoolean()).as("allowed for 100,000 × %s", image).isEqualTo(trusted);
            if (!trusted) {
                assertThat(response.path("status").path("code").asInt()).isEqualTo(403);
                assertThat(response.path("status").path("details").path("causes").size()).as("causes are capped").isEqualTo(50);
                assertThat(response.path("status").path("message").asText()).endsWith("and 99950 more references denied for the same kinds of reasons]");
            }
        }
    }

    private static byte[] hugePod(int containers, String image) {
        StringBuilder sb = new StringBuilder(containers * 36 + 512);
        sb.append("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"huge-pod\",")
                .append("\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},")
                .append("\"resource\":{\"group\":\"\",\"version\":\"v1\",\"resource\":\"pods\"},\"namespace\":\"team-a\",")
                .append("\"operation\":\"CREATE\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"huge\"},")
                .append("\"spec\":{\"containers\":[");
        for (int i = 0; i < containers; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"name\":\"c").append(Integer.toString(i, 36)).append("\",\"image\":\"").append(image).append("\"}");
        }
        sb.append("]}}}}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** A TLS connection to the webhook, handshake done; {@code alpn} {@code null} for plain HTTP/1.1. */
    private static SSLSocket tlsSocket(String alpn) throws IOException {
        SSLSocket s = (SSLSocket) running.tls().getSocketFactory().createSocket("127.0.0.1", running.server.port());
        if (alpn != null) {
            SSLParameters p = s.getSSLParameters();
            p.setApplicationProtocols(new String[] {alpn});
            s.setSSLParameters(p);
        }
        s.setSoTimeout((int) Duration.ofSeconds(60).toMillis());
        s.setTcpNoDelay(true);
        s.startHandshake();
        return s;
    }

    private static void assertStillServing() throws Exception {
        for (HttpClient.Version version : HttpClient.Version.values()) {
            HttpResponse<String> r = running.validate(running.client(version), allowed);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(r.body()).path("response").path("uid").asText()).isEqualTo(ALLOWED_UID);
        }
    }

    private static final HttpClient HEALTH = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static int health(String path) throws IOException, InterruptedException {
        return HEALTH.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + running.server.healthPort() + path)).timeout(PROMPT)
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static long openFilesLimit() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? 1_000_000 : Long.parseLong(soft);
            }
        }
        throw new IllegalStateException("no open-files limit in /proc/self/limits");
    }

    private static long openFiles() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    /**
     * Ordinary reviews, alternating HTTP/2 and HTTP/1.1, and a {@code /healthz} probe every few requests, one after
     * another until closed. Anything but a prompt, correct answer is recorded as a failure.
     */
    static final class NormalTraffic {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicInteger succeeded = new AtomicInteger();
        private final List<String> failures = new CopyOnWriteArrayList<>();
        private final Thread thread;

        private NormalTraffic() {
            thread = new Thread(this::run, "normal-traffic");
            thread.setDaemon(true);
        }

        static NormalTraffic start() {
            NormalTraffic t = new NormalTraffic();
            t.thread.start();
            return t;
        }

        private void run() {
            HttpClient[] clients = {running.client(HttpClient.Version.HTTP_2), running.client(HttpClient.Version.HTTP_1_1)};
            for (int i = 0; !stop.get(); i++) {
                long start = System.nanoTime();
                String what = i % 5 == 4 ? "/healthz" : "review over " + clients[i % 2].version();
                try {
                    boolean ok;
                    if (i % 5 == 4) {
                        int code = health("/healthz");
                        ok = code == 200;
                        if (!ok) {
                            failures.add("/healthz answered " + code);
                        }
                    } else {
                        HttpResponse<String> r = clients[i % 2].send(HttpRequest.newBuilder(running.uri("/validate")).timeout(PROMPT)
                                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(allowed)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        JsonNode response = r.statusCode() == 200 ? JSON.readTree(r.body()).path("response") : null;
                        ok = response != null && ALLOWED_UID.equals(response.path("uid").asText()) && response.path("allowed").asBoolean();
                        if (!ok) {
                            failures.add(what + " answered " + r.statusCode() + ": " + r.body());
                        }
                    }
                    if (ok) {
                        succeeded.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    failures.add(what + " failed after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: " + e);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // pace: a steady trickle, not a load test
            }
        }

        int succeeded() {
            return succeeded.get();
        }

        void assertAllServed() {
            assertThat(failures).as("normal requests that were not answered promptly and correctly during the attack").isEmpty();
            assertThat(succeeded.get()).as("normal requests answered during the attack").isPositive();
        }

        void close() throws InterruptedException {
            stop.set(true);
            thread.join(PROMPT.toMillis() + 5_000);
            assertThat(thread.isAlive()).as("normal traffic thread still stuck in a request").isFalse();
        }
    }

    /** A socket whose every received byte is kept, and whose close by the server is noticed, by a reader thread. */
    static final class Watched implements AutoCloseable {
        private final Socket socket;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private final AtomicBoolean closed = new AtomicBoolean();

        private Watched(Socket socket) {
            this.socket = socket;
        }

        static Watched of(Socket socket) {
            Watched w = new Watched(socket);
            Thread t = new Thread(w::read, "watch-" + socket.getLocalPort());
            t.setDaemon(true);
            t.start();
            return w;
        }

        private void read() {
            byte[] buf = new byte[8192];
            try {
                InputStream in = socket.getInputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (received) {
                        received.write(buf, 0, n);
                    }
                }
            } catch (IOException closedOrReset) {
                // a reset or a TLS alert is a close too
            } finally {
                closed.set(true);
                synchronized (this) {
                    notifyAll();
                }
            }
        }

        boolean closed() {
            return closed.get();
        }

        /** Waits until the server closes, or the time passes: the pace of a slow client. */
        synchronized void awaitClosedOrElapsed(Duration d) throws InterruptedException {
            long end = System.nanoTime() + d.toNanos();
            long left;
            while (!closed.get() && (left = end - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        String received() {
            synchronized (received) {
                return received.toString(StandardCharsets.ISO_8859_1);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * Just enough HTTP/2 to misbehave: frames written by hand over TLS with ALPN h2, header blocks written as HPACK
     * literals without Huffman coding and read with Netty's decoder, flow control for uploads, and a reader that
     * answers SETTINGS and PING, notes GOAWAY and close, and records each stream's response status and resets.
     */
    static final class H2 implements AutoCloseable {
        private static final int DATA = 0;
        private static final int HEADERS = 1;
        private static final int RST_STREAM = 3;
        private static final int SETTINGS = 4;
        private static final int PING = 6;
        private static final int GOAWAY = 7;
        private static final int WINDOW_UPDATE = 8;
        private static final int MAX_FRAME = 16_384;

        private final SSLSocket socket;
        private final OutputStream out;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final AtomicBoolean goAway = new AtomicBoolean();
        /** The error code and debug text of the server's GOAWAY, for the log. */
        private volatile String goAwayReason = "";
        private final ConcurrentHashMap<Integer, Integer> statuses = new ConcurrentHashMap<>();
        private final java.util.Set<Integer> resets = ConcurrentHashMap.newKeySet();
        /** Flow-control windows, guarded by {@code this}: the connection's, and the initial one of new streams. */
        private long connectionWindow = 65_535;
        private long initialStreamWindow = 65_535;
        private final java.util.Map<Integer, Long> streamWindows = new java.util.HashMap<>();
        /** Used by the reader thread only. */
        private final io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder hpack =
                new io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder(false);

        private H2(SSLSocket socket) throws IOException {
            this.socket = socket;
            this.out = new java.io.BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        }

        static H2 connect() throws IOException {
            SSLSocket s = tlsSocket("h2");
            assertThat(s.getApplicationProtocol()).isEqualTo("h2");
            H2 h2 = new H2(s);
            synchronized (h2.out) {
                h2.out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                h2.frame(SETTINGS, 0, 0, new byte[0]);
                h2.out.flush();
            }
            Thread reader = new Thread(h2::read, "h2-reader");
            reader.setDaemon(true);
            reader.start();
            return h2;
        }

        /** HEADERS for a POST of JSON to /validate; {@code contentLength} < 0 for none. */
        void headers(int stream, boolean endStream, long contentLength) throws IOException {
            ByteArrayOutputStream block = new ByteArrayOutputStream(96);
            block.write(0x83); // :method: POST
            block.write(0x87); // :scheme: https
            literal(block, 4, "/validate"); // :path
            literal(block, 1, "localhost"); // :authority
            literal(block, 31, "application/json"); // content-type
            if (contentLength >= 0) {
                literal(block, 28, Long.toString(contentLength)); // content-length
            }
            synchronized (out) {
                frame(HEADERS, endStream ? 0x5 : 0x4, stream, block.toByteArray());
                out.flush();
            }
        }

        /** One DATA frame, ignoring flow control: for bodies well inside the initial window. */
        void data(int stream, byte[] body, boolean endStream) throws IOException {
            synchronized (out) {
                frame(DATA, endStream ? 0x1 : 0, stream, body);
                out.flush();
            }
        }

        /**
         * Sends up to {@code total} bytes of spaces as fast as flow control allows, until the stream is reset, the
         * connection ends, or the time is up; returns how many bytes were sent.
         */
        long upload(int stream, long total, Duration max) throws InterruptedException {
            byte[] chunk = new byte[MAX_FRAME];
            java.util.Arrays.fill(chunk, (byte) ' ');
            long deadline = System.nanoTime() + max.toNanos();
            long sent = 0;
            while (sent < total && !reset(stream) && !closed() && !goAway() && System.nanoTime() < deadline) {
                int n;
                synchronized (this) {
                    long window = Math.min(connectionWindow, streamWindows.getOrDefault(stream, initialStreamWindow));
                    n = (int) Math.min(Math.min(window, chunk.length), total - sent);
                    if (n <= 0) {
                        wait(100);
                        continue;
                    }
                    connectionWindow -= n;
                    streamWindows.put(stream, streamWindows.getOrDefault(stream, initialStreamWindow) - n);
                }
                try {
                    synchronized (out) {
                        frame(DATA, sent + n == total ? 0x1 : 0, stream, chunk, n);
                        out.flush();
                    }
                } catch (IOException closedByServer) {
                    break;
                }
                sent += n;
            }
            return sent;
        }

        void rst(int stream) throws IOException {
            synchronized (out) {
                frame(RST_STREAM, 0, stream, new byte[] {0, 0, 0, 8}); // CANCEL
                out.flush();
            }
        }

        boolean closed() {
            return closed.get();
        }

        boolean goAway() {
            return goAway.get();
        }

        /** The :status answered on a stream, -1 if it could not be read, 0 if none came. */
        int status(int stream) {
            return statuses.getOrDefault(stream, 0);
        }

        boolean reset(int stream) {
            return resets.contains(stream);
        }

        /** Streams that got a response or a reset. */
        int answered() {
            java.util.Set<Integer> all = new java.util.HashSet<>(statuses.keySet());
            all.addAll(resets);
            return all.size();
        }

        /** A literal header field without indexing, its name from the static table, its value short and plain. */
        private static void literal(ByteArrayOutputStream block, int nameIndex, String value) {
            if (nameIndex < 15) {
                block.write(nameIndex);
            } else {
                block.write(0x0f);
                block.write(nameIndex - 15);
            }
            byte[] v = value.getBytes(StandardCharsets.US_ASCII);
            block.write(v.length);
            block.write(v, 0, v.length);
        }

        private void frame(int type, int flags, int stream, byte[] payload) throws IOException {
            frame(type, flags, stream, payload, payload.length);
        }

        private void frame(int type, int flags, int stream, byte[] payload, int length) throws IOException {
            out.write(length >>> 16);
            out.write(length >>> 8);
            out.write(length);
            out.write(type);
            out.write(flags);
            out.write(stream >>> 24);
            out.write(stream >>> 16);
            out.write(stream >>> 8);
            out.write(stream);
            out.write(payload, 0, length);
        }

        private void read() {
            try {
                DataInputStream in = new DataInputStream(socket.getInputStream());
                while (true) {
                    int length = (in.readUnsignedByte() << 16) | in.readUnsignedShort();
                    int type = in.readUnsignedByte();
                    int flags = in.readUnsignedByte();
                    int stream = in.readInt() & 0x7fffffff;
                    byte[] payload = new byte[length];
                    in.readFully(payload);
                    if (type == SETTINGS && (flags & 0x1) == 0) {
                        settings(payload);
                        synchronized (out) {
                            frame(SETTINGS, 0x1, 0, new byte[0]);
                            out.flush();
                        }
                    } else if (type == PING && (flags & 0x1) == 0) {
                        synchronized (out) {
                            frame(PING, 0x1, 0, payload);
                            out.flush();
                        }
                    } else if (type == WINDOW_UPDATE && length == 4) {
                        long increment = java.nio.ByteBuffer.wrap(payload).getInt() & 0x7fffffffL;
                        synchronized (this) {
                            if (stream == 0) {
                                connectionWindow += increment;
                            } else {
                                streamWindows.put(stream, streamWindows.getOrDefault(stream, initialStreamWindow) + increment);
                            }
                            notifyAll();
                        }
                    } else if (type == GOAWAY) {
                        if (length >= 8) {
                            goAwayReason = "error " + java.nio.ByteBuffer.wrap(payload, 4, 4).getInt() + " "
                                    + new String(payload, 8, length - 8, StandardCharsets.UTF_8);
                        }
                        goAway.set(true);
                    } else if (type == HEADERS) {
                        statuses.putIfAbsent(stream, status(payload, flags));
                    } else if (type == RST_STREAM) {
                        resets.add(stream);
                    }
                }
            } catch (IOException closedByServer) {
                // EOF, a reset socket or a TLS alert: the end of the connection
            } finally {
                closed.set(true);
                synchronized (this) {
                    notifyAll();
                }
            }
        }

        private synchronized void settings(byte[] payload) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(payload);
            while (b.remaining() >= 6) {
                int id = b.getShort() & 0xffff;
                long value = b.getInt() & 0xffffffffL;
                if (id == 0x4) { // SETTINGS_INITIAL_WINDOW_SIZE
                    long delta = value - initialStreamWindow;
                    initialStreamWindow = value;
                    streamWindows.replaceAll((k, v) -> v + delta);
                }
            }
        }

        /** The :status of a response header block, through the connection's one HPACK decoder (it keeps a dynamic table). */
        private int status(byte[] payload, int flags) {
            int from = 0;
            int to = payload.length;
            if ((flags & 0x8) != 0) {
                to -= payload[0] & 0xff; // padding
                from++;
            }
            if ((flags & 0x20) != 0) {
                from += 5; // priority
            }
            io.netty.buffer.ByteBuf block = io.netty.buffer.Unpooled.wrappedBuffer(payload, from, to - from);
            try {
                CharSequence status = hpack.decodeHeaders(0, block).status();
                return status == null ? -1 : Integer.parseInt(status.toString());
            } catch (io.netty.handler.codec.http2.Http2Exception | NumberFormatException e) {
                return -1;
            } finally {
                block.release();
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
