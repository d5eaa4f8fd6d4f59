package org.imagepolicy.webhook.server;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * Reads a request body within limits: at most 4 MiB (413), complete within 10 s (408). A refused
 * request is abandoned the way its protocol allows: an HTTP/2 stream is reset, an HTTP/1 connection
 * closed, after lingering to drop what the client still sends so it can read the answer.
 */
final class BodyReader {
    static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    /** A client that trickles its body (slowloris) is cut off; the API server sends a whole review at once. */
    static final long BODY_MILLIS = 10_000;
    /** How much of a refused body is read and dropped before the connection is closed anyway. */
    private static final long LINGER_BYTES = 16L * 1024 * 1024;
    private static final long LINGER_MILLIS = 5_000;
    private static final int INITIAL_CAPACITY = 64 * 1024;

    /** Answers an HTTP error in the Status format; supplied by the handler so metrics see every refusal. */
    interface Refusal {
        /** @return completes when the answer has been written */
        io.vertx.core.Future<Void> refuse(HttpServerRequest req, int code, String reason, String message);
    }

    private final Vertx vertx;
    private final Refusal refusal;

    BodyReader(Vertx vertx, Refusal refusal) {
        this.vertx = vertx;
        this.refusal = refusal;
    }

    /** Calls {@code complete} with the whole body, or refuses the request; never both. */
    void read(HttpServerRequest req, Handler<Buffer> complete) {
        String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && tooLong(length)) {
            refuseTooLarge(req);
            return;
        }
        // The reset or close waits for the answer to be written; an HTTP/2 reset would otherwise overtake it.
        long slow = vertx.setTimer(BODY_MILLIS, id -> refusal.refuse(req, 408, "RequestTimeout",
                "the body did not arrive within " + BODY_MILLIS / 1000 + " seconds").onComplete(done -> abandon(req)));
        Body body = new Body();
        req.handler(chunk -> {
            if (body.length() + chunk.length() > MAX_BODY_BYTES) {
                vertx.cancelTimer(slow);
                refuseTooLarge(req);
                return;
            }
            body.append(chunk);
        });
        req.endHandler(v -> {
            if (vertx.cancelTimer(slow)) {
                complete.handle(body.whole());
            }
        });
    }

    /**
     * The chunks of one body. Most reviews arrive as one chunk, which Vert.x hands over as a buffer of its
     * own: that one is kept as it is; only a second chunk starts a copy, sized by what has arrived (a
     * Content-Length alone must not reserve memory).
     */
    private static final class Body {
        private Buffer first;
        private Buffer joined;

        void append(Buffer chunk) {
            if (joined != null) {
                joined.appendBuffer(chunk);
            } else if (first == null) {
                first = chunk;
            } else {
                joined = Buffer.buffer(Math.min(2 * (first.length() + chunk.length()), INITIAL_CAPACITY)).appendBuffer(first).appendBuffer(chunk);
                first = null;
            }
        }

        int length() {
            return joined != null ? joined.length() : first != null ? first.length() : 0;
        }

        Buffer whole() {
            return joined != null ? joined : first != null ? first : Buffer.buffer();
        }
    }

    /**
     * Answers 413 and then keeps reading and discarding what the client still sends, for a while, before
     * closing: closing at once would reset the socket under a client that is still uploading, and it would
     * never see the answer (the "lingering close" of other servers).
     */
    private void refuseTooLarge(HttpServerRequest req) {
        io.vertx.core.Future<Void> answered = refusal.refuse(req, 413, "RequestEntityTooLarge",
                "the body is larger than " + MAX_BODY_BYTES + " bytes");
        long[] discarded = {0};
        long timer = vertx.setTimer(LINGER_MILLIS, id -> answered.onComplete(done -> abandon(req)));
        req.handler(chunk -> {
            discarded[0] += chunk.length();
            if (discarded[0] > LINGER_BYTES) {
                answered.onComplete(done -> abandon(req));
            }
        });
        req.endHandler(v -> {
            vertx.cancelTimer(timer);
            answered.onComplete(done -> abandon(req));
        });
    }

    private static void abandon(HttpServerRequest req) {
        if (req.version() != HttpVersion.HTTP_2) {
            req.connection().close();
        } else if (!req.isEnded()) {
            req.response().reset();
        }
    }

    private static boolean tooLong(String length) {
        try {
            long n = Long.parseLong(length.trim());
            return n < 0 || n > MAX_BODY_BYTES;
        } catch (NumberFormatException e) {
            return true;
        }
    }
}
