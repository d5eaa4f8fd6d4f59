package org.imagepolicy.webhook.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.imagepolicy.webhook.image.HostPattern;

/**
 * Everything {@code serve} is started with, validated once by the command line.
 *
 * @param tlsCertificate PEM chain, or {@code null} to generate a self-signed certificate into {@code certificateDirectory}
 * @param shutdownDelay  after SIGTERM, how long admissions are still accepted and answered (each answer telling its
 *                       client to reconnect elsewhere) before the server waits for in-flight requests and stops
 * @param shutdownGrace  how long, after the delay, in-flight requests may take
 * @param instances      event-loop verticles answering admissions; one per core by default
 * @param decisionTimeout how long a decision may wait for registries; keep it below the webhook's timeoutSeconds
 * @param registry       how registries are reached; ignored when {@code offline}
 * @param cacheBudget    memory the registry cache may hold
 * @param warmUp         how long the webhook sends itself admissions before it reports ready (see WarmUp); zero for none
 */
public record ServerSettings(
        List<Path> policyPaths,
        boolean strict,
        String host,
        int port,
        int healthPort,
        Path tlsCertificate,
        Path tlsKey,
        Path certificateDirectory,
        boolean offline,
        List<HostPattern> integratedRegistries,
        Set<String> exemptNamespaces,
        Duration reloadInterval,
        Duration shutdownDelay,
        Duration shutdownGrace,
        int instances,
        Duration decisionTimeout,
        org.imagepolicy.webhook.registry.RegistrySettings registry,
        org.imagepolicy.webhook.registry.CacheBudget cacheBudget,
        Duration warmUp) {

    public ServerSettings {
        policyPaths = List.copyOf(policyPaths);
        integratedRegistries = List.copyOf(integratedRegistries);
        exemptNamespaces = Set.copyOf(exemptNamespaces);
        if (shutdownDelay.isNegative() || shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("--shutdown-delay and --shutdown-grace cannot be negative");
        }
        if (warmUp.isNegative() || warmUp.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new IllegalArgumentException("--warm-up must be between 0s and 30s, not " + warmUp.toMillis() + "ms");
        }
        if ((tlsCertificate == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together: give both, or neither to generate a certificate");
        }
    }

    public boolean generatesCertificate() {
        return tlsCertificate == null;
    }
}
