package org.imagepolicy.webhook.registry;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Keeps the webhook from becoming a way to reach internal addresses: a registry name that resolves to
 * loopback, link-local (cloud metadata lives there), private or otherwise special addresses is refused,
 * unless an operator named that registry. The caller connects to the address checked here, so a second
 * DNS answer cannot swap in another one.
 */
final class AddressGuard {
    /** The name service: the system's, or a test's. */
    interface Dns {
        InetAddress[] lookup(String host) throws UnknownHostException;
    }

    private final Predicate<String> named;
    private final Dns dns;

    /** @param named registry keys the operator trusts wherever they resolve (certs.d, insecure, allowed) */
    AddressGuard(Set<String> named) {
        this(Set.copyOf(named)::contains, InetAddress::getAllByName);
    }

    /** @param named whether the operator trusts a registry key wherever it resolves; asked at each request, so it may change */
    AddressGuard(Predicate<String> named, Dns dns) {
        this.named = named;
        this.dns = dns;
    }

    /** Blocking DNS: call off the event loop. */
    InetAddress resolve(String registryKey, String host) {
        InetAddress[] addresses;
        try {
            addresses = dns.lookup(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            throw RegistryException.transientFailure("cannot resolve " + host);
        }
        if (!named.test(registryKey)) {
            for (InetAddress a : addresses) {
                if (internal(a)) {
                    throw RegistryException.permanent("refusing to contact " + host + ": it resolves to the internal address "
                            + a.getHostAddress() + "; name the registry in --allow-registry-address, --insecure-registry or"
                            + " --registry-certs to allow it");
                }
            }
        }
        return addresses[0];
    }

    static boolean internal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || first >= 240 // "this network", reserved and broadcast
                    || (first == 100 && second >= 64 && second < 128) // carrier-grade NAT
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    || (first == 198 && (second == 18 || second == 19)); // benchmarking
        }
        if (a instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return true; // unique local fc00::/7
            }
            boolean mapped = true; // ::ffff:a.b.c.d carries an IPv4 address
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return internal(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException impossible) {
                    return true;
                }
            }
        }
        return false;
    }
}
