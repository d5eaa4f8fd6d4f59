package org.imagepolicy.certs;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The {@code kubernetes.io/tls} Secret manifest for an issued certificate, and the base64 CA bundle
 * that webhook configurations carry in {@code caBundle}. Text only: {@code kubectl apply -f} it.
 */
public final class KubernetesTlsSecret {

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  private KubernetesTlsSecret() {}

  public static String manifest(String name, String namespace, IssuedCertificate issued) {
    requireName("secret name", name);
    requireName("namespace", namespace);
    return "apiVersion: v1\n"
        + "kind: Secret\n"
        + "type: kubernetes.io/tls\n"
        + "metadata:\n"
        + "  name: " + name + "\n"
        + "  namespace: " + namespace + "\n"
        + "data:\n"
        + "  tls.crt: " + base64(issued.certificatePem()) + "\n"
        + "  tls.key: " + base64(issued.privateKeyPem()) + "\n"
        + "  ca.crt: " + base64(Pem.encode(issued.issuer())) + "\n";
  }

  /** The CA certificate's PEM, base64-encoded once more, as {@code caBundle} fields take it. */
  public static String caBundle(java.security.cert.X509Certificate ca) {
    return base64(Pem.encode(ca));
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }

  private static void requireName(String what, String value) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "'" + value + "' is not a valid Kubernetes " + what + " (lower-case letters, digits, '-' and '.')");
    }
  }
}
