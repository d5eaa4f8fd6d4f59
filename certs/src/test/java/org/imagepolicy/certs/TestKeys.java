package org.imagepolicy.certs;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/** Test material built on the fly, so no key ever has to be checked in. */
final class TestKeys {

  /** RSA key generation is slow enough (~100 ms) to share one key pair across tests. */
  private static KeyPair rsaKeyPair;

  private TestKeys() {}

  static ServingCertSpec localhostSpec() {
    return new ServingCertSpec(List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1));
  }

  static synchronized KeyPair rsaKeyPair() {
    if (rsaKeyPair == null) {
      rsaKeyPair = newRsaKeyPair();
    }
    return rsaKeyPair;
  }

  static KeyPair newRsaKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A minimal self-signed RSA certificate, standing in for one made by another tool. */
  static X509Certificate selfSignedRsa(KeyPair keys) {
    X500Name name = new X500Name("CN=rsa.example");
    Instant now = Instant.now();
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              new JcaX509v3CertificateBuilder(
                      name,
                      BigInteger.ONE,
                      Date.from(now.minusSeconds(60)),
                      Date.from(now.plus(Duration.ofDays(1))),
                      name,
                      keys.getPublic())
                  .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes objects with BouncyCastle's {@link JcaPEMWriter}, which encodes RSA private keys as
   * PKCS#1 "RSA PRIVATE KEY", as {@code openssl genrsa -traditional} does.
   */
  static String traditionalPem(Object... objects) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      for (Object object : objects) {
        writer.writeObject(object);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /**
   * A SEC1 "EC PRIVATE KEY" laid out as openssl writes it: the curve's OID in [0] and the public
   * point in [1]. (JcaPEMWriter would leave out the curve, which no key file from openssl does.)
   */
  static String sec1Pem(ECPrivateKey key, PublicKey publicKey) {
    ASN1BitString point =
        SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()).getPublicKeyData();
    org.bouncycastle.asn1.sec.ECPrivateKey sec1 =
        new org.bouncycastle.asn1.sec.ECPrivateKey(
            256, key.getS(), point, SECObjectIdentifiers.secp256r1);
    try {
      return traditionalPem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
