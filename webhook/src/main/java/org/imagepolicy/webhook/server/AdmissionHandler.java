package org.imagepolicy.webhook.server;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.imagepolicy.webhook.admission.AdmissionInput;
import org.imagepolicy.webhook.admission.AdmissionReviewCodec;
import org.imagepolicy.webhook.admission.BadReviewException;
import org.imagepolicy.webhook.admission.Decision;
import org.imagepolicy.webhook.admission.ImageFacts;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.metrics.Metrics;
import org.imagepolicy.webhook.policy.Resources;

/**
 * The HTTP choke point: checks method, path, media type and size, gathers the body, and hands the
 * decoded request to the engine. Everything here runs on the event loop and does no blocking work.
 */
final class AdmissionHandler implements Handler<HttpServerRequest> {
    static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    private static final Logger LOG = Logger.getLogger(AdmissionHandler.class.getName());
    private static final String JSON = "application/json";

    private final Supplier<ImagePolicyEngine> engine;
    private final ImageFacts facts;
    private final Metrics metrics;
    private final DecisionLog decisionLog;

    AdmissionHandler(Supplier<ImagePolicyEngine> engine, ImageFacts facts, Metrics metrics, DecisionLog decisionLog) {
        this.engine = engine;
        this.facts = facts;
        this.metrics = metrics;
        this.decisionLog = decisionLog;
    }

    @Override
    public void handle(HttpServerRequest req) {
        if (!"/validate".equals(req.path())) {
            refuse(req, 404, "NotFound", "no such endpoint; POST AdmissionReviews to /validate");
            return;
        }
        if (req.method() != HttpMethod.POST) {
            req.response().putHeader(HttpHeaders.ALLOW, "POST");
            refuse(req, 405, "MethodNotAllowed", req.method() + " is not allowed on /validate; POST an AdmissionReview");
            return;
        }
        String type = req.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith(JSON)) {
            refuse(req, 415, "UnsupportedMediaType", "Content-Type must be application/json, was "
                    + (type == null ? "missing" : "\"" + type + "\""));
            return;
        }
        String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && tooLong(length)) {
            refuse(req, 413, "RequestEntityTooLarge", "the body is larger than " + MAX_BODY_BYTES + " bytes");
            return;
        }
        Buffer body = Buffer.buffer(length == null ? 8192 : Math.min(Integer.parseInt(length.trim()), MAX_BODY_BYTES));
        boolean[] refused = {false};
        req.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + chunk.length() > MAX_BODY_BYTES) {
                refused[0] = true;
                refuse(req, 413, "RequestEntityTooLarge", "the body is larger than " + MAX_BODY_BYTES + " bytes");
                return;
            }
            body.appendBuffer(chunk);
        });
        req.endHandler(v -> {
            if (!refused[0]) {
                answer(req, body);
            }
        });
        req.exceptionHandler(e -> LOG.fine(() -> "request stream failed: " + e));
    }

    private void answer(HttpServerRequest req, Buffer body) {
        long start = System.nanoTime();
        AdmissionInput in;
        try {
            in = AdmissionReviewCodec.decode(body.getBytes());
        } catch (BadReviewException e) {
            refuse(req, 400, "BadRequest", e.getMessage());
            return;
        }
        byte[] answer;
        Decision decision;
        try {
            decision = engine.get().decide(in, facts);
            answer = AdmissionReviewCodec.encode(in.apiVersion(), in.uid(), decision);
        } catch (RuntimeException e) {
            // A bug must cost one request, not the server; the log keeps the detail, the client a short reason.
            LOG.log(Level.SEVERE, "failed to decide request " + in.uid(), e);
            refuse(req, 500, "InternalError", "the webhook failed to decide this request; see its log for uid " + in.uid());
            return;
        }
        req.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(Buffer.buffer(answer));
        String resource = Resources.carriesImages(in.resource()) ? in.resource().toString() : "other";
        metrics.decision(resource, decision.outcome(), System.nanoTime() - start);
        decisionLog.record(in, decision);
    }

    private void refuse(HttpServerRequest req, int code, String reason, String message) {
        metrics.httpError(code);
        HttpServerResponse resp = req.response();
        if (resp.ended()) {
            return;
        }
        resp.setStatusCode(code).putHeader(HttpHeaders.CONTENT_TYPE, JSON);
        // After refusing a body we have not read, an HTTP/1 connection cannot be reused safely.
        boolean close = code == 413 && req.version() != HttpVersion.HTTP_2;
        if (close) {
            resp.putHeader(HttpHeaders.CONNECTION, "close");
        }
        resp.end(Buffer.buffer(AdmissionReviewCodec.httpError(code, reason, message))).onComplete(v -> {
            if (close) {
                req.connection().close();
            }
        });
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
