package org.imagepolicy.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PemTest {

  private static final String ENCRYPTED =
      "key is encrypted; provide an unencrypted PKCS#8, PKCS#1 or EC key";

  /** Only the tests encrypt keys, and only they need BouncyCastle's ciphers; never installed. */
  private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

  private static CertificateAuthority ca;
  private static IssuedCertificate issued;

  @BeforeAll
  static void issue() {
    ca = CertificateAuthority.generate("pem test CA", Duration.ofDays(1));
    issued = ca.issue(TestKeys.localhostSpec());
  }

  @Test
  void certificateRoundTrip() {
    String pem = Pem.encode(issued.certificate());

    assertThat(pem)
        .startsWith("-----BEGIN CERTIFICATE-----\n")
        .endsWith("-----END CERTIFICATE-----\n");
    assertThat(Pem.readCertificates(pem)).containsExactly(issued.certificate());
  }

  @Test
  void chainKeepsItsOrder() {
    String pem = Pem.encode(ca.certificate()) + Pem.encode(issued.certificate());

    assertThat(Pem.readCertificates(pem)).containsExactly(ca.certificate(), issued.certificate());
  }

  @Test
  void textAroundTheBlocksIsIgnoredAsOpensslWritesIt() {
    String pem = "Certificate:\n    Data:\n        Version: 3 (0x2)\n" + issued.certificatePem();

    assertThat(Pem.readCertificates(pem)).containsExactly(issued.certificate());
  }

  @Test
  void pkcs8RoundTripForEcAndRsa() {
    PrivateKey rsa = TestKeys.rsaKeyPair().getPrivate();

    assertThat(Pem.encode(issued.privateKey())).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Pem.readPrivateKey(Pem.encode(issued.privateKey()))).isEqualTo(issued.privateKey());
    assertThat(Pem.readPrivateKey(Pem.encode(rsa)).getEncoded()).isEqualTo(rsa.getEncoded());
  }

  @Test
  void readsPkcs1RsaKeys() {
    PrivateKey rsa = TestKeys.rsaKeyPair().getPrivate();
    String pem = TestKeys.traditionalPem(rsa);

    assertThat(pem).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    PrivateKey read = Pem.readPrivateKey(pem);
    assertThat(read.getAlgorithm()).isEqualTo("RSA");
    assertThat(read.getEncoded()).isEqualTo(rsa.getEncoded());
  }

  @Test
  void readsSec1EcKeys() {
    String pem = sec1(issued);

    assertThat(pem).startsWith("-----BEGIN EC PRIVATE KEY-----");
    assertSameEcKey(Pem.readPrivateKey(pem), issued.privateKey());
  }

  @Test
  void readsSec1EcKeysPrecededByEcParametersAsOpensslEcparamWritesThem() throws Exception {
    PemObject parameters =
        new PemObject("EC PARAMETERS", X9ObjectIdentifiers.prime256v1.getEncoded());
    String pem = TestKeys.traditionalPem(parameters) + sec1(issued);

    // Byte for byte what `openssl ecparam -name prime256v1 -genkey` prints first.
    assertThat(pem)
        .startsWith("-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----");
    assertSameEcKey(Pem.readPrivateKey(pem), issued.privateKey());
  }

  @Test
  void garbageIsNotMistakenForPem() {
    assertThatThrownBy(() -> Pem.readCertificates("this is not a certificate"))
        .isInstanceOf(PemException.class)
        .hasMessage("no PEM certificate found");
    assertThatThrownBy(() -> Pem.readPrivateKey(""))
        .isInstanceOf(PemException.class)
        .hasMessage("no PEM private key found");
  }

  @Test
  void aDamagedBlockIsReportedAsMalformed() {
    assertThatThrownBy(
            () ->
                Pem.readCertificates(
                    "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
        .isInstanceOf(PemException.class)
        .hasMessageStartingWith("malformed PEM certificate (PEM block #1): ");
  }

  @Test
  void aTruncatedKeyIsReportedWithoutQuotingIt() {
    List<String> lines = issued.privateKeyPem().lines().toList();
    List<String> body = lines.subList(1, lines.size() - 1);
    String truncated = lines.get(0) + "\n" + body.get(0) + "\n" + lines.get(lines.size() - 1);

    assertThatThrownBy(() -> Pem.readPrivateKey(truncated))
        .isInstanceOf(PemException.class)
        .hasMessageStartingWith("malformed PEM private key")
        .satisfies(e -> body.forEach(line -> assertThat(e.getMessage()).doesNotContain(line)));
  }

  @Test
  void aCertificateWhereAKeyIsExpected() {
    assertThatThrownBy(() -> Pem.readPrivateKey(issued.certificatePem()))
        .isInstanceOf(PemException.class)
        .hasMessage("expected a private key but found a CERTIFICATE block");
  }

  @Test
  void aKeyWhereCertificatesAreExpected() {
    assertThatThrownBy(() -> Pem.readCertificates(issued.certificatePem() + issued.privateKeyPem()))
        .isInstanceOf(PemException.class)
        .hasMessage("expected certificates but found a PRIVATE KEY block");
    String pkcs1 = TestKeys.traditionalPem(TestKeys.rsaKeyPair().getPrivate());
    assertThatThrownBy(() -> Pem.readCertificates(pkcs1))
        .isInstanceOf(PemException.class)
        .hasMessage("expected certificates but found a RSA PRIVATE KEY block");
  }

  @Test
  void aPublicKeyIsNotAPrivateKey() {
    String pem = TestKeys.traditionalPem(issued.certificate().getPublicKey());

    assertThatThrownBy(() -> Pem.readPrivateKey(pem))
        .isInstanceOf(PemException.class)
        .hasMessage("expected a private key but found a PUBLIC KEY block");
  }

  @Test
  void encryptedPkcs8KeysAreRefused() throws Exception {
    String pem =
        TestKeys.traditionalPem(
            new JcaPKCS8Generator(
                issued.privateKey(),
                new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                    .setProvider(BOUNCY_CASTLE)
                    .setPassword("secret".toCharArray())
                    .build()));

    assertThat(pem).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
    assertThatThrownBy(() -> Pem.readPrivateKey(pem))
        .isInstanceOf(PemException.class)
        .hasMessage(ENCRYPTED);
  }

  @Test
  void legacyEncryptedRsaKeysAreRefused() throws Exception {
    KeyPair rsa = TestKeys.rsaKeyPair();
    String pem =
        TestKeys.traditionalPem(
            new JcaMiscPEMGenerator(
                rsa.getPrivate(),
                new JcePEMEncryptorBuilder("AES-128-CBC")
                    .setProvider(BOUNCY_CASTLE)
                    .build("secret".toCharArray())));

    assertThat(pem).startsWith("-----BEGIN RSA PRIVATE KEY-----").contains("ENCRYPTED");
    assertThatThrownBy(() -> Pem.readPrivateKey(pem))
        .isInstanceOf(PemException.class)
        .hasMessage(ENCRYPTED);
  }

  @Test
  void exactlyOneKeyPerFile() {
    String twoKeys = issued.privateKeyPem() + Pem.encode(ca.privateKey());

    assertThatThrownBy(() -> Pem.readPrivateKey(twoKeys))
        .isInstanceOf(PemException.class)
        .hasMessage("found 2 private keys; provide exactly one key per file");
  }

  private static String sec1(IssuedCertificate issued) {
    return TestKeys.sec1Pem(
        (ECPrivateKey) issued.privateKey(), issued.certificate().getPublicKey());
  }

  /** SEC1 and PKCS#8 wrap the same key differently, so compare the key itself. */
  private static void assertSameEcKey(PrivateKey actual, PrivateKey expected) {
    assertThat(actual).isInstanceOf(ECPrivateKey.class);
    ECPrivateKey actualEc = (ECPrivateKey) actual;
    ECPrivateKey expectedEc = (ECPrivateKey) expected;
    assertThat(actualEc.getS()).isEqualTo(expectedEc.getS());
    assertThat(actualEc.getParams().getCurve()).isEqualTo(expectedEc.getParams().getCurve());
  }
}
