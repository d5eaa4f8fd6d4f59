package org.imagepolicy.certs;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a TLS serving certificate must cover: the names clients will dial and how long it lives.
 *
 * <p>Validated eagerly so that a typo in configuration fails at startup with a clear message
 * rather than as a hostname-verification error inside some client's TLS handshake.
 *
 * @param dnsNames DNS names for the SubjectAlternativeName; the first one becomes the CN (the
 *     first IP address does when there are no DNS names)
 * @param ipAddresses IPv4 or IPv6 literals for the SubjectAlternativeName
 * @param validity how long the certificate is valid from the time it is issued
 */
public record ServingCertSpec(List<String> dnsNames, List<String> ipAddresses, Duration validity) {

  /** RFC 1123 labels, optionally behind a single leading wildcard label. */
  private static final Pattern DNS_NAME =
      Pattern.compile(
          "(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
              + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

  private static final int MAX_DNS_NAME_LENGTH = 253;

  public ServingCertSpec {
    Objects.requireNonNull(dnsNames, "dnsNames must not be null (use an empty list)");
    Objects.requireNonNull(ipAddresses, "ipAddresses must not be null (use an empty list)");
    if (validity == null || validity.isZero() || validity.isNegative()) {
      throw new IllegalArgumentException("validity must be a positive duration, got " + validity);
    }
    if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
      throw new IllegalArgumentException(
          "a serving certificate needs at least one DNS name or IP address");
    }
    dnsNames.forEach(ServingCertSpec::checkDnsName);
    ipAddresses.forEach(ServingCertSpec::checkIpAddress);
    dnsNames = List.copyOf(dnsNames);
    ipAddresses = List.copyOf(ipAddresses);
  }

  /**
   * The subject common name. Clients verify against the SubjectAlternativeName, but a readable CN
   * makes the certificate recognisable in logs and in {@code openssl x509 -text}.
   */
  public String commonName() {
    return dnsNames.isEmpty() ? ipAddresses.get(0) : dnsNames.get(0);
  }

  private static void checkDnsName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("DNS names must not be null or blank");
    }
    if (IpLiterals.isLiteral(name)) {
      throw new IllegalArgumentException(
          "'" + name + "' is an IP address; list it in ipAddresses, not dnsNames");
    }
    if (name.length() > MAX_DNS_NAME_LENGTH || !DNS_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "'" + name + "' is not a valid DNS name (letters, digits, '-' and '.', "
              + "optionally starting with '*.')");
    }
  }

  private static void checkIpAddress(String address) {
    if (address == null || !IpLiterals.isLiteral(address)) {
      throw new IllegalArgumentException(
          "'" + address + "' is not an IPv4 or IPv6 address literal"
              + " (host names belong in dnsNames)");
    }
  }
}
