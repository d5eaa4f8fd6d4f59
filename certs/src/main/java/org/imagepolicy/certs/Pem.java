package org.imagepolicy.certs;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Reads and writes the PEM files that Kubernetes secrets, cert-manager and openssl produce.
 *
 * <p>Reading is strict: a file must contain only the kind of object asked for, so that a swapped
 * or mislabelled file is reported instead of half-used. Messages name the offending PEM block
 * type and never include its content.
 */
public final class Pem {

  private static final String UNENCRYPTED_KEY_HINT =
      "key is encrypted; provide an unencrypted PKCS#8, PKCS#1 or EC key";

  private Pem() {}

  public static String encode(X509Certificate certificate) {
    Objects.requireNonNull(certificate, "certificate");
    try {
      return write(new PemObject("CERTIFICATE", certificate.getEncoded()));
    } catch (CertificateEncodingException e) {
      throw new PemException("the certificate cannot be encoded", e);
    }
  }

  /** Writes PKCS#8 ("PRIVATE KEY"), the one format every TLS stack reads for any algorithm. */
  public static String encode(PrivateKey privateKey) {
    Objects.requireNonNull(privateKey, "privateKey");
    if (!"PKCS#8".equals(privateKey.getFormat()) || privateKey.getEncoded() == null) {
      throw new PemException(
          "the " + privateKey.getAlgorithm() + " private key cannot be exported as PKCS#8"
              + " (it may live in a hardware token)");
    }
    return write(new PemObject("PRIVATE KEY", privateKey.getEncoded()));
  }

  /** Reads every certificate in order; fails if there is none or if anything else is present. */
  public static List<X509Certificate> readCertificates(String pem) {
    Objects.requireNonNull(pem, "pem");
    List<X509Certificate> certificates = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    for (Object block : parse(pem, "certificate")) {
      if (!(block instanceof X509CertificateHolder holder)) {
        throw new PemException(
            "expected certificates but found a " + PemBlocks.describe(block) + " block");
      }
      try {
        certificates.add(converter.getCertificate(holder));
      } catch (CertificateException e) {
        throw new PemException(
            "certificate #" + (certificates.size() + 1) + " could not be decoded: "
                + e.getMessage(),
            e);
      }
    }
    if (certificates.isEmpty()) {
      throw new PemException("no PEM certificate found");
    }
    return List.copyOf(certificates);
  }

  /**
   * Reads exactly one unencrypted private key in PKCS#8, PKCS#1 (RSA) or SEC1 (EC) form. An
   * "EC PARAMETERS" block, which {@code openssl ecparam -genkey} writes before the key, is
   * skipped because the key repeats the curve.
   */
  public static PrivateKey readPrivateKey(String pem) {
    Objects.requireNonNull(pem, "pem");
    List<PrivateKeyInfo> keys = new ArrayList<>();
    for (Object block : parse(pem, "private key")) {
      if (block instanceof PrivateKeyInfo info) {
        keys.add(info);
      } else if (block instanceof PEMKeyPair pair) {
        keys.add(pair.getPrivateKeyInfo());
      } else if (block instanceof PKCS8EncryptedPrivateKeyInfo
          || block instanceof PEMEncryptedKeyPair) {
        throw new PemException(UNENCRYPTED_KEY_HINT);
      } else if (!(block instanceof ASN1ObjectIdentifier || block instanceof X9ECParameters)) {
        throw new PemException(
            "expected a private key but found a " + PemBlocks.describe(block) + " block");
      }
    }
    if (keys.isEmpty()) {
      throw new PemException("no PEM private key found");
    }
    if (keys.size() > 1) {
      throw new PemException(
          "found " + keys.size() + " private keys; provide exactly one key per file");
    }
    PrivateKeyInfo key = keys.get(0);
    try {
      return new JcaPEMKeyConverter().getPrivateKey(key);
    } catch (IOException e) {
      throw new PemException(
          "the " + PemBlocks.algorithmName(key) + " private key is malformed or uses an"
              + " algorithm this JDK does not support",
          e);
    }
  }

  private static List<Object> parse(String pem, String wanted) {
    List<Object> blocks = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
        blocks.add(block);
      }
    } catch (IOException | RuntimeException e) {
      // BouncyCastle reports truncated blocks, bad base64 and broken DER in messages that
      // describe structure only (lengths, tags, block names), which helps locate the damage.
      throw new PemException(
          "malformed PEM " + wanted + " (PEM block #" + (blocks.size() + 1) + "): "
              + e.getMessage(),
          e);
    }
    return blocks;
  }

  private static String write(PemObject object) {
    StringWriter out = new StringWriter();
    try (PemWriter writer = new PemWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to a StringWriter cannot fail", e);
    }
    return out.toString();
  }
}
