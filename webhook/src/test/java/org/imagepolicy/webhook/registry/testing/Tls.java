package org.imagepolicy.webhook.registry.testing;

import java.io.IOException;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.imagepolicy.certs.IssuedCertificate;

/**
 * TLS and HTTP client plumbing shared by the harness: in-memory key stores only, so nothing here
 * depends on files or on the JVM-wide default trust store.
 */
public final class Tls {
    private static final char[] IN_MEMORY_PASSWORD = "harness".toCharArray();

    private Tls() {
    }

    /** A server context presenting the issued certificate followed by its CA. */
    public static SSLContext serverContext(IssuedCertificate served) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", served.privateKey(), IN_MEMORY_PASSWORD,
                    new Certificate[] {served.certificate(), served.issuer()});
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, IN_MEMORY_PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a TLS server context", e);
        }
    }

    /** A client context that trusts exactly these CAs and nothing from the JDK's default store. */
    public static SSLContext trusting(X509Certificate... authorities) {
        return clientContext(null, authorities);
    }

    /**
     * Like {@link #trusting}, and presenting a client certificate (followed by its CA) to servers that
     * ask for one, as a registry with mutual TLS does.
     */
    public static SSLContext presenting(IssuedCertificate identity, X509Certificate... authorities) {
        return clientContext(identity, authorities);
    }

    private static SSLContext clientContext(IssuedCertificate identity, X509Certificate... authorities) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < authorities.length; i++) {
                store.setCertificateEntry("ca-" + i, authorities[i]);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            KeyManagerFactory keys = null;
            if (identity != null) {
                KeyStore own = KeyStore.getInstance("PKCS12");
                own.load(null, null);
                own.setKeyEntry("client", identity.privateKey(), IN_MEMORY_PASSWORD,
                        new Certificate[] {identity.certificate(), identity.issuer()});
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(own, IN_MEMORY_PASSWORD);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a TLS client context", e);
        }
    }

    /**
     * An HTTP/1.1 client that never follows redirects, so tests see exactly what a server answered.
     * HTTP/1.1 is forced because the JDK would otherwise try an h2c upgrade on plain connections,
     * which adds headers the registry and the proxy would have to ignore.
     *
     * @param trust the TLS context, or {@code null} for plain HTTP only
     */
    public static HttpClient client(SSLContext trust) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(daemonPool("harness-http"));
        if (trust != null) {
            builder.sslContext(trust);
        }
        return builder.build();
    }

    /**
     * A cached pool of daemon threads: a stalled exchange holds one thread without starving the others,
     * and a forgotten pool never keeps the test JVM alive.
     */
    public static ExecutorService daemonPool(String name) {
        AtomicInteger counter = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return Executors.newCachedThreadPool(factory);
    }
}
