package org.imagepolicy.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Proves the issued certificates work where it matters: a real JDK TLS handshake. */
class TlsHandshakeTest {

  /** Bounds every blocking socket call so a broken handshake fails the test instead of hanging. */
  private static final int TIMEOUT_MILLIS = 5_000;

  private static final char[] PASSWORD = "unused".toCharArray();
  private static final byte PING = 42;

  private static CertificateAuthority ca;
  private static IssuedCertificate issued;
  private static ExecutorService serverThread;

  @BeforeAll
  static void issue() {
    ca = CertificateAuthority.generate("handshake test CA", Duration.ofDays(1));
    issued = ca.issue(TestKeys.localhostSpec());
    serverThread = Executors.newSingleThreadExecutor();
  }

  @AfterAll
  static void stopServerThread() {
    serverThread.shutdownNow();
  }

  @Test
  void clientTrustingOnlyTheCaVerifiesTheHostName() throws Exception {
    Session session = exchange("localhost", trusting(ca.certificate()));

    assertThat(session.reply()).isEqualTo(PING + 1);
    assertThat(session.serverCertificate()).isEqualTo(issued.certificate());
  }

  @Test
  void clientTrustingOnlyTheCaVerifiesTheIpAddress() throws Exception {
    Session session = exchange("127.0.0.1", trusting(ca.certificate()));

    assertThat(session.reply()).isEqualTo(PING + 1);
  }

  @Test
  void clientTrustingAnotherCaRejectsTheServer() throws Exception {
    CertificateAuthority stranger = CertificateAuthority.generate("other CA", Duration.ofDays(1));
    SSLContext client = trusting(stranger.certificate());

    assertThatThrownBy(() -> exchange("localhost", client))
        .isInstanceOf(SSLHandshakeException.class);
  }

  /** Without this, the two passing tests could pass with endpoint identification switched off. */
  @Test
  void clientRejectsAHostNameTheCertificateDoesNotCover() throws Exception {
    SSLContext client = trusting(ca.certificate());

    assertThatThrownBy(() -> exchange("webhook.example", client))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("webhook.example");
  }

  private record Session(int reply, Certificate serverCertificate) {}

  /**
   * Serves one connection on 127.0.0.1 that answers a byte with that byte plus one, and connects
   * to it as {@code host}: the name is what endpoint identification and SNI check, while the TCP
   * connection always goes to the loopback address, so no name resolution is involved.
   */
  private static Session exchange(String host, SSLContext client) throws Exception {
    InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    SSLContext serverContext = serving(issued);
    try (SSLServerSocket server =
        (SSLServerSocket)
            serverContext.getServerSocketFactory().createServerSocket(0, 1, loopback)) {
      server.setSoTimeout(TIMEOUT_MILLIS);
      Future<Integer> served = serverThread.submit(() -> answerOnce(server));
      Session session = connect(loopback, server.getLocalPort(), host, client);
      // Only after the client has closed: closing a TLS 1.3 socket on the server waits for the
      // client's close_notify.
      assertThat(served.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)).isEqualTo((int) PING);
      return session;
    }
  }

  private static Session connect(InetAddress address, int port, String host, SSLContext client)
      throws Exception {
    try (Socket tcp = new Socket()) {
      tcp.connect(new InetSocketAddress(address, port), TIMEOUT_MILLIS);
      tcp.setSoTimeout(TIMEOUT_MILLIS);
      try (SSLSocket tls =
          (SSLSocket) client.getSocketFactory().createSocket(tcp, host, port, true)) {
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        tls.getOutputStream().write(PING);
        tls.getOutputStream().flush();
        int reply = tls.getInputStream().read();
        return new Session(reply, tls.getSession().getPeerCertificates()[0]);
      }
    }
  }

  private static int answerOnce(SSLServerSocket server) throws Exception {
    try (Socket connection = server.accept()) {
      connection.setSoTimeout(TIMEOUT_MILLIS);
      InputStream in = connection.getInputStream();
      OutputStream out = connection.getOutputStream();
      int received = in.read();
      out.write(received + 1);
      out.flush();
      return received;
    }
  }

  private static SSLContext serving(IssuedCertificate certificate) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(
        "tls",
        certificate.privateKey(),
        PASSWORD,
        new X509Certificate[] {certificate.certificate(), certificate.issuer()});
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(keys, PASSWORD);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(factory.getKeyManagers(), null, null);
    return context;
  }

  private static SSLContext trusting(X509Certificate anchor) throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("ca", anchor);
    TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
    factory.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }
}
