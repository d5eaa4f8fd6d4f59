package org.imagepolicy.certs;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A freshly issued serving certificate, its private key and the CA certificate that signed it.
 *
 * @param certificate the leaf certificate a TLS server presents
 * @param privateKey the leaf's private key
 * @param issuer the CA certificate clients must trust
 */
public record IssuedCertificate(
    X509Certificate certificate, PrivateKey privateKey, X509Certificate issuer) {

  public IssuedCertificate {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(issuer, "issuer");
  }

  public String certificatePem() {
    return Pem.encode(certificate);
  }

  /** Leaf first, as TLS servers must send it. */
  public String chainPem() {
    return Pem.encode(certificate) + Pem.encode(issuer);
  }

  public String privateKeyPem() {
    return Pem.encode(privateKey);
  }

  /** Leaves the key out, since what a key prints depends on its provider. */
  @Override
  public String toString() {
    return "IssuedCertificate[" + certificate.getSubjectX500Principal().getName() + "]";
  }
}
