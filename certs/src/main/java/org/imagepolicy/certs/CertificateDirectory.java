package org.imagepolicy.certs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A directory of {@code ca.crt}, {@code ca.key}, {@code tls.crt} and {@code tls.key}: what
 * {@code certs generate} and {@code certs renew} maintain.
 *
 * <p>The CA is kept and reused: every client (the API server, through the webhook configurations'
 * caBundle) trusts the CA, so renewing only the serving certificate changes nothing for them. A
 * new CA is made only when there is none, or when the old one would expire within renew-before.
 */
public final class CertificateDirectory {

  public static final String CA_CERT = "ca.crt";
  public static final String CA_KEY = "ca.key";
  public static final String TLS_CERT = "tls.crt";
  public static final String TLS_KEY = "tls.key";
  static final String CA_COMMON_NAME = "image-policy-webhook CA";

  private final Path dir;

  public CertificateDirectory(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir");
  }

  /**
   * What {@code generate} asks for.
   *
   * @param spec the serving certificate's names and validity
   * @param keyType the key type for a new CA and the serving certificate
   * @param caValidity the validity of a CA made now
   * @param renewBefore a CA expiring within this is replaced rather than reused
   */
  public record Request(ServingCertSpec spec, KeyType keyType, Duration caValidity, Duration renewBefore) {
    public Request {
      Objects.requireNonNull(spec, "spec");
      Objects.requireNonNull(keyType, "keyType");
      if (caValidity == null || caValidity.compareTo(spec.validity()) < 0) {
        throw new IllegalArgumentException(
            "the CA validity (" + caValidity + ") must be at least the certificate's (" + spec.validity() + ")");
      }
      Objects.requireNonNull(renewBefore, "renewBefore");
    }
  }

  /**
   * What was done.
   *
   * @param ca the CA certificate (reused or new)
   * @param issued the new serving certificate, or null when renewal was not due
   * @param caReused whether the CA in the directory was kept
   */
  public record Outcome(X509Certificate ca, IssuedCertificate issued, boolean caReused) {}

  public Path dir() {
    return dir;
  }

  /** Issues a new serving certificate, reusing the directory's CA when it is good for long enough. */
  public Outcome generate(Request request, Instant now) throws IOException {
    CertificateAuthority existing = readCa();
    boolean reuse = existing != null
        && !CertificateInfo.of(existing.certificate()).renewalDue(now, request.renewBefore());
    CertificateAuthority ca = reuse
        ? existing
        : CertificateAuthority.generate(CA_COMMON_NAME, request.caValidity(), request.keyType());
    IssuedCertificate issued = ca.issue(request.spec(), request.keyType());
    write(ca, issued, !reuse);
    return new Outcome(ca.certificate(), issued, reuse);
  }

  /**
   * Renews {@code tls.crt} with the directory's CA when it is within {@code renewBefore} of expiry,
   * for the same names, for {@code validity}; otherwise leaves everything as it is.
   *
   * @throws PemException when a file is missing, unreadable, or the certificate is not the CA's
   */
  public Outcome renew(Duration renewBefore, Duration validity, Instant now) throws IOException {
    CertificateAuthority ca = readCa();
    if (ca == null) {
      throw new PemException(
          "no CA in " + dir + " (" + CA_CERT + " and " + CA_KEY + "); run certs generate first");
    }
    X509Certificate current = readLeaf();
    try {
      current.verify(ca.certificate().getPublicKey());
    } catch (java.security.GeneralSecurityException e) {
      throw new PemException(dir.resolve(TLS_CERT) + " was not issued by " + dir.resolve(CA_CERT), e);
    }
    CertificateInfo info = CertificateInfo.of(current);
    if (!info.renewalDue(now, renewBefore)) {
      return new Outcome(ca.certificate(), null, true);
    }
    IssuedCertificate issued =
        ca.issue(
            new ServingCertSpec(info.dnsNames(), info.ipAddresses(), validity),
            keyTypeOf(current));
    write(ca, issued, false);
    return new Outcome(ca.certificate(), issued, true);
  }

  /** The serving certificate in the directory. */
  public X509Certificate readLeaf() throws IOException {
    Path file = dir.resolve(TLS_CERT);
    if (!Files.isRegularFile(file)) {
      throw new PemException("no serving certificate at " + file + "; run certs generate first");
    }
    return Pem.readCertificates(Files.readString(file)).get(0);
  }

  /** The CA in the directory, or null when either file is missing. */
  public CertificateAuthority readCa() throws IOException {
    Path cert = dir.resolve(CA_CERT);
    Path key = dir.resolve(CA_KEY);
    if (!Files.isRegularFile(cert) || !Files.isRegularFile(key)) {
      return null;
    }
    try {
      return CertificateAuthority.of(
          Pem.readCertificates(Files.readString(cert)).get(0), Pem.readPrivateKey(Files.readString(key)));
    } catch (PemException e) {
      throw new PemException(cert + " and " + key + ": " + e.getMessage(), e);
    }
  }

  /** Loads the CA held as PEM text (for example in a Kubernetes Secret). */
  public static CertificateAuthority caFromPem(String certificatePem, String keyPem) {
    return CertificateAuthority.of(Pem.readCertificates(certificatePem).get(0), Pem.readPrivateKey(keyPem));
  }

  private static KeyType keyTypeOf(X509Certificate certificate) {
    String described = CertificateInfo.of(certificate).keyType();
    return switch (described) {
      case "RSA 2048" -> KeyType.RSA_2048;
      case "RSA 3072" -> KeyType.RSA_3072;
      case "RSA 4096" -> KeyType.RSA_4096;
      default -> KeyType.EC_P256;
    };
  }

  /** Keys before certificates: a watcher that reloads on tls.crt finds its key already there. */
  private void write(CertificateAuthority ca, IssuedCertificate issued, boolean newCa) throws IOException {
    Files.createDirectories(dir);
    if (newCa) {
      AtomicFiles.write(dir.resolve(CA_KEY), Pem.encode(ca.privateKey()), AtomicFiles.OWNER_ONLY);
      AtomicFiles.write(dir.resolve(CA_CERT), Pem.encode(ca.certificate()), AtomicFiles.WORLD_READABLE);
    }
    AtomicFiles.write(dir.resolve(TLS_KEY), issued.privateKeyPem(), AtomicFiles.OWNER_ONLY);
    AtomicFiles.write(dir.resolve(TLS_CERT), issued.certificatePem(), AtomicFiles.WORLD_READABLE);
  }

  /** Writes {@code content} next to the certificates, replaced atomically, readable by the owner only. */
  public void writePrivate(String fileName, String content) throws IOException {
    AtomicFiles.write(dir.resolve(fileName), content, AtomicFiles.OWNER_ONLY);
  }

  /** Writes {@code content} next to the certificates, replaced atomically. */
  public void writePublic(String fileName, String content) throws IOException {
    AtomicFiles.write(dir.resolve(fileName), content, AtomicFiles.WORLD_READABLE);
  }

  /** The DNS names a webhook Service is dialled by, most specific first, then the extra ones. */
  public static List<String> serviceNames(String service, String namespace, List<String> extra) {
    List<String> names = new java.util.ArrayList<>(List.of(
        service, service + "." + namespace, service + "." + namespace + ".svc",
        service + "." + namespace + ".svc.cluster.local"));
    for (String name : extra) {
      if (!names.contains(name)) {
        names.add(name);
      }
    }
    // The fully qualified in-cluster name first: it becomes the CN, the name the API server dials.
    names.remove(service + "." + namespace + ".svc");
    names.add(0, service + "." + namespace + ".svc");
    return List.copyOf(names);
  }

  /** PEM text of the CA's private key, for callers that store it elsewhere (a Secret). */
  public static String keyPem(PrivateKey key) {
    return Pem.encode(key);
  }
}
