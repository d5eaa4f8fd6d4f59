package org.imagepolicy.webhook.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.imagepolicy.webhook.admission.AdmissionInput;
import org.imagepolicy.webhook.admission.AdmissionReviewCodec;
import org.imagepolicy.webhook.admission.BadReviewException;
import org.imagepolicy.webhook.admission.Decision;
import org.imagepolicy.webhook.admission.ImageFacts;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.admission.PreparedRequest;
import org.imagepolicy.webhook.image.ImageLookup;
import org.imagepolicy.webhook.image.Resolution;
import org.imagepolicy.webhook.metrics.Metrics;
import org.imagepolicy.webhook.policy.Resources;
import org.imagepolicy.webhook.registry.ImageResolver;
import org.imagepolicy.webhook.registry.credentials.PullCredentials;

/**
 * The HTTP choke point: checks method, path, media type and size, gathers the body, and hands the
 * decoded request to the engine. Everything here runs on the event loop and does no blocking work.
 */
final class AdmissionHandler implements Handler<HttpServerRequest> {
    static final int MAX_BODY_BYTES = BodyReader.MAX_BODY_BYTES;
    private static final Logger LOG = Logger.getLogger(AdmissionHandler.class.getName());
    private static final String JSON = "application/json";

    private final Supplier<ImagePolicyEngine> engine;
    private final ImageResolver resolver;
    private final long decisionTimeoutNanos;
    private final Metrics metrics;
    private final DecisionLog decisionLog;
    private final InFlight inFlight;
    private final ConnectionGuard guard;
    private final BodyReader bodies;
    private final Drain drain;
    private final RequestContext context;

    AdmissionHandler(Vertx vertx, Supplier<ImagePolicyEngine> engine, ImageResolver resolver, java.time.Duration decisionTimeout,
            Metrics metrics, DecisionLog decisionLog, InFlight inFlight, ConnectionGuard guard, Drain drain) {
        this(vertx, engine, resolver, decisionTimeout, metrics, decisionLog, inFlight, guard, drain, RequestContext.NONE);
    }

    AdmissionHandler(Vertx vertx, Supplier<ImagePolicyEngine> engine, ImageResolver resolver, java.time.Duration decisionTimeout,
            Metrics metrics, DecisionLog decisionLog, InFlight inFlight, ConnectionGuard guard, Drain drain, RequestContext context) {
        this.drain = drain;
        this.context = context;
        this.bodies = new BodyReader(vertx, this::refuse);
        this.engine = engine;
        this.guard = guard;
        this.resolver = resolver;
        this.decisionTimeoutNanos = decisionTimeout.toNanos();
        this.inFlight = inFlight;
        this.metrics = metrics;
        this.decisionLog = decisionLog;
    }

    @Override
    public void handle(HttpServerRequest req) {
        inFlight.track(req, guard);
        boolean mutating = "/mutate".equals(req.path());
        if (!mutating && !"/validate".equals(req.path())) {
            refuse(req, 404, "NotFound", "no such endpoint; POST AdmissionReviews to /validate (or /mutate to pin digests)");
            return;
        }
        if (req.method() != HttpMethod.POST) {
            req.response().putHeader(HttpHeaders.ALLOW, "POST");
            refuse(req, 405, "MethodNotAllowed", req.method() + " is not allowed on " + req.path() + "; POST an AdmissionReview");
            return;
        }
        String type = req.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith(JSON)) {
            refuse(req, 415, "UnsupportedMediaType", "Content-Type must be application/json, was "
                    + (type == null ? "missing" : "\"" + type + "\""));
            return;
        }
        bodies.read(req, body -> answer(req, body, mutating));
        req.exceptionHandler(e -> LOG.fine(() -> "request stream failed: " + e));
    }

    private void answer(HttpServerRequest req, Buffer body, boolean mutating) {
        long start = System.nanoTime();
        AdmissionInput in;
        try {
            in = decode(body);
        } catch (BadReviewException e) {
            refuse(req, 400, "BadRequest", e.getMessage());
            return;
        }
        ImagePolicyEngine current = engine.get(); // one engine for both halves, even if a reload lands in between
        PreparedRequest prepared;
        try {
            prepared = current.prepare(in, context.excludedRules(in), mutating);
        } catch (RuntimeException e) {
            failed(req, in, e);
            return;
        }
        List<ImageLookup> lookups = prepared.lookups();
        if (lookups.isEmpty()) {
            respond(req, current, prepared, ImageFacts.OFFLINE, mutating, start);
            return;
        }
        // Registries answer on other threads; the decision and the answer go back to this request's event loop.
        Context loop = Vertx.currentContext();
        PullCredentials credentials;
        try {
            credentials = context.credentials(in);
        } catch (RuntimeException e) {
            failed(req, in, e);
            return;
        }
        Future<Map<ImageLookup, Resolution>> facts = credentials == null ? resolver.resolve(lookups, start + decisionTimeoutNanos)
                : resolver.resolve(lookups, credentials, start + decisionTimeoutNanos);
        facts.onComplete(done -> loop.runOnContext(v -> {
            Resolution missing = new Resolution.Failed(done.succeeded() ? "no lookup was made for this image"
                    : "the lookup failed: " + done.cause().getMessage());
            respond(req, current, prepared, prepared.facts(done.succeeded() ? done.result() : Map.of(), missing), mutating, start);
        }));
    }

    /** Parses the body where it lies when it is one heap array, as Vert.x hands over request bodies. */
    private static AdmissionInput decode(Buffer body) throws BadReviewException {
        ByteBuf bytes = ((BufferInternal) body).getByteBuf();
        if (bytes.hasArray()) {
            return AdmissionReviewCodec.decode(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes());
        }
        return AdmissionReviewCodec.decode(body.getBytes());
    }

    private void respond(HttpServerRequest req, ImagePolicyEngine current, PreparedRequest prepared, ImageFacts facts, boolean mutating,
            long start) {
        AdmissionInput in = prepared.input();
        byte[] answer;
        Decision decision;
        try {
            if (mutating) {
                ImagePolicyEngine.Mutation m = current.mutate(prepared, facts);
                decision = m.decision();
                answer = AdmissionReviewCodec.encode(in.apiVersion(), in.uid(), decision, m.patch());
            } else {
                decision = current.decide(prepared, facts);
                answer = AdmissionReviewCodec.encode(in.apiVersion(), in.uid(), decision);
            }
        } catch (RuntimeException e) {
            failed(req, in, e);
            return;
        }
        req.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON);
        end(req, BufferInternal.buffer(Unpooled.wrappedBuffer(answer))); // the answer's own array, not a copy
        String resource = Resources.carriesImages(in.resource()) ? in.resource().toString() : "other";
        long nanos = System.nanoTime() - start;
        metrics.decision(resource, decision.outcome(), nanos);
        decisionLog.record(in, decision, nanos);
    }

    /** A bug must cost one request, not the server; the log keeps the detail, the client a short reason. */
    private void failed(HttpServerRequest req, AdmissionInput in, RuntimeException e) {
        LOG.log(Level.SEVERE, "failed to decide request " + in.uid(), e);
        refuse(req, 500, "InternalError", "the webhook failed to decide this request; see its log for uid " + in.uid());
    }

    private Future<Void> refuse(HttpServerRequest req, int code, String reason, String message) {
        metrics.httpError(code);
        HttpServerResponse resp = req.response();
        if (resp.ended()) {
            return Future.succeededFuture();
        }
        resp.setStatusCode(code).putHeader(HttpHeaders.CONTENT_TYPE, JSON);
        if ((code == 413 || code == 408) && req.version() != HttpVersion.HTTP_2) {
            resp.putHeader(HttpHeaders.CONNECTION, "close"); // the rest of the body is dropped, not parsed
        }
        return end(req, Buffer.buffer(AdmissionReviewCodec.httpError(code, reason, message)));
    }

    private Future<Void> end(HttpServerRequest req, Buffer body) {
        drain.beforeAnswer(req);
        Future<Void> ended = req.response().end(body);
        drain.afterAnswer(req, ended, guard);
        return ended;
    }
}
