package org.imagepolicy.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevCertificatesTest {

  private static final List<String> DNS = List.of("localhost");
  private static final List<String> IPS = List.of("127.0.0.1", "::1");

  @TempDir Path tmp;

  @Test
  void firstCallGeneratesAWorkingSetInANewDirectory() throws Exception {
    Path dir = tmp.resolve("nested/dev");

    DevCertificates.Written written = DevCertificates.ensure(dir, DNS, IPS);

    assertThat(written.reused()).isFalse();
    assertThat(written.caCertificate()).isEqualTo(dir.resolve("ca.crt"));
    assertThat(written.certificate()).isEqualTo(dir.resolve("tls.crt"));
    assertThat(written.privateKey()).isEqualTo(dir.resolve("tls.key"));

    X509Certificate ca = Pem.readCertificates(Files.readString(written.caCertificate())).get(0);
    CertificatePair pair =
        CertificatePair.parse(
            Files.readString(written.certificate()), Files.readString(written.privateKey()));
    pair.leaf().verify(ca.getPublicKey());
    assertThat(ca.getSubjectX500Principal().getName())
        .isEqualTo("CN=image-policy-webhook development CA");
    assertThat(ca.getNotAfter().toInstant()).isBetween(daysFromNow(364), daysFromNow(366));
    assertThat(pair.notAfter()).isBetween(daysFromNow(89), daysFromNow(91));
    assertThat(pair.leaf().getSubjectAlternativeNames())
        .containsExactlyInAnyOrder(
            List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"));
    assertThat(leftoverTempFiles(dir)).isEmpty();
  }

  @Test
  void privateKeyIsReadableByTheOwnerOnly() throws Exception {
    DevCertificates.Written written = DevCertificates.ensure(tmp, DNS, IPS);

    // Only meaningful where POSIX permissions exist; elsewhere there is nothing to assert.
    if (AtomicFiles.supportsPosix(tmp)) {
      assertThat(permissions(written.privateKey())).isEqualTo("rw-------");
      assertThat(permissions(written.certificate())).isEqualTo("rw-r--r--");
      assertThat(permissions(written.caCertificate())).isEqualTo("rw-r--r--");
    }
  }

  @Test
  void secondCallReusesTheFilesUntouched() throws Exception {
    DevCertificates.ensure(tmp, DNS, IPS);
    List<byte[]> before = contents();

    DevCertificates.Written again = DevCertificates.ensure(tmp, DNS, IPS);

    assertThat(again.reused()).isTrue();
    assertThat(contents()).containsExactlyElementsOf(before);
  }

  @Test
  void reuseComparesAddressesNotSpellings() throws Exception {
    DevCertificates.ensure(tmp, DNS, IPS);

    assertThat(DevCertificates.ensure(tmp, List.of("LOCALHOST"), List.of("0:0:0::1")).reused())
        .isTrue();
  }

  @Test
  void aRequestForAnExtraNameRegenerates() throws Exception {
    DevCertificates.ensure(tmp, DNS, IPS);
    List<byte[]> before = contents();

    DevCertificates.Written written =
        DevCertificates.ensure(tmp, List.of("localhost", "webhook.test"), IPS);

    assertThat(written.reused()).isFalse();
    assertThat(contents().get(0)).isNotEqualTo(before.get(0));
    assertThat(leaf().getSubjectAlternativeNames()).contains(List.of(2, "webhook.test"));
  }

  @Test
  void anExtraAddressRegenerates() throws Exception {
    DevCertificates.ensure(tmp, DNS, IPS);

    assertThat(DevCertificates.ensure(tmp, DNS, List.of("127.0.0.1", "10.1.2.3")).reused())
        .isFalse();
  }

  @Test
  void aCorruptedCertificateRegenerates() throws Exception {
    DevCertificates.ensure(tmp, DNS, IPS);
    Files.writeString(tmp.resolve("tls.crt"), "-----BEGIN CERTIFICATE-----\ngarbage\n");

    assertThat(DevCertificates.ensure(tmp, DNS, IPS).reused()).isFalse();
    assertThat(leaf()).isNotNull();
  }

  @Test
  void aMissingFileRegenerates() throws Exception {
    DevCertificates.ensure(tmp, DNS, IPS);
    Files.delete(tmp.resolve("ca.crt"));

    assertThat(DevCertificates.ensure(tmp, DNS, IPS).reused()).isFalse();
    assertThat(tmp.resolve("ca.crt")).exists();
  }

  @Test
  void aKeyThatDoesNotMatchRegenerates() throws Exception {
    DevCertificates.ensure(tmp, DNS, IPS);
    IssuedCertificate stranger =
        CertificateAuthority.generate("x", Duration.ofDays(1)).issue(TestKeys.localhostSpec());
    Files.writeString(tmp.resolve("tls.key"), stranger.privateKeyPem());

    assertThat(DevCertificates.ensure(tmp, DNS, IPS).reused()).isFalse();
  }

  @Test
  void aCertificateFromAnotherCaRegenerates() throws Exception {
    DevCertificates.ensure(tmp, DNS, IPS);
    IssuedCertificate foreign =
        CertificateAuthority.generate("other", Duration.ofDays(30))
            .issue(new ServingCertSpec(DNS, IPS, Duration.ofDays(30)));
    Files.writeString(tmp.resolve("tls.crt"), foreign.certificatePem());
    Files.writeString(tmp.resolve("tls.key"), foreign.privateKeyPem());

    assertThat(DevCertificates.ensure(tmp, DNS, IPS).reused()).isFalse();
  }

  @Test
  void aCertificateExpiringWithinAWeekRegenerates() throws Exception {
    CertificateAuthority ca = CertificateAuthority.generate("short", Duration.ofDays(365));
    IssuedCertificate expiring = ca.issue(new ServingCertSpec(DNS, IPS, Duration.ofDays(6)));
    Files.writeString(tmp.resolve("ca.crt"), Pem.encode(ca.certificate()));
    Files.writeString(tmp.resolve("tls.crt"), expiring.certificatePem());
    Files.writeString(tmp.resolve("tls.key"), expiring.privateKeyPem());

    assertThat(DevCertificates.ensure(tmp, DNS, IPS).reused()).isFalse();
    assertThat(leaf().getNotAfter().toInstant()).isAfter(daysFromNow(89));
  }

  @Test
  void aCertificateValidForLongerThanAWeekIsKept() throws Exception {
    CertificateAuthority ca = CertificateAuthority.generate("short", Duration.ofDays(365));
    IssuedCertificate enough = ca.issue(new ServingCertSpec(DNS, IPS, Duration.ofDays(8)));
    Files.writeString(tmp.resolve("ca.crt"), Pem.encode(ca.certificate()));
    Files.writeString(tmp.resolve("tls.crt"), enough.certificatePem());
    Files.writeString(tmp.resolve("tls.key"), enough.privateKeyPem());

    assertThat(DevCertificates.ensure(tmp, DNS, IPS).reused()).isTrue();
  }

  @Test
  void invalidNamesAreRejectedBeforeTouchingTheDisk() {
    Path dir = tmp.resolve("never-created");

    assertThatThrownBy(() -> DevCertificates.ensure(dir, DNS, List.of("localhost")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'localhost' is not an IPv4 or IPv6 address literal");
    assertThat(dir).doesNotExist();
  }

  private List<byte[]> contents() throws IOException {
    return List.of(
        Files.readAllBytes(tmp.resolve("ca.crt")),
        Files.readAllBytes(tmp.resolve("tls.crt")),
        Files.readAllBytes(tmp.resolve("tls.key")));
  }

  private X509Certificate leaf() throws IOException {
    return Pem.readCertificates(Files.readString(tmp.resolve("tls.crt"))).get(0);
  }

  private static Instant daysFromNow(int days) {
    return Instant.now().plus(Duration.ofDays(days));
  }

  private static String permissions(Path file) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  private static List<Path> leftoverTempFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(file -> file.getFileName().toString().endsWith(".tmp")).toList();
    }
  }
}
