package org.imagepolicy.webhook.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.imagepolicy.certs.KeyType;
import org.imagepolicy.webhook.install.ClusterCertificates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code certs kubernetes}: what the chart's selfSigned hook Jobs run, with the pod's service account. */
@Command(name = "kubernetes", mixinStandardHelpOptions = true,
        description = {"Keep a CA Secret and a kubernetes.io/tls Secret for the webhook's Service in the cluster, and set the CA",
            "bundle of the named webhook configurations. The CA is reused; the serving certificate is renewed when due.",
            "Uses the in-cluster service account, or ~/.kube/config outside a cluster."})
final class KubernetesCertsCommand implements Callable<Integer> {
    @Option(names = "--namespace", required = true, paramLabel = "NAMESPACE", description = "The release namespace.")
    String namespace;

    @Option(names = "--service", required = true, paramLabel = "NAME", description = "The webhook's Service.")
    String service;

    @Option(names = "--dns", paramLabel = "NAME", description = "Another DNS name for the certificate (repeatable).")
    List<String> dns = new ArrayList<>();

    @Option(names = "--ca-secret", required = true, paramLabel = "NAME", description = "Secret holding ca.crt and ca.key.")
    String caSecret;

    @Option(names = "--tls-secret", required = true, paramLabel = "NAME", description = "kubernetes.io/tls Secret the pods mount.")
    String tlsSecret;

    @Option(names = "--validating-webhook-configuration", paramLabel = "NAME", description = "Set the CA bundle here (repeatable).")
    List<String> validating = new ArrayList<>();

    @Option(names = "--mutating-webhook-configuration", paramLabel = "NAME", description = "Set the CA bundle here (repeatable).")
    List<String> mutating = new ArrayList<>();

    @Option(names = "--require-webhook-configurations", description = "Fail when a named configuration does not exist.")
    boolean requireConfigurations;

    @picocli.CommandLine.Mixin
    CertificateOptions certificate = new CertificateOptions();

    @Option(names = "--renew-before", defaultValue = "30d", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Renew a certificate or CA expiring within this (default: ${DEFAULT-VALUE}).")
    Duration renewBefore;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Label for the Secrets (repeatable).")
    Map<String, String> labels = new LinkedHashMap<>();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ClusterCertificates.Settings settings;
        try {
            settings = new ClusterCertificates.Settings(namespace, service, dns, caSecret, tlsSecret, KeyType.parse(certificate.keyType), certificate.validity,
                    certificate.caValidity, renewBefore, validating, mutating, requireConfigurations, labels);
        } catch (IllegalArgumentException e) {
            err.println("certs kubernetes: " + e.getMessage());
            return Main.INVALID;
        }
        try (KubernetesClient client = HookClients.create()) {
            ClusterCertificates.Result result = new ClusterCertificates(client).apply(settings, Instant.now());
            result.steps().forEach(out::println);
            return 0;
        } catch (KubernetesClientException | IllegalStateException e) {
            err.println("certs kubernetes: " + e.getMessage());
            return 1;
        }
    }
}
