package org.imagepolicy.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CertificatePairTest {

  private static final String MISMATCH = "certificate and private key do not belong together";

  private static CertificateAuthority ca;
  private static IssuedCertificate issued;
  private static IssuedCertificate other;

  @BeforeAll
  static void issue() {
    ca = CertificateAuthority.generate("pair test CA", Duration.ofDays(1));
    issued = ca.issue(TestKeys.localhostSpec());
    other = ca.issue(TestKeys.localhostSpec());
  }

  @Test
  void parsesAMatchingEcChainAndKey() {
    CertificatePair pair = CertificatePair.parse(issued.chainPem(), issued.privateKeyPem());

    assertThat(pair.chain()).containsExactly(issued.certificate(), ca.certificate());
    assertThat(pair.leaf()).isEqualTo(issued.certificate());
    assertThat(pair.privateKey()).isEqualTo(issued.privateKey());
    assertThat(pair.notAfter()).isEqualTo(issued.certificate().getNotAfter().toInstant());
  }

  @Test
  void parsesAMatchingRsaCertificateAndPkcs1Key() {
    KeyPair rsa = TestKeys.rsaKeyPair();
    X509Certificate certificate = TestKeys.selfSignedRsa(rsa);

    CertificatePair pair =
        CertificatePair.parse(Pem.encode(certificate), TestKeys.traditionalPem(rsa.getPrivate()));

    assertThat(pair.leaf()).isEqualTo(certificate);
    assertThat(pair.privateKey().getAlgorithm()).isEqualTo("RSA");
  }

  @Test
  void rejectsAnEcKeyFromAnotherCertificate() {
    assertThatThrownBy(() -> CertificatePair.parse(issued.certificatePem(), other.privateKeyPem()))
        .isInstanceOf(PemException.class)
        .hasMessage(MISMATCH);
  }

  /** The CA key signs the leaf, so the pair check must not confuse issuer and subject. */
  @Test
  void rejectsTheIssuersKey() {
    assertThatThrownBy(
            () -> CertificatePair.parse(issued.certificatePem(), Pem.encode(ca.privateKey())))
        .isInstanceOf(PemException.class)
        .hasMessage(MISMATCH);
  }

  @Test
  void rejectsAnRsaKeyFromAnotherCertificate() {
    X509Certificate certificate = TestKeys.selfSignedRsa(TestKeys.rsaKeyPair());
    KeyPair stranger = TestKeys.newRsaKeyPair();

    assertThatThrownBy(
            () -> CertificatePair.parse(Pem.encode(certificate), Pem.encode(stranger.getPrivate())))
        .isInstanceOf(PemException.class)
        .hasMessage(MISMATCH);
  }

  @Test
  void rejectsAKeyOfAnotherAlgorithm() {
    String rsaKey = Pem.encode(TestKeys.rsaKeyPair().getPrivate());

    assertThatThrownBy(() -> CertificatePair.parse(issued.certificatePem(), rsaKey))
        .isInstanceOf(PemException.class)
        .hasMessage(MISMATCH + " (certificate key: EC, private key: RSA)");
  }

  /** Checks the leaf, not just any certificate in the chain. */
  @Test
  void theKeyMustMatchTheFirstCertificate() {
    String chainInWrongOrder = Pem.encode(ca.certificate()) + issued.certificatePem();

    assertThatThrownBy(() -> CertificatePair.parse(chainInWrongOrder, issued.privateKeyPem()))
        .isInstanceOf(PemException.class)
        .hasMessage(MISMATCH);
  }

  @Test
  void requiresACertificate() {
    assertThatThrownBy(() -> CertificatePair.parse("", issued.privateKeyPem()))
        .isInstanceOf(PemException.class)
        .hasMessage("no PEM certificate found");
    assertThatThrownBy(() -> new CertificatePair(List.of(), issued.privateKey()))
        .isInstanceOf(PemException.class)
        .hasMessage("the certificate chain is empty; at least one certificate is needed");
  }

  @Test
  void toStringNeverShowsTheKey() {
    CertificatePair pair = new CertificatePair(List.of(issued.certificate()), issued.privateKey());

    assertThat(pair.toString())
        .isEqualTo("CertificatePair[CN=localhost, notAfter=" + pair.notAfter() + "]");
  }
}
