package org.imagepolicy.webhook.server;

import io.vertx.core.net.KeyCertOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import java.util.logging.Logger;
import org.imagepolicy.certs.CertificatePair;
import org.imagepolicy.certs.DevCertificates;
import org.imagepolicy.certs.PemException;
import org.imagepolicy.webhook.metrics.Metrics;

/**
 * The serving certificate. Files are read as values, not paths, so a rotation is a real change to the
 * TLS server; a new pair is taken only when both files changed and they parse as a matching pair, which
 * skips the moment between a rotator writing the certificate and writing the key.
 */
public final class TlsState {
    private static final Logger LOG = Logger.getLogger(TlsState.class.getName());

    private final Path certificate;
    private final Path key;
    private final Metrics metrics;
    private volatile String certificatePem;
    private volatile String keyPem;
    private volatile String rejectedPair;
    private volatile KeyCertOptions keyCert;
    private volatile java.time.Instant notAfter;

    private TlsState(Path certificate, Path key, Metrics metrics) {
        this.certificate = certificate;
        this.key = key;
        this.metrics = metrics;
    }

    /** Uses the given files, or generates a self-signed pair for local use and says where its CA is. */
    public static TlsState open(ServerSettings settings, Metrics metrics) throws IOException {
        if (!settings.generatesCertificate()) {
            TlsState state = new TlsState(settings.tlsCertificate(), settings.tlsKey(), metrics);
            state.loadInitial();
            return state;
        }
        DevCertificates.Written written = DevCertificates.ensure(settings.certificateDirectory(),
                List.of("localhost"), List.of("127.0.0.1", "::1"));
        LOG.info(() -> (written.reused() ? "using the self-signed certificate" : "generated a self-signed certificate")
                + " for localhost and 127.0.0.1; its CA is " + written.caCertificate().toAbsolutePath()
                + " (curl --cacert " + written.caCertificate().toAbsolutePath() + " https://localhost:" + settings.port() + "/validate)");
        TlsState state = new TlsState(written.certificate(), written.privateKey(), metrics);
        state.loadInitial();
        return state;
    }

    private void loadInitial() throws IOException {
        String cert = Files.readString(certificate, StandardCharsets.US_ASCII);
        String k = Files.readString(key, StandardCharsets.US_ASCII);
        try {
            CertificatePair pair = CertificatePair.parse(cert, k);
            keyCert = keyManager(pair);
            metrics.certificateLoaded(pair.notAfter().getEpochSecond());
            notAfter = pair.notAfter();
        } catch (PemException e) {
            throw new IOException(certificate + " and " + key + ": " + e.getMessage(), e);
        }
        certificatePem = cert;
        keyPem = k;
    }

    /** When the certificate being served expires. */
    public java.time.Instant notAfter() {
        return notAfter;
    }

    /** The certificate file, for messages. */
    public Path certificateFile() {
        return certificate;
    }

    public KeyCertOptions options() {
        return keyCert;
    }

    /**
     * The pair as a key manager, the form Vert.x turns PEM options into anyway. Its own conversion goes
     * through PKCS#12 stores whose PBKDF2 key protection (10,000 rounds, about five times over) was a
     * quarter of start-up; a JKS store in memory protects nothing either way and costs nothing.
     */
    private static KeyCertOptions keyManager(CertificatePair pair) {
        try {
            char[] password = "in-memory".toCharArray();
            KeyStore store = KeyStore.getInstance("JKS");
            store.load(null, null);
            store.setKeyEntry("serving", pair.privateKey(), password, pair.chain().toArray(new X509Certificate[0]));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password);
            return KeyCertOptions.wrap(factory);
        } catch (GeneralSecurityException | IOException e) {
            throw new PemException("the key and certificate cannot be used for TLS: " + e.getMessage(), e);
        }
    }

    /** Blocking file reads: run on a worker. Returns new options when a complete, valid rotation happened. */
    public synchronized KeyCertOptions reloadIfChanged() {
        String cert;
        String k;
        try {
            cert = Files.readString(certificate, StandardCharsets.US_ASCII);
            k = Files.readString(key, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return null; // mid-rotation or briefly missing: try again next poll
        }
        if (cert.equals(certificatePem) || k.equals(keyPem)) {
            return null;
        }
        String candidate = cert + k;
        if (candidate.equals(rejectedPair)) {
            return null;
        }
        try {
            CertificatePair pair = CertificatePair.parse(cert, k);
            keyCert = keyManager(pair);
            certificatePem = cert;
            keyPem = k;
            metrics.certificateReload(true, pair.notAfter().getEpochSecond());
            notAfter = pair.notAfter();
            LOG.info(() -> "serving certificate reloaded from " + certificate + ", valid until " + pair.notAfter());
            return options();
        } catch (PemException e) {
            rejectedPair = candidate;
            metrics.certificateReload(false, 0);
            LOG.warning(() -> "new certificate files were not taken, the current certificate keeps serving: " + e.getMessage());
            return null;
        }
    }
}
