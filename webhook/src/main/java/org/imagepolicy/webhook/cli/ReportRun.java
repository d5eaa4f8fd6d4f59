package org.imagepolicy.webhook.cli;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.imagepolicy.webhook.admission.ImagePolicyEngine;
import org.imagepolicy.webhook.cluster.ClusterLister;
import org.imagepolicy.webhook.cluster.ClusterObjects;
import org.imagepolicy.webhook.cluster.ClusterSettings;
import org.imagepolicy.webhook.cluster.SecretRef;
import org.imagepolicy.webhook.audit.AuditResult;
import org.imagepolicy.webhook.audit.AuditRun;
import org.imagepolicy.webhook.audit.CacheFile;
import org.imagepolicy.webhook.audit.CacheFileLookups;
import org.imagepolicy.webhook.audit.Lookups;
import org.imagepolicy.webhook.audit.RuleCatalog;
import org.imagepolicy.webhook.audit.Terminal;
import org.imagepolicy.webhook.image.HostPattern;
import org.imagepolicy.webhook.metrics.RegistryMetrics;
import org.imagepolicy.webhook.registry.ImageResolver;
import org.imagepolicy.webhook.registry.RegistryResolver;
import org.imagepolicy.webhook.registry.credentials.CredentialsException;
import org.imagepolicy.webhook.report.Outcome;
import org.imagepolicy.webhook.report.ReportFormats;
import org.imagepolicy.webhook.report.ReportOptions;
import org.imagepolicy.webhook.report.ReportTee;
import org.imagepolicy.webhook.report.ReportWriter;
import org.imagepolicy.webhook.report.RunInfo;
import org.imagepolicy.webhook.server.ResolverLayer;

/**
 * The body of {@code audit} and {@code diff}: checks the options, opens the outputs, builds the same
 * resolver {@code serve} builds (the registries with the cache file around them, and with {@code --cluster
 * --image-api} the OpenShift image API in front), runs, and turns the result into the exit status.
 */
final class ReportRun {
    private final AuditOptions options;
    private final PrintWriter out;
    private final PrintWriter err;

    ReportRun(AuditOptions options, PrintWriter out, PrintWriter err) {
        this.options = options;
        this.out = out;
        this.err = err;
    }

    /** An output: a format and a file, or {@code null} for standard output. */
    private record Output(String format, Path file) {
    }

    int run(String command, ImagePolicyEngine engine, String policy, ImagePolicyEngine old, String oldPolicy) {
        List<Output> outputs;
        int failLevel;
        List<HostPattern> integrated;
        try {
            outputs = outputs();
            failLevel = failLevel();
            if (!options.reportApi.equals(ReportOptions.WGPOLICY) && !options.reportApi.equals(ReportOptions.OPENREPORTS)) {
                throw new IllegalArgumentException("--report-api: use wgpolicy or openreports, not " + options.reportApi);
            }
            if (!options.cluster.cluster && options.cluster.imageApi) {
                throw new IllegalArgumentException("--image-api reads image streams and Images from a live cluster, so it needs --cluster;"
                        + " from files, image stream references are reported as unresolved and other names are looked up in registries,"
                        + " as a webhook without --image-api would");
            }
            if (options.cluster.strayWithoutCluster()) {
                throw new IllegalArgumentException("--namespace, --kubeconfig, --context and --global-pull-secret need --cluster");
            }
            if (options.cluster.cluster && !options.inputs.isEmpty()) {
                throw new IllegalArgumentException("--cluster reads the live cluster; leave out the inputs (" + String.join(" ", options.inputs) + ")");
            }
            if (options.cluster.cluster) {
                ClusterLister.checkPageSize(options.cluster.pageSize);
                ClusterOptions.namespaces(options.cluster.namespaces, "--namespace");
                if (options.cluster.globalPullSecret != null) {
                    SecretRef.parse(options.cluster.globalPullSecret);
                }
            }
            integrated = ClusterOptions.hosts(options.integratedRegistries, "--integrated-registry");
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        Vertx vertx = null;
        LiveCluster live = null;
        List<OutputStream> streams = new ArrayList<>();
        try {
            if (options.cluster.cluster) {
                live = openCluster(command, integrated);
                if (live == null) {
                    return Main.INVALID;
                }
                integrated = live.integrated(integrated);
            }
            // The engine the webhook would build: the policy's integrated registry names, the configured ones and the cluster's.
            engine = withIntegrated(engine, integrated);
            old = old == null ? null : withIntegrated(old, integrated);
            ResolverLayer layer = live == null ? ResolverLayer.NONE : live.layer();
            Lookups lookups = Lookups.OFFLINE;
            RegistryResolver registries = null;
            CacheFile cache = options.cacheFile == null ? null : new CacheFile(options.cacheFile);
            CacheFile.Loaded loaded = null;
            if (options.offline && cache != null) {
                // Offline, the file's answers are the only facts: used as serve's cache would use them, never refreshed, never rewritten.
                loaded = cache.load(Instant.now());
                if (loaded.problem() != null) {
                    err.println(loaded.problem());
                    err.flush();
                } else {
                    lookups = new CacheFileLookups(loaded.lookups(), options.registry.tagTtl);
                }
            }
            if (!options.offline) {
                vertx = Vertx.vertx();
                RegistryMetrics metrics = new RegistryMetrics();
                registries = RegistryResolver.create(vertx, options.registry.settings(engine.policy()), metrics, options.lookupTimeout);
                lookups = new ResolverLookups(layer.resolver(vertx, registries, metrics), options.lookupTimeout, live != null && options.cluster.imageApi);
                if (cache != null) {
                    loaded = cache.load(Instant.now());
                    if (loaded.problem() != null) {
                        err.println(loaded.problem());
                        err.flush();
                    } else {
                        registries.restore(loaded.lookups());
                    }
                }
            } else if (live != null && options.cluster.imageApi) {
                // The image API is the cluster, not a registry: --offline keeps it, as serve --offline --image-api does.
                vertx = Vertx.vertx();
                lookups = new ResolverLookups(layer.resolver(vertx, offlineRegistries(lookups), new RegistryMetrics()), options.lookupTimeout, true);
            }
            List<ReportWriter> writers = new ArrayList<>();
            for (Output o : outputs) {
                OutputStream s = o.file == null ? new WriterOutputStream(out) : Files.newOutputStream(o.file);
                streams.add(s);
                boolean colour = o.file == null && out == Main.STDOUT && Terminal.colour(1);
                writers.add(ReportFormats.create(o.format, s, new ReportOptions(colour, options.reportApi)));
            }
            boolean progress = !options.quiet && Terminal.isTerminal(2) && err == Main.STDERR;
            AuditRun run = new AuditRun(engine, old, lookups, progress ? System.err : null);
            RunInfo info = new RunInfo(command, policy, oldPolicy, RuleCatalog.of(engine.policy(), old == null ? null : old.policy()),
                    Instant.now(), new Main.Version().getVersion()[0]);
            AuditResult result;
            if (live != null) {
                result = cluster(command, live, run, info, new ReportTee(writers));
                if (result == null) {
                    return Main.INVALID;
                }
            } else {
                List<String> inputs = options.inputs.isEmpty() ? List.of("-") : options.inputs;
                result = run.run(info, inputs, System.in, new ReportTee(writers));
            }
            if (registries != null && cache != null && (loaded == null || loaded.writable())) {
                cache.save(registries.cached(), Instant.now());
            }
            return exit(result, failLevel, old != null);
        } catch (IllegalArgumentException | CredentialsException e) {
            return usage(e.getMessage());
        } catch (IOException e) {
            err.println(command + ": " + e.getMessage());
            err.flush();
            return Main.INVALID;
        } finally {
            for (OutputStream s : streams) {
                try {
                    s.close();
                } catch (IOException e) {
                    err.println("cannot finish writing a report: " + e.getMessage());
                }
            }
            out.flush();
            if (vertx != null) {
                vertx.close();
            }
            if (live != null) {
                live.close();
            }
        }
    }

    static ImagePolicyEngine withIntegrated(ImagePolicyEngine engine, List<HostPattern> integrated) {
        return integrated.isEmpty() ? engine : new ImagePolicyEngine(engine.policy().withServerSettings(integrated, java.util.Set.of()));
    }

    /** What answers for the registries behind the image API offline: the cache file's answers (in memory), else "offline". */
    private static ImageResolver offlineRegistries(Lookups fromFile) {
        return fromFile == Lookups.OFFLINE ? ImageResolver.OFFLINE : (group, deadline) -> Future.succeededFuture(fromFile.resolve(group));
    }

    /**
     * The cluster as serve --cluster reads it, synced once (pull secrets, service accounts, namespaces, and with
     * --image-api image streams and the cluster image configuration), so each object is judged with the
     * credentials, namespace exemptions and image API answers the webhook would use for it.
     *
     * @return {@code null} when the cluster could not be read (said on standard error)
     */
    private LiveCluster openCluster(String command, List<HostPattern> integrated) throws IOException, CredentialsException {
        ClusterOptions o = options.cluster;
        ClusterSettings settings = new ClusterSettings(o.kubeconfig, o.context,
                o.globalPullSecret == null ? null : SecretRef.parse(o.globalPullSecret), o.namespaces);
        LiveCluster live = null;
        try {
            live = LiveCluster.open(settings, options.registry.settings().credentials(), o.imageApi, integrated);
            live.awaitSynced(SYNC_TIMEOUT);
            return live;
        } catch (java.util.concurrent.TimeoutException | KubernetesClientException e) {
            if (live != null) {
                live.close();
            }
            err.println(command + " --cluster: " + e.getMessage());
            err.flush();
            return null;
        } catch (InterruptedException e) {
            live.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Every covered kind listed page by page and judged as it arrives. @return {@code null} when the listing failed (said on standard error) */
    private AuditResult cluster(String command, LiveCluster live, AuditRun run, RunInfo info, ReportTee writer) throws IOException {
        ClusterOptions o = options.cluster;
        try {
            ClusterObjects objects = new ClusterObjects(new ClusterLister(live.client(), o.pageSize), o.namespaces);
            AuditResult result = run.run(info, objects, live.watch().context(), writer);
            if (!objects.summary().notServed().isEmpty()) {
                err.println(command + ": the API server does not serve " + objects.summary().notServed().stream().map(Object::toString)
                        .collect(java.util.stream.Collectors.joining(", ")) + " (not OpenShift?); nothing of those kinds was judged");
                err.flush();
            }
            return result;
        } catch (KubernetesClientException e) {
            err.println(command + " --cluster: " + e.getMessage());
            err.flush();
            return null;
        }
    }

    /** How long the first list of pull secrets, service accounts and namespaces may take before the audit gives up. */
    private static final java.time.Duration SYNC_TIMEOUT = java.time.Duration.ofSeconds(60);

    /** 0 = only denials fail the run; 1 = errors too; 2 = warnings too. */
    private int failLevel() {
        if (options.failOn == null) {
            return 0;
        }
        return switch (options.failOn) {
            case "error" -> 1;
            case "warn" -> 2;
            default -> throw new IllegalArgumentException("--fail-on: use error or warn, not " + options.failOn);
        };
    }

    private static int exit(AuditResult r, int failLevel, boolean diff) {
        if (diff) {
            var moved = r.changedTo();
            boolean fail = r.newlyDenied() > 0
                    || failLevel >= 1 && (moved.getOrDefault(Outcome.ERROR, 0) > 0 || r.problems() > 0)
                    || failLevel >= 2 && moved.getOrDefault(Outcome.WARN, 0) > 0;
            return fail ? 1 : 0;
        }
        boolean fail = r.count(Outcome.FAIL) > 0 || r.objectErrors() > 0
                || failLevel >= 1 && (r.count(Outcome.ERROR) > 0 || r.problems() > 0)
                || failLevel >= 2 && r.count(Outcome.WARN) > 0;
        return fail ? 1 : 0;
    }

    private List<Output> outputs() {
        List<Output> list = new ArrayList<>();
        int toStdout = 0;
        for (String spec : options.outputs.isEmpty() ? List.of("table") : options.outputs) {
            int eq = spec.indexOf('=');
            String format = eq < 0 ? spec : spec.substring(0, eq);
            String file = eq < 0 ? "-" : spec.substring(eq + 1);
            ReportFormats.check(format);
            if (file.isEmpty()) {
                throw new IllegalArgumentException("--output " + spec + ": name a file after =, or leave out =FILE for standard output");
            }
            if (file.equals("-")) {
                toStdout++;
            }
            list.add(new Output(format, file.equals("-") ? null : Path.of(file)));
        }
        if (toStdout > 1) {
            throw new IllegalArgumentException("--output: only one format can go to standard output; give the others =FILE");
        }
        return list;
    }

    private int usage(String message) {
        err.println(message);
        err.flush();
        return Main.INVALID;
    }
}
