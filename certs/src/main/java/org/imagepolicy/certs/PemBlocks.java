package org.imagepolicy.certs;

import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.X509ObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.X509TrustedCertificateBlock;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Names the objects {@link org.bouncycastle.openssl.PEMParser} returns by the PEM label an
 * operator sees in the file, so error messages point at something recognisable.
 */
final class PemBlocks {

  private static final Map<ASN1ObjectIdentifier, String> KEY_ALGORITHMS =
      Map.of(
          PKCSObjectIdentifiers.rsaEncryption, "RSA",
          X509ObjectIdentifiers.id_ea_rsa, "RSA",
          X9ObjectIdentifiers.id_ecPublicKey, "EC",
          X9ObjectIdentifiers.id_dsa, "DSA");

  private PemBlocks() {}

  static String describe(Object block) {
    if (block instanceof X509CertificateHolder) {
      return "CERTIFICATE";
    } else if (block instanceof X509TrustedCertificateBlock) {
      return "TRUSTED CERTIFICATE";
    } else if (block instanceof PrivateKeyInfo) {
      return "PRIVATE KEY";
    } else if (block instanceof PEMKeyPair pair) {
      return algorithmName(pair.getPrivateKeyInfo()) + " PRIVATE KEY";
    } else if (block instanceof PKCS8EncryptedPrivateKeyInfo) {
      return "ENCRYPTED PRIVATE KEY";
    } else if (block instanceof PEMEncryptedKeyPair) {
      return "encrypted PRIVATE KEY";
    } else if (block instanceof SubjectPublicKeyInfo) {
      return "PUBLIC KEY";
    } else if (block instanceof PKCS10CertificationRequest) {
      return "CERTIFICATE REQUEST";
    } else if (block instanceof X509CRLHolder) {
      return "X509 CRL";
    } else if (block instanceof ASN1ObjectIdentifier || block instanceof X9ECParameters) {
      return "EC PARAMETERS";
    }
    return block.getClass().getSimpleName();
  }

  /** A short algorithm name such as "RSA" or "EC", or the OID when it is not a common one. */
  static String algorithmName(PrivateKeyInfo key) {
    ASN1ObjectIdentifier oid = key.getPrivateKeyAlgorithm().getAlgorithm();
    return KEY_ALGORITHMS.getOrDefault(oid, oid.getId());
  }
}
