package org.imagepolicy.webhook.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;
import org.imagepolicy.webhook.image.HostPattern;
import org.imagepolicy.webhook.policy.PolicyException;
import org.imagepolicy.webhook.policy.PolicyProblem;
import org.imagepolicy.webhook.registry.RegistrySettings;
import org.imagepolicy.webhook.registry.credentials.CredentialSource;
import org.imagepolicy.webhook.registry.credentials.CredentialsException;
import org.imagepolicy.webhook.registry.credentials.DockerConfigFiles;
import org.imagepolicy.webhook.server.ServerSettings;
import org.imagepolicy.webhook.server.WebhookServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the HTTPS admission webhook (POST /validate) and the health port (/healthz, /readyz, /metrics).",
            "Policy and certificate files are reloaded when they change; an invalid policy at start-up exits 2."})
final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = Logger.getLogger(ServeCommand.class.getName());

    @Option(names = "--policy", required = true, paramLabel = "PATH",
            description = "Policy file or directory (repeatable; all are merged into one policy).")
    List<Path> policy;

    @Option(names = "--strict", description = "Treat unknown policy fields as errors.")
    boolean strict;

    @Option(names = "--host", defaultValue = "0.0.0.0", paramLabel = "ADDRESS", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8443", paramLabel = "PORT", description = "HTTPS port for admissions (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--health-port", defaultValue = "8080", paramLabel = "PORT", description = "Plain HTTP port for probes and metrics (default: ${DEFAULT-VALUE}).")
    int healthPort;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain. Without it a self-signed certificate is generated.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key (PKCS#8, PKCS#1 or EC).")
    Path tlsKey;

    @Option(names = "--cert-dir", paramLabel = "DIR", description = "Where a generated certificate and its CA are kept (default: ${DEFAULT-VALUE}).",
            defaultValue = "${sys:java.io.tmpdir}/image-policy-webhook")
    Path certDir;

    @Option(names = "--offline", description = "Never contact registries; every resolution fails with \"offline\".")
    boolean offline;

    @Option(names = "--integrated-registry", paramLabel = "HOST", description = "Also treat HOST[:PORT] as the integrated registry (repeatable).")
    List<String> integratedRegistries = new ArrayList<>();

    @Option(names = "--exempt-namespace", paramLabel = "NAMESPACE", description = "Admit requests in NAMESPACE unchecked (repeatable).")
    List<String> exemptNamespaces = new ArrayList<>();

    @Option(names = "--reload-interval", defaultValue = "2", paramLabel = "SECONDS", description = "How often policy and certificate files are checked (default: ${DEFAULT-VALUE}).")
    long reloadSeconds;

    @Option(names = "--shutdown-grace", defaultValue = "20", paramLabel = "SECONDS", description = "How long SIGTERM waits for in-flight requests (default: ${DEFAULT-VALUE}).")
    long graceSeconds;

    @Option(names = "--instances", paramLabel = "N", description = "Event loops answering admissions (default: one per core).")
    Integer instances;

    @Option(names = "--decision-timeout", defaultValue = "2.5s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Time a decision may spend on registry lookups; keep it below the webhook's timeoutSeconds (default: ${DEFAULT-VALUE}).")
    Duration decisionTimeout;

    @Option(names = "--registry-auth", paramLabel = "FILE", description = "Docker config or pull secret (.dockerconfigjson or .dockercfg) with registry credentials (repeatable).")
    List<Path> registryAuth = new ArrayList<>();

    @Option(names = "--registry-certs", paramLabel = "DIR", description = "certs.d tree: DIR/<host[:port]>/*.crt are CAs, *.cert with *.key a client certificate.")
    Path registryCerts;

    @Option(names = "--insecure-registry", paramLabel = "HOST", description = "Allow plain HTTP or unverified TLS for this registry only (repeatable).")
    List<String> insecureRegistries = new ArrayList<>();

    @Option(names = "--allow-registry-address", paramLabel = "HOST", description = "Allow this registry to resolve to a loopback, link-local or private address (repeatable).")
    List<String> allowedAddresses = new ArrayList<>();

    @Option(names = "--platform", defaultValue = "linux/amd64", paramLabel = "OS/ARCH", description = "Platform whose image an index resolves to for labels (default: ${DEFAULT-VALUE}).")
    String platform;

    @Option(names = "--tag-ttl", defaultValue = "60s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long a tag's digest is trusted before it is looked up again (default: ${DEFAULT-VALUE}).")
    Duration tagTtl;

    @Option(names = "--negative-ttl", defaultValue = "15s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long an unknown manifest or a denied access is remembered (default: ${DEFAULT-VALUE}).")
    Duration negativeTtl;

    @Option(names = "--max-stale", defaultValue = "10m", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How old a cached digest may be when its registry is unreachable (default: ${DEFAULT-VALUE}).")
    Duration maxStale;

    @Option(names = "--registry-concurrency", defaultValue = "8", paramLabel = "N", description = "Connections per registry (default: ${DEFAULT-VALUE}).")
    int registryConcurrency;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private CredentialSource credentials() throws CredentialsException {
        return registryAuth.isEmpty() ? CredentialSource.anonymous() : DockerConfigFiles.load(registryAuth);
    }

    /** Registry names as the matcher compares them: lower case, Docker Hub's aliases folded. */
    private static Set<String> registryKeys(String flag, List<String> hosts) {
        Set<String> keys = new java.util.HashSet<>();
        for (String h : hosts) {
            HostPattern p;
            try {
                p = HostPattern.parse(h);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
            }
            if (p.wildcard()) {
                throw new IllegalArgumentException(flag + ": name one registry, not a wildcard (" + h + ")");
            }
            keys.add(p.port() == null ? p.host() : p.host() + ":" + p.port());
        }
        return keys;
    }

    @Override
    public Integer call() throws Exception {
        List<HostPattern> integrated = new ArrayList<>();
        for (String h : integratedRegistries) {
            try {
                integrated.add(HostPattern.parse(h));
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("--integrated-registry: " + e.getMessage());
                return Main.INVALID;
            }
        }
        ServerSettings settings;
        try {
            RegistrySettings registry = new RegistrySettings(registryKeys("--insecure-registry", insecureRegistries), registryCerts,
                    registryKeys("--allow-registry-address", allowedAddresses), platform, tagTtl, negativeTtl, maxStale,
                    Math.max(1, registryConcurrency), credentials());
            settings = new ServerSettings(policy, strict, host, port, healthPort, tlsCert, tlsKey, certDir, offline, integrated,
                    Set.copyOf(exemptNamespaces), Duration.ofSeconds(Math.max(1, reloadSeconds)), Duration.ofSeconds(graceSeconds),
                    instances == null ? Runtime.getRuntime().availableProcessors() : Math.max(1, instances), decisionTimeout, registry);
        } catch (IllegalArgumentException | CredentialsException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return Main.INVALID;
        }
        WebhookServer server = new WebhookServer(settings);
        try {
            server.start();
        } catch (PolicyException e) {
            for (PolicyProblem p : e.problems()) {
                spec.commandLine().getErr().println(p.format());
            }
            spec.commandLine().getErr().println("the policy is invalid; fix it and start again");
            server.close();
            return Main.INVALID;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping: finishing in-flight requests");
            server.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }
}
