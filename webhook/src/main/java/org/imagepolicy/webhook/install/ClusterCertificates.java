package org.imagepolicy.webhook.install;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.imagepolicy.certs.CertificateAuthority;
import org.imagepolicy.certs.CertificateDirectory;
import org.imagepolicy.certs.CertificateInfo;
import org.imagepolicy.certs.IssuedCertificate;
import org.imagepolicy.certs.KeyType;
import org.imagepolicy.certs.Pem;
import org.imagepolicy.certs.PemException;
import org.imagepolicy.certs.ServingCertSpec;

/**
 * The chart's {@code selfSigned} mode, run by its hook Jobs on install and every upgrade: a CA kept in its own Secret
 * (so the serving pods never see the CA key), a serving certificate Secret renewed when due, and the CA bundle patched
 * into the webhook configurations.
 *
 * <p>The CA is reused across upgrades, so the API server's trust never changes under a running webhook. When the CA
 * itself must be replaced, the previous one stays in the bundle until it expires, so pods still serving a certificate
 * of the old CA (the kubelet syncs Secrets with a delay) keep being trusted.
 */
public final class ClusterCertificates {
    static final String PREVIOUS_CA = "previous-ca.crt";
    static final String CA_COMMON_NAME = "image-policy-webhook CA";

    /**
     * @param namespace the release namespace, where the Secrets live
     * @param service the webhook's Service; the certificate names it in every in-cluster form
     * @param extraDnsNames more names for the certificate
     * @param caSecret the Opaque Secret holding ca.crt and ca.key
     * @param tlsSecret the kubernetes.io/tls Secret the pods mount
     * @param validating ValidatingWebhookConfigurations whose webhooks get the CA bundle
     * @param mutating MutatingWebhookConfigurations whose webhooks get the CA bundle
     * @param requireConfigurations fail when a named configuration does not exist (after install), rather than skip it
     *     (before install, when they do not exist yet)
     */
    public record Settings(String namespace, String service, List<String> extraDnsNames, String caSecret, String tlsSecret,
            KeyType keyType, Duration validity, Duration caValidity, Duration renewBefore, List<String> validating,
            List<String> mutating, boolean requireConfigurations, Map<String, String> labels) {
        public Settings {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(service, "service");
            extraDnsNames = List.copyOf(extraDnsNames);
            validating = List.copyOf(validating);
            mutating = List.copyOf(mutating);
            labels = Map.copyOf(labels);
            if (caValidity.compareTo(validity) < 0) {
                throw new IllegalArgumentException("the CA validity (" + caValidity.toDays() + "d) must be at least the "
                        + "certificate's (" + validity.toDays() + "d)");
            }
        }
    }

    /** What happened, line by line, for the Job's log. */
    public record Result(boolean caCreated, boolean certificateIssued, List<String> steps) {
    }

    private final KubernetesClient client;

    public ClusterCertificates(KubernetesClient client) {
        this.client = client;
    }

    public Result apply(Settings s, Instant now) {
        List<String> steps = new ArrayList<>();
        Secret caSecret = secret(s.namespace(), s.caSecret());
        CertificateAuthority ca = readCa(caSecret, s.caSecret());
        boolean caCreated = false;
        X509Certificate previous = previousCa(caSecret);
        if (ca != null && CertificateInfo.of(ca.certificate()).renewalDue(now, s.renewBefore())) {
            steps.add("the CA in Secret " + s.caSecret() + " expires " + ca.certificate().getNotAfter().toInstant()
                    + ", within renew-before; replacing it (the old one stays in the CA bundle until it expires)");
            previous = ca.certificate();
            ca = null;
        }
        if (ca == null) {
            ca = CertificateAuthority.generate(CA_COMMON_NAME, s.caValidity(), s.keyType());
            caCreated = true;
            Map<String, String> data = new LinkedHashMap<>();
            data.put(CertificateDirectory.CA_CERT, base64(Pem.encode(ca.certificate())));
            data.put(CertificateDirectory.CA_KEY, base64(Pem.encode(ca.privateKey())));
            if (previous != null && previous.getNotAfter().toInstant().isAfter(now)) {
                data.put(PREVIOUS_CA, base64(Pem.encode(previous)));
            }
            write(new SecretBuilder().withNewMetadata().withName(s.caSecret()).withNamespace(s.namespace())
                    .withLabels(s.labels()).endMetadata().withType("Opaque").withData(data).build());
            steps.add("created a CA in Secret " + s.caSecret() + " (expires " + ca.certificate().getNotAfter().toInstant() + ")");
        } else {
            steps.add("kept the CA in Secret " + s.caSecret() + " (expires " + ca.certificate().getNotAfter().toInstant() + ")");
        }

        List<String> names = CertificateDirectory.serviceNames(s.service(), s.namespace(), s.extraDnsNames());
        String reason = reissueReason(secret(s.namespace(), s.tlsSecret()), ca, names, now, s.renewBefore());
        boolean issued = reason != null;
        if (issued) {
            IssuedCertificate cert = ca.issue(new ServingCertSpec(names, List.of(), s.validity()), s.keyType());
            Map<String, String> data = new LinkedHashMap<>();
            data.put(CertificateDirectory.TLS_CERT, base64(cert.certificatePem()));
            data.put(CertificateDirectory.TLS_KEY, base64(cert.privateKeyPem()));
            data.put(CertificateDirectory.CA_CERT, base64(Pem.encode(ca.certificate())));
            write(new SecretBuilder().withNewMetadata().withName(s.tlsSecret()).withNamespace(s.namespace())
                    .withLabels(s.labels()).endMetadata().withType("kubernetes.io/tls").withData(data).build());
            steps.add("issued a serving certificate in Secret " + s.tlsSecret() + " (" + reason + "; expires "
                    + cert.certificate().getNotAfter().toInstant() + ")");
        } else {
            steps.add("kept the serving certificate in Secret " + s.tlsSecret() + " (valid beyond renew-before)");
        }

        String bundle = base64(Pem.encode(ca.certificate())
                + (previous != null && previous.getNotAfter().toInstant().isAfter(now) ? Pem.encode(previous) : ""));
        patchBundles(s, bundle, steps);
        return new Result(caCreated, issued, steps);
    }

    private void patchBundles(Settings s, String bundle, List<String> steps) {
        for (String name : s.validating()) {
            var resource = client.admissionRegistration().v1().validatingWebhookConfigurations().withName(name);
            ValidatingWebhookConfiguration c = resource.get();
            if (c == null) {
                missing("ValidatingWebhookConfiguration", name, s, steps);
                continue;
            }
            resource.edit(x -> {
                x.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle(bundle));
                return x;
            });
            steps.add("set the CA bundle of ValidatingWebhookConfiguration " + name + " (" + c.getWebhooks().size() + " webhooks)");
        }
        for (String name : s.mutating()) {
            var resource = client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(name);
            MutatingWebhookConfiguration c = resource.get();
            if (c == null) {
                missing("MutatingWebhookConfiguration", name, s, steps);
                continue;
            }
            resource.edit(x -> {
                x.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle(bundle));
                return x;
            });
            steps.add("set the CA bundle of MutatingWebhookConfiguration " + name + " (" + c.getWebhooks().size() + " webhooks)");
        }
    }

    private static void missing(String kind, String name, Settings s, List<String> steps) {
        if (s.requireConfigurations()) {
            throw new IllegalStateException(kind + " " + name + " does not exist; the chart should have created it");
        }
        steps.add(kind + " " + name + " does not exist yet; its CA bundle is set after install");
    }

    /** Why the serving certificate must be (re)issued, or null when the one in the Secret is good. */
    private static String reissueReason(Secret secret, CertificateAuthority ca, List<String> names, Instant now, Duration renewBefore) {
        if (secret == null || secret.getData() == null || !secret.getData().containsKey(CertificateDirectory.TLS_CERT)) {
            return "there was none";
        }
        X509Certificate leaf;
        try {
            leaf = Pem.readCertificates(decode(secret.getData().get(CertificateDirectory.TLS_CERT))).get(0);
            Pem.readPrivateKey(decode(secret.getData().get(CertificateDirectory.TLS_KEY)));
            leaf.verify(ca.certificate().getPublicKey());
        } catch (PemException | IllegalArgumentException | NullPointerException | GeneralSecurityException e) {
            return "the old one is unreadable or not from this CA";
        }
        CertificateInfo info = CertificateInfo.of(leaf);
        if (info.renewalDue(now, renewBefore)) {
            return "the old one expires " + info.notAfter() + ", within renew-before";
        }
        if (!info.dnsNames().containsAll(names)) {
            return "the old one does not name every DNS name";
        }
        return null;
    }

    private CertificateAuthority readCa(Secret secret, String name) {
        if (secret == null || secret.getData() == null) {
            return null;
        }
        String cert = secret.getData().get(CertificateDirectory.CA_CERT);
        String key = secret.getData().get(CertificateDirectory.CA_KEY);
        if (cert == null || key == null) {
            throw new IllegalStateException("Secret " + name + " exists but lacks ca.crt or ca.key; delete it to start a new CA"
                    + " (clients then trust the new CA once the bundles are patched)");
        }
        try {
            return CertificateDirectory.caFromPem(decode(cert), decode(key));
        } catch (PemException | IllegalArgumentException e) {
            throw new IllegalStateException("Secret " + name + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate previousCa(Secret secret) {
        if (secret == null || secret.getData() == null || !secret.getData().containsKey(PREVIOUS_CA)) {
            return null;
        }
        try {
            return Pem.readCertificates(decode(secret.getData().get(PREVIOUS_CA))).get(0);
        } catch (PemException | IllegalArgumentException e) {
            return null; // only a courtesy for the rotation window
        }
    }

    private Secret secret(String namespace, String name) {
        return client.secrets().inNamespace(namespace).withName(name).get();
    }

    private void write(Secret secret) {
        client.secrets().inNamespace(secret.getMetadata().getNamespace()).resource(secret).createOr(r -> r.update());
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII);
    }
}
