package org.imagepolicy.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServingCertSpecTest {

  private static final Duration DAY = Duration.ofDays(1);

  @Test
  void acceptsDnsNamesAndBothIpFamilies() {
    ServingCertSpec spec =
        new ServingCertSpec(
            List.of("image-policy-webhook.system.svc", "*.example.com"),
            List.of("127.0.0.1", "::1", "fd00::10"),
            DAY);

    assertThat(spec.commonName()).isEqualTo("image-policy-webhook.system.svc");
    assertThat(spec.ipAddresses()).containsExactly("127.0.0.1", "::1", "fd00::10");
  }

  @Test
  void anIpOnlySpecUsesTheFirstAddressAsCommonName() {
    assertThat(new ServingCertSpec(List.of(), List.of("10.0.0.7"), DAY).commonName())
        .isEqualTo("10.0.0.7");
  }

  @Test
  void copiesTheListsSoLaterChangesDoNotLeakIn() {
    List<String> names = new ArrayList<>(List.of("a.example"));
    ServingCertSpec spec = new ServingCertSpec(names, List.of(), DAY);
    names.add("b.example");

    assertThat(spec.dnsNames()).containsExactly("a.example");
  }

  @Test
  void requiresAtLeastOneName() {
    assertThatThrownBy(() -> new ServingCertSpec(List.of(), List.of(), DAY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a serving certificate needs at least one DNS name or IP address");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "under_score.example", "-leading.example", "a..b", "a b"})
  void rejectsInvalidDnsNames(String name) {
    assertThatThrownBy(() -> new ServingCertSpec(List.of(name), List.of(), DAY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DNS name");
  }

  @Test
  void pointsAnIpListedAsDnsNameToTheRightList() {
    assertThatThrownBy(() -> new ServingCertSpec(List.of("127.0.0.1"), List.of(), DAY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'127.0.0.1' is an IP address; list it in ipAddresses, not dnsNames");
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "256.1.1.1", "1.2.3", "010.0.0.1", "[::1]", "10.0.0.0/8"})
  void rejectsAnythingButIpLiterals(String address) {
    assertThatThrownBy(() -> new ServingCertSpec(List.of("a.example"), List.of(address), DAY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "'" + address + "' is not an IPv4 or IPv6 address literal"
                + " (host names belong in dnsNames)");
  }

  @Test
  void requiresPositiveValidity() {
    List<String> names = List.of("a.example");
    assertThatThrownBy(() -> new ServingCertSpec(names, List.of(), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("validity must be a positive duration, got PT0S");
    assertThatThrownBy(() -> new ServingCertSpec(names, List.of(), Duration.ofDays(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("validity must be a positive duration");
    assertThatThrownBy(() -> new ServingCertSpec(names, List.of(), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("validity must be a positive duration");
  }
}
