package org.imagepolicy.webhook.registry;

import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.imagepolicy.certs.CertificatePair;
import org.imagepolicy.certs.Pem;
import org.imagepolicy.webhook.image.InvalidImageReferenceException;
import org.imagepolicy.webhook.image.RegistryName;

/**
 * TLS settings per registry, from a docker {@code certs.d} tree: {@code DIR/<host[:port]>/*.crt} are CAs
 * trusted for that registry in addition to the system's, and {@code *.cert} with the matching {@code *.key}
 * is a client certificate. Insecure registries skip verification; no other registry ever does.
 */
final class RegistryTrust {
    private static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

    private final Map<String, ClientSSLOptions> byRegistry;
    private final ClientSSLOptions systemDefault;
    private final ClientSSLOptions unverified;

    private RegistryTrust(Map<String, ClientSSLOptions> byRegistry) {
        this.byRegistry = Map.copyOf(byRegistry);
        this.systemDefault = new ClientSSLOptions().setHostnameVerificationAlgorithm("HTTPS").setEnabledSecureTransportProtocols(PROTOCOLS);
        // An insecure registry may speak plain HTTP, and a plain server can sit silent on a ClientHello:
        // give up on TLS quickly so the fallback to HTTP fits in the decision's budget.
        this.unverified = new ClientSSLOptions().setTrustAll(true).setHostnameVerificationAlgorithm("")
                .setEnabledSecureTransportProtocols(PROTOCOLS).setSslHandshakeTimeout(750).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    }

    /** Reads the tree once at start-up (blocking); an unreadable or inconsistent entry stops start-up with its path. */
    static RegistryTrust load(Path certsDirectory) throws IOException {
        Map<String, ClientSSLOptions> byRegistry = new HashMap<>();
        if (certsDirectory != null) {
            try (Stream<Path> dirs = Files.list(certsDirectory)) {
                for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                    byRegistry.put(registryKey(dir.getFileName().toString()), forDirectory(dir));
                }
            }
        }
        return new RegistryTrust(byRegistry);
    }

    /** certs.d names a registry as the runtime does ({@code host:443} is {@code host}); a name that is none stays as it is. */
    private static String registryKey(String directoryName) {
        try {
            return RegistryName.canonical(directoryName);
        } catch (InvalidImageReferenceException e) {
            return directoryName.toLowerCase(Locale.ROOT);
        }
    }

    Set<String> registries() {
        return byRegistry.keySet();
    }

    /** Whether certs.d gives this registry a client certificate of ours to present. */
    boolean presentsClientCertificate(String registryKey) {
        ClientSSLOptions options = byRegistry.get(registryKey);
        return options != null && options.getKeyCertOptions() != null;
    }

    ClientSSLOptions options(String registryKey, boolean insecure) {
        if (insecure) {
            return unverified;
        }
        return byRegistry.getOrDefault(registryKey, systemDefault);
    }

    private static ClientSSLOptions forDirectory(Path dir) throws IOException {
        List<X509Certificate> cas = new ArrayList<>();
        KeyCertOptions client = null;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".crt")) {
                    cas.addAll(Pem.readCertificates(read(f)));
                } else if (name.endsWith(".cert")) {
                    Path key = f.resolveSibling(name.substring(0, name.length() - ".cert".length()) + ".key");
                    if (!Files.exists(key)) {
                        throw new IOException(f + ": a client certificate needs its key at " + key);
                    }
                    client = clientCertificate(CertificatePair.parse(read(f), read(key)));
                }
            }
        } catch (org.imagepolicy.certs.PemException e) {
            throw new IOException(dir + ": " + e.getMessage(), e);
        }
        ClientSSLOptions options = new ClientSSLOptions().setHostnameVerificationAlgorithm("HTTPS").setEnabledSecureTransportProtocols(PROTOCOLS);
        if (!cas.isEmpty()) {
            options.setTrustOptions(TrustOptions.wrap(systemPlus(cas)));
        }
        if (client != null) {
            options.setKeyCertOptions(client);
        }
        return options;
    }

    private static String read(Path f) throws IOException {
        return Files.readString(f, StandardCharsets.US_ASCII);
    }

    /** The system's trusted CAs plus the registry's own: docker adds, it does not replace. */
    private static TrustManagerFactory systemPlus(List<X509Certificate> extra) throws IOException {
        try {
            TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            system.init((KeyStore) null);
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (javax.net.ssl.TrustManager tm : system.getTrustManagers()) {
                if (tm instanceof X509TrustManager) {
                    for (X509Certificate c : ((X509TrustManager) tm).getAcceptedIssuers()) {
                        store.setCertificateEntry("system-" + i++, c);
                    }
                }
            }
            for (X509Certificate c : extra) {
                store.setCertificateEntry("registry-" + i++, c);
            }
            TrustManagerFactory combined = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            combined.init(store);
            return combined;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot build the trust store: " + e.getMessage(), e);
        }
    }

    private static KeyCertOptions clientCertificate(CertificatePair pair) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            store.setKeyEntry("client", pair.privateKey(), password, pair.chain().toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            return KeyCertOptions.wrap(kmf);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot use the client certificate: " + e.getMessage(), e);
        }
    }
}
