package org.imagepolicy.certs;

import java.math.BigInteger;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What an operator needs to know about a certificate before it bites: who it names, who signed
 * it, and how long it has left.
 *
 * @param subject the subject distinguished name
 * @param dnsNames the DNS SubjectAlternativeNames
 * @param ipAddresses the IP SubjectAlternativeNames
 * @param issuer the issuer distinguished name
 * @param serial the serial number in hexadecimal
 * @param keyType such as "EC P-256" or "RSA 2048"
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param ca whether it is a CA certificate
 */
public record CertificateInfo(
    String subject,
    List<String> dnsNames,
    List<String> ipAddresses,
    String issuer,
    String serial,
    String keyType,
    Instant notBefore,
    Instant notAfter,
    boolean ca) {

  private static final int SAN_DNS = 2;
  private static final int SAN_IP = 7;

  public CertificateInfo {
    dnsNames = List.copyOf(dnsNames);
    ipAddresses = List.copyOf(ipAddresses);
  }

  public static CertificateInfo of(X509Certificate certificate) {
    List<String> dns = new ArrayList<>();
    List<String> ips = new ArrayList<>();
    try {
      Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
      for (List<?> san : sans == null ? List.<List<?>>of() : sans) {
        int type = (Integer) san.get(0);
        if (type == SAN_DNS) {
          dns.add((String) san.get(1));
        } else if (type == SAN_IP) {
          ips.add((String) san.get(1));
        }
      }
    } catch (CertificateParsingException e) {
      throw new PemException("the certificate's subjectAltName cannot be read: " + e.getMessage(), e);
    }
    return new CertificateInfo(
        certificate.getSubjectX500Principal().getName(),
        dns,
        ips,
        certificate.getIssuerX500Principal().getName(),
        hex(certificate.getSerialNumber()),
        describe(certificate.getPublicKey()),
        certificate.getNotBefore().toInstant(),
        certificate.getNotAfter().toInstant(),
        certificate.getBasicConstraints() >= 0);
  }

  /** Whole days until expiry, rounded down; negative once expired. */
  public long daysLeft(Instant now) {
    return Math.floorDiv(Duration.between(now, notAfter).getSeconds(), Duration.ofDays(1).getSeconds());
  }

  /** True when the certificate has expired or expires within {@code renewBefore} of {@code now}. */
  public boolean renewalDue(Instant now, Duration renewBefore) {
    return !notAfter.isAfter(now.plus(renewBefore));
  }

  private static String hex(BigInteger serial) {
    String digits = serial.toString(16);
    return digits.length() % 2 == 0 ? digits : "0" + digits;
  }

  private static String describe(PublicKey key) {
    if (key instanceof ECPublicKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      return bits == 256 ? "EC P-256" : "EC " + bits + "-bit";
    }
    if (key instanceof RSAPublicKey rsa) {
      return "RSA " + rsa.getModulus().bitLength();
    }
    return key.getAlgorithm();
  }
}
