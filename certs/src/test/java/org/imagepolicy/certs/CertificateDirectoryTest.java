package org.imagepolicy.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code certs generate} and {@code renew}: chains checked by the JDK's PKIX validator and by openssl itself. */
class CertificateDirectoryTest {

  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final List<String> NAMES =
      CertificateDirectory.serviceNames("ipw", "policy-system", List.of("webhook.example.com"));

  private static CertificateDirectory.Request request(KeyType type, Duration validity) {
    return new CertificateDirectory.Request(
        new ServingCertSpec(NAMES, List.of("10.96.0.10"), validity), type, Duration.ofDays(3650), Duration.ofDays(30));
  }

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void generatedChainsVerifyWithThePkixValidatorAndWithOpenssl(KeyType type, @TempDir Path dir) throws Exception {
    new CertificateDirectory(dir).generate(request(type, Duration.ofDays(365)), Instant.now());

    X509Certificate ca = read(dir.resolve("ca.crt"));
    X509Certificate leaf = read(dir.resolve("tls.crt"));
    pkixValidate(leaf, ca);
    assertThat(openssl("verify", "-CAfile", dir.resolve("ca.crt").toString(), "-purpose", "sslserver",
        dir.resolve("tls.crt").toString())).isEqualTo(dir.resolve("tls.crt") + ": OK");
    // openssl also checks the key file is the certificate's key, in its own parser.
    assertThat(openssl("x509", "-noout", "-pubkey", "-in", dir.resolve("tls.crt").toString()))
        .isEqualTo(openssl("pkey", "-pubout", "-in", dir.resolve("tls.key").toString()));
    assertThat(CertificateInfo.of(leaf).keyType()).isEqualTo(switch (type) {
      case EC_P256 -> "EC P-256";
      case RSA_2048 -> "RSA 2048";
      case RSA_3072 -> "RSA 3072";
      case RSA_4096 -> "RSA 4096";
    });
    // RSA leaves need keyEncipherment for TLS 1.2 RSA key exchange; EC leaves must not carry it.
    boolean[] usage = leaf.getKeyUsage();
    assertThat(usage[0]).as("digitalSignature").isTrue();
    assertThat(usage[2]).as("keyEncipherment").isEqualTo(type != KeyType.EC_P256);
    assertThat(usage[5]).as("keyCertSign on the leaf").isFalse();
    assertThat(leaf.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(ca.getBasicConstraints()).isZero();
    assertThat(ca.getKeyUsage()[5]).as("keyCertSign on the CA").isTrue();
  }

  @Test
  void theCertificateNamesTheServiceInEveryInClusterFormAndTheExtras(@TempDir Path dir) throws Exception {
    new CertificateDirectory(dir).generate(request(KeyType.EC_P256, Duration.ofDays(365)), Instant.now());
    CertificateInfo info = CertificateInfo.of(read(dir.resolve("tls.crt")));
    assertThat(info.dnsNames()).containsExactly("ipw.policy-system.svc", "ipw", "ipw.policy-system",
        "ipw.policy-system.svc.cluster.local", "webhook.example.com");
    assertThat(info.ipAddresses()).containsExactly("10.96.0.10");
    assertThat(info.subject()).isEqualTo("CN=ipw.policy-system.svc");
    assertThat(info.issuer()).isEqualTo("CN=" + CertificateDirectory.CA_COMMON_NAME);
    // openssl reads the same names out of the DER.
    assertThat(openssl("x509", "-noout", "-ext", "subjectAltName", "-in", dir.resolve("tls.crt").toString()))
        .contains("DNS:ipw.policy-system.svc, DNS:ipw, DNS:ipw.policy-system, DNS:ipw.policy-system.svc.cluster.local,"
            + " DNS:webhook.example.com, IP Address:10.96.0.10");
  }

  @Test
  void privateKeysAreOwnerOnlyAndEveryFileRoundTripsThroughPem(@TempDir Path dir) throws Exception {
    CertificateDirectory.Outcome outcome =
        new CertificateDirectory(dir).generate(request(KeyType.EC_P256, Duration.ofDays(365)), Instant.now());

    assertThat(Files.getPosixFilePermissions(dir.resolve("tls.key"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(dir.resolve("ca.key"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(dir.resolve("tls.crt"))).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(read(dir.resolve("tls.crt"))).isEqualTo(outcome.issued().certificate());
    assertThat(read(dir.resolve("ca.crt"))).isEqualTo(outcome.ca());
    assertThat(Pem.readPrivateKey(Files.readString(dir.resolve("tls.key"))).getEncoded())
        .isEqualTo(outcome.issued().privateKey().getEncoded());
    // Written, read and written again: the same bytes.
    String pem = Files.readString(dir.resolve("tls.crt"));
    assertThat(Pem.encode(Pem.readCertificates(pem).get(0))).isEqualTo(pem);
    String key = Files.readString(dir.resolve("ca.key"));
    assertThat(Pem.encode(Pem.readPrivateKey(key))).isEqualTo(key);
    // Nothing but the four files: the temporary files of the atomic writes are gone.
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("ca.crt", "ca.key", "tls.crt", "tls.key");
    }
  }

  @Test
  void aSecondGenerateReusesTheCaSoOldTrustCoversTheNewCertificate(@TempDir Path dir) throws Exception {
    CertificateDirectory certs = new CertificateDirectory(dir);
    certs.generate(request(KeyType.EC_P256, Duration.ofDays(365)), Instant.now());
    byte[] firstCa = Files.readAllBytes(dir.resolve("ca.crt"));
    byte[] firstCaKey = Files.readAllBytes(dir.resolve("ca.key"));
    X509Certificate firstLeaf = read(dir.resolve("tls.crt"));

    CertificateDirectory.Outcome second = certs.generate(request(KeyType.RSA_2048, Duration.ofDays(365)), Instant.now());

    assertThat(second.caReused()).isTrue();
    assertThat(Files.readAllBytes(dir.resolve("ca.crt"))).isEqualTo(firstCa);
    assertThat(Files.readAllBytes(dir.resolve("ca.key"))).isEqualTo(firstCaKey);
    X509Certificate secondLeaf = read(dir.resolve("tls.crt"));
    assertThat(secondLeaf.getSerialNumber()).isNotEqualTo(firstLeaf.getSerialNumber());
    pkixValidate(secondLeaf, read(dir.resolve("ca.crt")));
  }

  @Test
  void aCaWithinRenewBeforeIsReplacedRatherThanReused(@TempDir Path dir) throws Exception {
    CertificateDirectory certs = new CertificateDirectory(dir);
    CertificateDirectory.Request shortCa = new CertificateDirectory.Request(
        new ServingCertSpec(NAMES, List.of(), Duration.ofDays(10)), KeyType.EC_P256, Duration.ofDays(20), Duration.ofDays(30));
    certs.generate(shortCa, Instant.now());
    byte[] firstCa = Files.readAllBytes(dir.resolve("ca.crt"));

    CertificateDirectory.Outcome second = certs.generate(request(KeyType.EC_P256, Duration.ofDays(365)), Instant.now());

    assertThat(second.caReused()).isFalse();
    assertThat(Files.readAllBytes(dir.resolve("ca.crt"))).isNotEqualTo(firstCa);
    pkixValidate(read(dir.resolve("tls.crt")), read(dir.resolve("ca.crt")));
  }

  @Test
  void renewLeavesACertificateBeyondRenewBeforeAlone(@TempDir Path dir) throws Exception {
    CertificateDirectory certs = new CertificateDirectory(dir);
    certs.generate(request(KeyType.EC_P256, Duration.ofDays(365)), Instant.now());
    byte[] before = Files.readAllBytes(dir.resolve("tls.crt"));

    CertificateDirectory.Outcome outcome = certs.renew(Duration.ofDays(30), Duration.ofDays(365), Instant.now());

    assertThat(outcome.issued()).isNull();
    assertThat(Files.readAllBytes(dir.resolve("tls.crt"))).isEqualTo(before);
  }

  @Test
  void renewReplacesACertificateWithinRenewBeforeKeepingTheCaAndTheNames(@TempDir Path dir) throws Exception {
    CertificateDirectory certs = new CertificateDirectory(dir);
    certs.generate(request(KeyType.RSA_2048, Duration.ofDays(10)), Instant.now());
    byte[] ca = Files.readAllBytes(dir.resolve("ca.crt"));
    X509Certificate old = read(dir.resolve("tls.crt"));

    CertificateDirectory.Outcome outcome = certs.renew(Duration.ofDays(30), Duration.ofDays(90), Instant.now());

    assertThat(outcome.issued()).isNotNull();
    X509Certificate renewed = read(dir.resolve("tls.crt"));
    assertThat(renewed.getSerialNumber()).isNotEqualTo(old.getSerialNumber());
    assertThat(Files.readAllBytes(dir.resolve("ca.crt"))).isEqualTo(ca);
    assertThat(CertificateInfo.of(renewed).dnsNames()).isEqualTo(CertificateInfo.of(old).dnsNames());
    assertThat(CertificateInfo.of(renewed).ipAddresses()).isEqualTo(CertificateInfo.of(old).ipAddresses());
    assertThat(CertificateInfo.of(renewed).keyType()).isEqualTo("RSA 2048");
    assertThat(Duration.between(Instant.now(), renewed.getNotAfter().toInstant())).isGreaterThan(Duration.ofDays(89));
    pkixValidate(renewed, read(dir.resolve("ca.crt")));
    assertThat(openssl("verify", "-CAfile", dir.resolve("ca.crt").toString(), dir.resolve("tls.crt").toString()))
        .endsWith(": OK");
  }

  @Test
  void renewWithoutACaSaysToGenerateFirst(@TempDir Path dir) {
    assertThatThrownBy(() -> new CertificateDirectory(dir).renew(Duration.ofDays(30), Duration.ofDays(365), Instant.now()))
        .isInstanceOf(PemException.class)
        .hasMessageContaining("no CA in " + dir)
        .hasMessageContaining("run certs generate first");
  }

  @Test
  void renewRefusesACertificateFromAnotherCa(@TempDir Path dir) throws Exception {
    Path other = dir.resolve("other");
    new CertificateDirectory(dir).generate(request(KeyType.EC_P256, Duration.ofDays(10)), Instant.now());
    new CertificateDirectory(other).generate(request(KeyType.EC_P256, Duration.ofDays(10)), Instant.now());
    Files.copy(other.resolve("tls.crt"), dir.resolve("tls.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(() -> new CertificateDirectory(dir).renew(Duration.ofDays(30), Duration.ofDays(365), Instant.now()))
        .isInstanceOf(PemException.class)
        .hasMessageContaining("was not issued by");
  }

  @Test
  void renewalIsDueExactlyWithinRenewBefore() {
    Instant notAfter = Instant.parse("2030-01-31T00:00:00Z");
    CertificateInfo info = new CertificateInfo("CN=x", List.of("x"), List.of(), "CN=ca", "01", "EC P-256",
        notAfter.minus(Duration.ofDays(90)), notAfter, false);
    assertThat(info.renewalDue(Instant.parse("2030-01-01T00:00:00Z"), Duration.ofDays(29))).isFalse();
    assertThat(info.renewalDue(Instant.parse("2030-01-01T00:00:00Z"), Duration.ofDays(30))).isTrue();
    assertThat(info.daysLeft(Instant.parse("2030-01-01T00:00:01Z"))).isEqualTo(29);
    assertThat(info.daysLeft(Instant.parse("2030-02-02T00:00:00Z"))).isEqualTo(-2);
  }

  @Test
  void keyTypesAreReadFromTheirLabelsAndUnknownOnesListTheChoices() {
    assertThat(KeyType.parse("rsa-3072")).isEqualTo(KeyType.RSA_3072);
    assertThatThrownBy(() -> KeyType.parse("ed25519"))
        .hasMessage("unknown key type 'ed25519'; use one of ec-p256, rsa-2048, rsa-3072, rsa-4096");
  }

  static X509Certificate read(Path file) throws IOException {
    return Pem.readCertificates(Files.readString(file)).get(0);
  }

  static void pkixValidate(X509Certificate leaf, X509Certificate ca) throws Exception {
    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
    params.setRevocationEnabled(false);
    try {
      CertPathValidator.getInstance("PKIX")
          .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), params);
    } catch (CertPathValidatorException e) {
      throw new AssertionError("PKIX rejected the chain: " + e.getMessage(), e);
    }
  }

  /** Runs the openssl command line; its absence is a failure that says what to install. */
  static String openssl(String... args) throws Exception {
    Path binary = Path.of("/usr/bin/openssl");
    assertThat(Files.isExecutable(binary)).as("openssl is needed for these tests: apt-get install openssl").isTrue();
    List<String> command = new java.util.ArrayList<>(List.of(binary.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("openssl %s: %s", String.join(" ", args), output).isZero();
    return output;
  }
}
