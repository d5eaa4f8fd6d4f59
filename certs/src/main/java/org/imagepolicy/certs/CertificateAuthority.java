package org.imagepolicy.certs;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed certificate authority that issues TLS serving certificates.
 *
 * <p>Keys are ECDSA P-256: small, quick to generate and fast in TLS handshakes, which matters for
 * an admission webhook that the API server calls on every matching request. Only the JDK's own
 * providers are used, so nothing here registers BouncyCastle as a global JCA provider.
 */
public final class CertificateAuthority {

  /** Tolerates API servers and clients whose clocks run a little behind ours. */
  static final Duration CLOCK_SKEW_ALLOWANCE = Duration.ofMinutes(5);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate certificate;
  private final PrivateKey privateKey;

  private CertificateAuthority(X509Certificate certificate, PrivateKey privateKey) {
    this.certificate = certificate;
    this.privateKey = privateKey;
  }

  /** Creates a new P-256 CA with a fresh key; it may sign serving certificates but no further CAs. */
  public static CertificateAuthority generate(String commonName, Duration validity) {
    return generate(commonName, validity, KeyType.EC_P256);
  }

  /**
   * Takes up an existing CA, as read back from {@code ca.crt} and {@code ca.key}, so that renewed
   * serving certificates keep chaining to the certificate every client already trusts.
   *
   * @throws PemException if the key does not belong to the certificate or it is not a CA
   */
  public static CertificateAuthority of(X509Certificate certificate, PrivateKey privateKey) {
    new CertificatePair(java.util.List.of(certificate), privateKey); // checks the key fits
    if (certificate.getBasicConstraints() < 0) {
      throw new PemException(
          "the certificate " + certificate.getSubjectX500Principal().getName()
              + " is not a CA (no basicConstraints CA:TRUE)");
    }
    return new CertificateAuthority(certificate, privateKey);
  }

  /** Creates a new CA with a fresh key of the given type. */
  public static CertificateAuthority generate(String commonName, Duration validity, KeyType keyType) {
    if (commonName == null || commonName.isBlank()) {
      throw new IllegalArgumentException("the CA common name must not be blank");
    }
    if (validity == null || validity.isZero() || validity.isNegative()) {
      throw new IllegalArgumentException(
          "CA validity must be a positive duration, got " + validity);
    }
    KeyPair keys = keyType.newKeyPair();
    X500Name subject = commonNameOnly(commonName);
    Instant now = Instant.now();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            subject,
            newSerial(),
            Date.from(now.minus(CLOCK_SKEW_ALLOWANCE)),
            Date.from(now.plus(validity)),
            subject,
            keys.getPublic());
    try {
      JcaX509ExtensionUtils ids = new JcaX509ExtensionUtils();
      builder
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(
              Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(
              Extension.subjectKeyIdentifier,
              false,
              ids.createSubjectKeyIdentifier(keys.getPublic()));
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("could not build the CA certificate extensions", e);
    }
    return new CertificateAuthority(sign(builder, keys.getPrivate()), keys.getPrivate());
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public PrivateKey privateKey() {
    return privateKey;
  }

  /**
   * Issues a serving certificate with a freshly generated key.
   *
   * <p>The certificate never outlives this CA: a client could not validate it after the CA
   * expires anyway, so a later notAfter would only mislead whoever schedules rotation.
   */
  public IssuedCertificate issue(ServingCertSpec spec) {
    return issue(spec, KeyType.EC_P256);
  }

  /** Issues a serving certificate with a fresh key of the given type. */
  public IssuedCertificate issue(ServingCertSpec spec, KeyType keyType) {
    Objects.requireNonNull(spec, "spec");
    KeyPair keys = keyType.newKeyPair();
    Instant now = Instant.now();
    Instant notAfter = min(now.plus(spec.validity()), certificate.getNotAfter().toInstant());
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            certificate,
            newSerial(),
            Date.from(now.minus(CLOCK_SKEW_ALLOWANCE)),
            Date.from(notAfter),
            commonNameOnly(spec.commonName()),
            keys.getPublic());
    try {
      JcaX509ExtensionUtils ids = new JcaX509ExtensionUtils();
      builder
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          // RSA key exchange (TLS 1.2 RSA suites) also needs keyEncipherment; EC keys must not have it.
          .addExtension(
              Extension.keyUsage,
              true,
              new KeyUsage(
                  keyType == KeyType.EC_P256
                      ? KeyUsage.digitalSignature
                      : KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
          .addExtension(
              Extension.extendedKeyUsage,
              false,
              new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(Extension.subjectAlternativeName, false, subjectAltNames(spec))
          // Key identifier only, without issuer name and serial, so the leaf keeps chaining
          // to a CA certificate that is re-issued with the same key.
          .addExtension(
              Extension.authorityKeyIdentifier,
              false,
              ids.createAuthorityKeyIdentifier(certificate.getPublicKey()))
          .addExtension(
              Extension.subjectKeyIdentifier,
              false,
              ids.createSubjectKeyIdentifier(keys.getPublic()));
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("could not build the serving certificate extensions", e);
    }
    return new IssuedCertificate(sign(builder, privateKey), keys.getPrivate(), certificate);
  }

  private static GeneralNames subjectAltNames(ServingCertSpec spec) {
    return new GeneralNames(
        Stream.concat(
                spec.dnsNames().stream().map(name -> new GeneralName(GeneralName.dNSName, name)),
                spec.ipAddresses().stream()
                    .map(ip -> new GeneralName(GeneralName.iPAddress, ip)))
            .toArray(GeneralName[]::new));
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey) {
    try {
      String algorithm = KeyType.signatureAlgorithmFor(signingKey.getAlgorithm());
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(signingKey)));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("could not sign the certificate", e);
    }
  }

  /**
   * Setting the top bit keeps the serial positive and exactly 128 bits long while leaving 127
   * random bits, far more than the 64 that make serials unpredictable.
   */
  private static BigInteger newSerial() {
    return new BigInteger(128, RANDOM).setBit(127);
  }

  private static X500Name commonNameOnly(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  /** Names the CA by its subject; the key never appears in logs. */
  @Override
  public String toString() {
    return "CertificateAuthority[" + certificate.getSubjectX500Principal().getName() + "]";
  }
}
