package org.imagepolicy.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {

  private static final String BASIC_CONSTRAINTS = "2.5.29.19";
  private static final String KEY_USAGE = "2.5.29.15";
  private static final String SUBJECT_KEY_ID = "2.5.29.14";
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  // X509Certificate#getKeyUsage indexes, in RFC 5280 order.
  private static final int DIGITAL_SIGNATURE = 0;
  private static final int KEY_CERT_SIGN = 5;
  private static final int CRL_SIGN = 6;

  private static CertificateAuthority ca;
  private static IssuedCertificate issued;
  private static Instant issuedAt;

  @BeforeAll
  static void issue() {
    issuedAt = Instant.now();
    ca = CertificateAuthority.generate("test CA", Duration.ofDays(30));
    issued =
        ca.issue(
            new ServingCertSpec(
                List.of("webhook.system.svc", "localhost"),
                List.of("127.0.0.1", "::1"),
                Duration.ofDays(2)));
  }

  @Test
  void caCertificateIsASelfSignedP256CaThatCanOnlySignLeaves() throws Exception {
    X509Certificate cert = ca.certificate();

    cert.verify(cert.getPublicKey());
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=test CA");
    assertThat(cert.getIssuerX500Principal()).isEqualTo(cert.getSubjectX500Principal());
    assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(((ECPublicKey) cert.getPublicKey()).getParams().getCurve().getField().getFieldSize())
        .isEqualTo(256);
    assertThat(ca.privateKey().getAlgorithm()).isEqualTo("EC");
    assertThat(cert.getBasicConstraints()).isZero();
    assertThat(cert.getCriticalExtensionOIDs()).contains(BASIC_CONSTRAINTS, KEY_USAGE);
    assertThat(setBits(cert.getKeyUsage())).containsExactly(KEY_CERT_SIGN, CRL_SIGN);
    assertThat(cert.getExtensionValue(SUBJECT_KEY_ID)).isNotNull();
  }

  @Test
  void caValidityStartsFiveMinutesEarlyForClockSkew() {
    X509Certificate cert = ca.certificate();

    assertThat(cert.getNotBefore().toInstant())
        .isCloseTo(issuedAt.minus(Duration.ofMinutes(5)), within(5, ChronoUnit.SECONDS));
    assertThat(cert.getNotAfter().toInstant())
        .isCloseTo(issuedAt.plus(Duration.ofDays(30)), within(5, ChronoUnit.SECONDS));
  }

  @Test
  void issuedCertificateIsSignedByTheCaAndPassesPkixValidation() throws Exception {
    X509Certificate leaf = issued.certificate();

    leaf.verify(ca.certificate().getPublicKey());
    assertThat(issued.issuer()).isEqualTo(ca.certificate());

    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    PKIXParameters parameters =
        new PKIXParameters(Set.of(new TrustAnchor(ca.certificate(), null)));
    parameters.setRevocationEnabled(false);
    assertThatCode(
            () ->
                CertPathValidator.getInstance("PKIX")
                    .validate(factory.generateCertPath(List.of(leaf)), parameters))
        .doesNotThrowAnyException();
  }

  @Test
  void issuedCertificateIsAServerLeafWithTheRequestedNames() throws Exception {
    X509Certificate leaf = issued.certificate();

    assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=webhook.system.svc");
    assertThat(leaf.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
    assertThat(leaf.getSubjectAlternativeNames())
        .containsExactlyInAnyOrder(
            List.of(2, "webhook.system.svc"),
            List.of(2, "localhost"),
            List.of(7, "127.0.0.1"),
            List.of(7, "0:0:0:0:0:0:0:1"));
    assertThat(leaf.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
    assertThat(setBits(leaf.getKeyUsage())).containsExactly(DIGITAL_SIGNATURE);
    assertThat(leaf.getCriticalExtensionOIDs()).contains(KEY_USAGE, BASIC_CONSTRAINTS);
    assertThat(leaf.getExtensionValue(BASIC_CONSTRAINTS)).isNotNull();
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(issued.privateKey().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void authorityKeyIdentifierNamesTheCaKey() throws Exception {
    Extensions caExtensions = new JcaX509CertificateHolder(ca.certificate()).getExtensions();
    Extensions leafExtensions = new JcaX509CertificateHolder(issued.certificate()).getExtensions();

    assertThat(
            AuthorityKeyIdentifier.fromExtensions(leafExtensions)
                .getKeyIdentifierObject()
                .getOctets())
        .isEqualTo(SubjectKeyIdentifier.fromExtensions(caExtensions).getKeyIdentifier());
    assertThat(SubjectKeyIdentifier.fromExtensions(leafExtensions)).isNotNull();
  }

  @Test
  void serialsArePositiveRandom128BitNumbers() {
    X509Certificate other = ca.issue(TestKeys.localhostSpec()).certificate();

    for (X509Certificate cert : List.of(ca.certificate(), issued.certificate(), other)) {
      assertThat(cert.getSerialNumber().signum()).isPositive();
      assertThat(cert.getSerialNumber().bitLength()).isEqualTo(128);
    }
    assertThat(other.getSerialNumber()).isNotEqualTo(issued.certificate().getSerialNumber());
  }

  @Test
  void leafValidityFollowsTheSpecButNeverOutlivesTheCa() {
    assertThat(issued.certificate().getNotBefore().toInstant())
        .isCloseTo(issuedAt.minus(Duration.ofMinutes(5)), within(5, ChronoUnit.SECONDS));
    assertThat(issued.certificate().getNotAfter().toInstant())
        .isCloseTo(issuedAt.plus(Duration.ofDays(2)), within(5, ChronoUnit.SECONDS));

    X509Certificate longLived =
        ca.issue(new ServingCertSpec(List.of("localhost"), List.of(), Duration.ofDays(400)))
            .certificate();
    assertThat(longLived.getNotAfter()).isEqualTo(ca.certificate().getNotAfter());
  }

  @Test
  void eachIssuedCertificateGetsItsOwnKey() {
    IssuedCertificate other = ca.issue(TestKeys.localhostSpec());

    assertThat(other.privateKey().getEncoded()).isNotEqualTo(issued.privateKey().getEncoded());
    assertThat(other.privateKey().getEncoded()).isNotEqualTo(ca.privateKey().getEncoded());
  }

  @Test
  void pemViewsOfTheIssuedCertificate() {
    assertThat(Pem.readCertificates(issued.certificatePem()))
        .containsExactly(issued.certificate());
    assertThat(Pem.readCertificates(issued.chainPem()))
        .containsExactly(issued.certificate(), ca.certificate());
    assertThat(issued.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Pem.readPrivateKey(issued.privateKeyPem())).isEqualTo(issued.privateKey());
  }

  @Test
  void toStringNeverShowsTheKey() {
    String keyBase64 =
        Base64.getEncoder().encodeToString(issued.privateKey().getEncoded());

    assertThat(issued.toString()).isEqualTo("IssuedCertificate[CN=webhook.system.svc]")
        .doesNotContain(keyBase64);
    assertThat(ca.toString()).isEqualTo("CertificateAuthority[CN=test CA]");
  }

  @Test
  void rejectsBadCaParameters() {
    assertThatThrownBy(() -> CertificateAuthority.generate(" ", Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the CA common name must not be blank");
    assertThatThrownBy(() -> CertificateAuthority.generate("ca", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("CA validity must be a positive duration, got PT0S");
  }

  private static List<Integer> setBits(boolean[] bits) {
    return IntStream.range(0, bits.length).filter(i -> bits[i]).boxed().toList();
  }
}
