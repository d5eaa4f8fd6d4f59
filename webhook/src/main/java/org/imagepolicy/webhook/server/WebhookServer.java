package org.imagepolicy.webhook.server;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.imagepolicy.webhook.metrics.Metrics;
import org.imagepolicy.webhook.policy.PolicyException;
import org.imagepolicy.webhook.registry.ImageResolver;
import org.imagepolicy.webhook.registry.RegistryResolver;

/**
 * Starts and stops the webhook: the HTTPS admission servers (one per event loop, sharing the port),
 * the plain health port, and the pollers that reload the policy and the certificate off the event loop.
 */
public final class WebhookServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WebhookServer.class.getName());
    private static final long EXPIRY_CHECK_MILLIS = 3_600_000;

    private final ServerSettings settings;
    private final Metrics metrics = new Metrics();
    private final PolicyState policy;
    private final List<HttpServer> admissionServers = new CopyOnWriteArrayList<>();
    private final InFlight inFlight = new InFlight();
    private final Drain drain;
    private final CertificateExpiryWarning expiryWarning;
    private DecisionLog decisionLog;
    private final RequestContext context;
    private final ResolverLayer layer;
    private Vertx vertx;
    private HttpServer healthServer;
    private TlsState tls;
    private volatile boolean ready;
    private volatile boolean stopping;

    public WebhookServer(ServerSettings settings) {
        this(settings, RequestContext.NONE, ResolverLayer.NONE, java.time.Clock.systemUTC());
    }

    /** @param context namespaces and pull credentials from the cluster; readiness also waits for it */
    public WebhookServer(ServerSettings settings, RequestContext context) {
        this(settings, context, ResolverLayer.NONE, java.time.Clock.systemUTC());
    }

    /** @param layer image facts from the cluster (the OpenShift image API) in front of the registries */
    public WebhookServer(ServerSettings settings, RequestContext context, ResolverLayer layer) {
        this(settings, context, layer, java.time.Clock.systemUTC());
    }

    /** @param clock when the certificate's expiry is judged (a test moves it instead of waiting days) */
    WebhookServer(ServerSettings settings, java.time.Clock clock) {
        this(settings, RequestContext.NONE, ResolverLayer.NONE, clock);
    }

    private WebhookServer(ServerSettings settings, RequestContext context, ResolverLayer layer, java.time.Clock clock) {
        this.settings = settings;
        this.context = context;
        this.layer = layer;
        this.expiryWarning = new CertificateExpiryWarning(clock);
        this.policy = new PolicyState(settings, metrics, layer::integratedRegistries);
        this.drain = new Drain(settings.shutdownGrace().toMillis());
        metrics.inFlight(inFlight::count);
    }

    /** Loads policy and certificate, then listens. A policy error is thrown before anything listens. */
    public void start() throws PolicyException, IOException, InterruptedException {
        // Vert.x and BoringSSL take a few hundred milliseconds to load and need neither the policy nor the
        // certificate, so they load on another core meanwhile.
        CompletableFuture<Vertx> booting = CompletableFuture.supplyAsync(() -> {
            io.vertx.core.net.OpenSSLEngineOptions.isAvailable();
            return Vertx.vertx();
        });
        try {
            policy.load();
            tls = TlsState.open(settings, metrics);
        } catch (PolicyException | IOException | RuntimeException e) {
            booting.thenAccept(Vertx::close);
            throw e;
        }
        try {
            vertx = booting.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        ImageResolver registries = ImageResolver.OFFLINE;
        if (!settings.offline()) {
            RegistryResolver online = RegistryResolver.create(vertx, settings.registry(), metrics.registries(), settings.decisionTimeout(),
                    settings.cacheBudget());
            // The policy's insecure registries follow its reloads; the command line's stay.
            policy.onInstall(p -> online.policyInsecureRegistries(p.insecureRegistries()));
            registries = online;
        }
        ImageResolver resolver = layer.resolver(vertx, registries, metrics.registries());
        decisionLog = new DecisionLog(metrics);
        List<Future<?>> listening = new ArrayList<>();
        // Servers created from one thread share that thread's context, hence one event loop, however many
        // there are; a verticle instance each is what gives each server an event loop of its own.
        listening.add(vertx.deployVerticle(() -> admissionVerticle(resolver, decisionLog),
                new DeploymentOptions().setInstances(settings.instances())));
        healthServer = vertx.createHttpServer(new HttpServerOptions().setHost(settings.host()).setPort(settings.healthPort()))
                .requestHandler(new HealthHandler(this::ready, metrics));
        listening.add(healthServer.listen());
        await(Future.all(listening), "listen on ports " + settings.port() + " and " + settings.healthPort());
        long every = settings.reloadInterval().toMillis();
        vertx.setPeriodic(every, id -> reloadPolicy());
        vertx.setPeriodic(every, id -> reloadCertificate());
        checkCertificateExpiry();
        vertx.setPeriodic(EXPIRY_CHECK_MILLIS, id -> checkCertificateExpiry());
        warmUp();
        ready = true;
        LOG.info(() -> "serving admissions on https://" + settings.host() + ":" + port() + "/validate, health on http://"
                + settings.host() + ":" + healthPort() + " (/healthz, /readyz, /metrics)"
                + "; TLS by " + (io.vertx.core.net.OpenSSLEngineOptions.isAvailable() ? "BoringSSL" : "the JDK")
                + (settings.offline() ? "; offline: registry lookups fail with \"offline\""
                        : "; registry cache bounded at " + settings.cacheBudget().describe()));
    }

    /** See {@link WarmUp}. A warm-up that fails costs its log line, never the start. */
    private void warmUp() throws InterruptedException {
        if (settings.warmUp().isZero()) {
            return;
        }
        long started = System.nanoTime();
        ConnectionGuard guard = new ConnectionGuard(vertx, ConnectionGuard.QUIET_MILLIS);
        AdmissionHandler handler = new AdmissionHandler(vertx, policy::engine, WarmUp.RESOLVER, settings.decisionTimeout(), new Metrics(),
                DecisionLog.discarding(), new InFlight(), guard, new Drain(0), RequestContext.NONE);
        try {
            long answered = await(WarmUp.load(vertx).run(admissionOptions(), guard, handler, settings.warmUp()), "warm up");
            LOG.info(() -> "warmed up with " + answered + " admissions to ourselves in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        } catch (IOException | RuntimeException e) {
            LOG.warning(() -> "the warm-up failed, starting cold: " + e.getMessage());
        }
    }

    /** The log line runs on an event loop once an hour at most, and only near expiry. */
    private void checkCertificateExpiry() {
        expiryWarning.check(tls.notAfter(), tls.certificateFile().toString());
    }

    /** One admission server on the event loop of the verticle instance that starts it; Vert.x spreads connections across them. */
    private VerticleBase admissionVerticle(ImageResolver resolver, DecisionLog decisionLog) {
        return new VerticleBase() {
            @Override
            public Future<?> start() {
                ConnectionGuard guard = new ConnectionGuard(vertx, ConnectionGuard.QUIET_MILLIS);
                HttpServer server = vertx.createHttpServer(admissionOptions())
                        .connectionHandler(guard)
                        .requestHandler(new AdmissionHandler(vertx, policy::engine, resolver, settings.decisionTimeout(), metrics, decisionLog,
                                inFlight, guard, drain, WebhookServer.this.context));
                admissionServers.add(server);
                return server.listen();
            }
        };
    }

    private HttpServerOptions admissionOptions() {
        HttpServerOptions options = new HttpServerOptions();
        if (io.vertx.core.net.OpenSSLEngineOptions.isAvailable()) {
            options.setSslEngineOptions(new io.vertx.core.net.OpenSSLEngineOptions());
        }
        return options
                .setHost(settings.host())
                .setPort(settings.port())
                .setSsl(true)
                .setUseAlpn(true)
                .setKeyCertOptions(tls.options())
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
                .setSslHandshakeTimeout(10)
                .setSslHandshakeTimeoutUnit(TimeUnit.SECONDS)
                .setIdleTimeout(120)
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setTcpNoDelay(true);
    }

    // Ordered: a slow reload never overlaps the next one, so the newest files are the ones that end up live.
    private void reloadPolicy() {
        vertx.executeBlocking(policy::reloadIfChanged, true);
    }

    private void reloadCertificate() {
        vertx.executeBlocking(tls::reloadIfChanged, true).onSuccess(options -> {
            if (options != null) {
                updateCertificate(options);
            }
        });
    }

    private void updateCertificate(KeyCertOptions options) {
        ServerSSLOptions ssl = new ServerSSLOptions().setKeyCertOptions(options)
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
                .setUseAlpn(true);
        for (HttpServer server : admissionServers) {
            server.updateSSLOptions(ssl).onFailure(e -> LOG.warning(() -> "could not apply the new certificate: " + e));
        }
    }

    public int port() {
        return admissionServers.isEmpty() ? settings.port() : admissionServers.get(0).actualPort();
    }

    public int healthPort() {
        return healthServer == null ? settings.healthPort() : healthServer.actualPort();
    }

    /** Requests received and not yet answered. */
    public int inFlightRequests() {
        return inFlight.count();
    }

    public boolean ready() {
        return ready && !stopping && context.ready();
    }

    public Metrics metrics() {
        return metrics;
    }

    /**
     * Graceful stop, in three steps. Readiness turns off at once, so the endpoint is removed. For the shutdown
     * delay the server still accepts and answers everything, each answer telling its client to reconnect
     * (see {@link Drain}), because clients keep sending here until the endpoint removal reaches them. Then
     * requests in flight are answered, up to the grace period, and everything closes.
     */
    @Override
    public void close() {
        if (vertx == null || stopping) {
            return;
        }
        stopping = true;
        drain.start();
        long delay = settings.shutdownDelay().toNanos();
        if (delay > 0) {
            LOG.info(() -> "draining: not ready; still answering for " + settings.shutdownDelay().toMillis()
                    + " ms, each answer asking its client to reconnect elsewhere");
            long until = System.nanoTime() + delay;
            for (long left = delay; left > 0; left = until - System.nanoTime()) {
                java.util.concurrent.locks.LockSupport.parkNanos(left);
            }
        }
        LOG.info(() -> "stopping: finishing " + inFlight.count() + " requests in flight, then closing");
        long deadline = System.nanoTime() + settings.shutdownGrace().toNanos();
        while (inFlight.count() > 0 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        }
        if (inFlight.count() > 0) {
            LOG.warning(() -> inFlight.count() + " requests were still in flight after the grace period; closing anyway");
        }
        try {
            // Servers first: a connection accepted while Vert.x itself closes finds no event loop and is logged as an error.
            List<Future<?>> closing = new ArrayList<>();
            admissionServers.forEach(server -> closing.add(server.close()));
            closing.add(healthServer.close());
            await(Future.join(closing), "close the servers");
            await(vertx.close(), "close");
        } catch (IOException | InterruptedException e) {
            LOG.warning(() -> "close failed: " + e.getMessage());
        }
        if (decisionLog != null) {
            decisionLog.close();
        }
    }

    private static <T> T await(Future<T> future, String what) throws IOException, InterruptedException {
        try {
            return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("could not " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("timed out trying to " + what, e);
        }
    }
}
