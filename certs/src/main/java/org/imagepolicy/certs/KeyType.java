package org.imagepolicy.certs;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The key types {@code certs generate --key-type} offers. P-256 is the default: small keys and the
 * fastest handshakes; RSA is there for clients or policies that still require it.
 */
public enum KeyType {
  EC_P256("ec-p256", "SHA256withECDSA"),
  RSA_2048("rsa-2048", "SHA256withRSA"),
  RSA_3072("rsa-3072", "SHA256withRSA"),
  RSA_4096("rsa-4096", "SHA256withRSA");

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String label;
  private final String signatureAlgorithm;

  KeyType(String label, String signatureAlgorithm) {
    this.label = label;
    this.signatureAlgorithm = signatureAlgorithm;
  }

  /** The name used on the command line, such as {@code ec-p256}. */
  public String label() {
    return label;
  }

  String signatureAlgorithm() {
    return signatureAlgorithm;
  }

  /** Reads a command-line label; the message lists the accepted ones. */
  public static KeyType parse(String label) {
    for (KeyType type : values()) {
      if (type.label.equalsIgnoreCase(label.trim())) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "unknown key type '" + label + "'; use one of "
            + Arrays.stream(values()).map(KeyType::label).collect(Collectors.joining(", ")));
  }

  /** The signature algorithm a key of this algorithm ("EC" or "RSA") signs with. */
  static String signatureAlgorithmFor(String keyAlgorithm) {
    return switch (keyAlgorithm) {
      case "EC" -> EC_P256.signatureAlgorithm;
      case "RSA" -> RSA_2048.signatureAlgorithm;
      default -> throw new IllegalArgumentException(
          "unsupported CA key algorithm " + keyAlgorithm + "; use an EC or RSA key");
    };
  }

  KeyPair newKeyPair() {
    try {
      if (this == EC_P256) {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
      }
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(Integer.parseInt(label.substring("rsa-".length())), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot generate " + label + " keys", e);
    }
  }
}
