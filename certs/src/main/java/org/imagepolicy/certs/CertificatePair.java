package org.imagepolicy.certs;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A certificate chain together with the private key of its first certificate: what a TLS server
 * needs, checked to actually fit together.
 *
 * <p>Rotated files can be caught half-written or swapped for the wrong key; checking the pair
 * before use keeps a server on its old, working certificate instead of one it cannot serve with.
 *
 * @param chain the leaf certificate first, then any intermediates
 * @param privateKey the private key belonging to the leaf
 */
public record CertificatePair(List<X509Certificate> chain, PrivateKey privateKey) {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String MISMATCH = "certificate and private key do not belong together";

  public CertificatePair {
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(privateKey, "privateKey");
    if (chain.isEmpty()) {
      throw new PemException("the certificate chain is empty; at least one certificate is needed");
    }
    chain = List.copyOf(chain);
    requireMatchingKey(chain.get(0).getPublicKey(), privateKey);
  }

  /** Parses PEM text (as read from tls.crt and tls.key) and checks that the key fits the leaf. */
  public static CertificatePair parse(String certificatePem, String privateKeyPem) {
    return new CertificatePair(
        Pem.readCertificates(certificatePem), Pem.readPrivateKey(privateKeyPem));
  }

  public X509Certificate leaf() {
    return chain.get(0);
  }

  public Instant notAfter() {
    return leaf().getNotAfter().toInstant();
  }

  /**
   * Proves possession by signing a random challenge, which works uniformly for RSA and EC instead
   * of comparing algorithm-specific key parameters.
   */
  private static void requireMatchingKey(PublicKey publicKey, PrivateKey privateKey) {
    if (!publicKey.getAlgorithm().equals(privateKey.getAlgorithm())) {
      throw new PemException(
          MISMATCH + " (certificate key: " + publicKey.getAlgorithm() + ", private key: "
              + privateKey.getAlgorithm() + ")");
    }
    String algorithm = signatureAlgorithm(privateKey.getAlgorithm());
    byte[] challenge = new byte[32];
    RANDOM.nextBytes(challenge);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      if (verifier.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      // verify() throws rather than returning false when the signature does not even fit the
      // public key's parameters (another curve, say); that is a mismatch as well.
      throw new PemException(MISMATCH, e);
    }
    throw new PemException(MISMATCH);
  }

  private static String signatureAlgorithm(String keyAlgorithm) {
    return switch (keyAlgorithm) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> throw new PemException(
          "unsupported key algorithm " + keyAlgorithm + "; use an RSA or EC key");
    };
  }

  /** Leaves the key out, since what a key prints depends on its provider. */
  @Override
  public String toString() {
    return "CertificatePair[" + leaf().getSubjectX500Principal().getName() + ", notAfter="
        + notAfter() + "]";
  }
}
