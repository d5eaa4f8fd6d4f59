package org.imagepolicy.certs;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.bouncycastle.util.IPAddress;

/** Parses IP address literals without ever falling back to a DNS lookup. */
final class IpLiterals {

  private IpLiterals() {}

  static boolean isLiteral(String text) {
    if (IPAddress.isValidIPv6(text)) {
      return true;
    }
    // Leading zeros ("010.0.0.1") are read as decimal by Java but as octal by some tools, so the
    // certificate could name a different address than the operator meant; refuse them.
    return IPAddress.isValidIPv4(text) && !text.matches(".*(^|\\.)0\\d.*");
  }

  /**
   * Returns the address for a literal. The literal check comes first because
   * {@link InetAddress#getByName} would resolve anything else through DNS.
   */
  static InetAddress parse(String text) {
    if (!isLiteral(text)) {
      throw new IllegalArgumentException("not an IPv4 or IPv6 address literal: " + text);
    }
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IPv4 or IPv6 address literal: " + text, e);
    }
  }
}
