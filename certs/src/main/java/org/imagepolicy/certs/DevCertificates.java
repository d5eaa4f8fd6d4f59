package org.imagepolicy.certs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Self-signed certificates for running the webhook outside a cluster.
 *
 * <p>Files are reused across restarts whenever they are still good, so that a developer who
 * trusted {@code ca.crt} once (e.g. {@code curl --cacert DIR/ca.crt}) keeps working. The CA key
 * is not kept: when anything has to change, a new CA is generated and must be trusted again.
 */
public final class DevCertificates {

  static final String CA_COMMON_NAME = "image-policy-webhook development CA";
  static final Duration CA_VALIDITY = Duration.ofDays(365);
  static final Duration SERVING_VALIDITY = Duration.ofDays(90);
  /** Replace early so that a long-running dev server does not hit expiry mid-session. */
  static final Duration RENEW_BEFORE = Duration.ofDays(7);

  private static final int SAN_DNS = 2;
  private static final int SAN_IP = 7;

  /**
   * Where the files are and whether they were kept from an earlier run.
   *
   * @param caCertificate {@code ca.crt}, the certificate clients should trust
   * @param certificate {@code tls.crt}, the serving certificate
   * @param privateKey {@code tls.key}, its PKCS#8 private key
   * @param reused true if the existing files were good enough and left untouched
   */
  public record Written(Path caCertificate, Path certificate, Path privateKey, boolean reused) {}

  private DevCertificates() {}

  /**
   * Makes sure {@code dir} holds a CA and a serving certificate that covers the given names and
   * stays valid for at least {@link #RENEW_BEFORE}; generates and overwrites them otherwise.
   *
   * @throws IllegalArgumentException if the names are invalid (see {@link ServingCertSpec})
   * @throws UncheckedIOException if the directory or files cannot be written
   */
  public static Written ensure(Path dir, List<String> dnsNames, List<String> ipAddresses) {
    Objects.requireNonNull(dir, "dir");
    ServingCertSpec spec = new ServingCertSpec(dnsNames, ipAddresses, SERVING_VALIDITY);
    Path caFile = dir.resolve("ca.crt");
    Path certFile = dir.resolve("tls.crt");
    Path keyFile = dir.resolve("tls.key");
    if (reusable(caFile, certFile, keyFile, spec)) {
      return new Written(caFile, certFile, keyFile, true);
    }
    IssuedCertificate issued =
        CertificateAuthority.generate(CA_COMMON_NAME, CA_VALIDITY).issue(spec);
    try {
      Files.createDirectories(dir);
      AtomicFiles.write(caFile, Pem.encode(issued.issuer()), AtomicFiles.WORLD_READABLE);
      // Certificate last: watchers typically reload when tls.crt changes, and by then the
      // matching key is already in place.
      AtomicFiles.write(keyFile, issued.privateKeyPem(), AtomicFiles.OWNER_ONLY);
      AtomicFiles.write(certFile, issued.certificatePem(), AtomicFiles.WORLD_READABLE);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write development certificates to " + dir, e);
    }
    return new Written(caFile, certFile, keyFile, false);
  }

  /** Any problem reading or checking the existing files simply means they are not reused. */
  private static boolean reusable(Path caFile, Path certFile, Path keyFile, ServingCertSpec spec) {
    if (!(Files.isRegularFile(caFile) && Files.isRegularFile(certFile)
        && Files.isRegularFile(keyFile))) {
      return false;
    }
    try {
      X509Certificate ca = Pem.readCertificates(Files.readString(caFile)).get(0);
      CertificatePair pair =
          CertificatePair.parse(Files.readString(certFile), Files.readString(keyFile));
      X509Certificate leaf = pair.leaf();
      leaf.verify(ca.getPublicKey());
      Instant renewal = Instant.now().plus(RENEW_BEFORE);
      return validFromNowUntil(ca, renewal)
          && validFromNowUntil(leaf, renewal)
          && covers(leaf, spec);
    } catch (IOException
        | PemException
        | GeneralSecurityException
        | IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean validFromNowUntil(X509Certificate certificate, Instant instant) {
    return !certificate.getNotBefore().toInstant().isAfter(Instant.now())
        && certificate.getNotAfter().toInstant().isAfter(instant);
  }

  /** Compares IPs as addresses because "::1" and "0:0:0:0:0:0:0:1" are the same name. */
  private static boolean covers(X509Certificate leaf, ServingCertSpec spec)
      throws CertificateParsingException {
    Set<String> dnsNames = new HashSet<>();
    Set<InetAddress> addresses = new HashSet<>();
    Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
    for (List<?> san : sans == null ? List.<List<?>>of() : sans) {
      int type = (Integer) san.get(0);
      if (type == SAN_DNS) {
        dnsNames.add(((String) san.get(1)).toLowerCase(Locale.ROOT));
      } else if (type == SAN_IP) {
        addresses.add(IpLiterals.parse((String) san.get(1)));
      }
    }
    return spec.dnsNames().stream().allMatch(n -> dnsNames.contains(n.toLowerCase(Locale.ROOT)))
        && spec.ipAddresses().stream().allMatch(ip -> addresses.contains(IpLiterals.parse(ip)));
  }
}
