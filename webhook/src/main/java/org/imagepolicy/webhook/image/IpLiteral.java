package org.imagepolicy.webhook.image;

/**
 * IP literals in the form a runtime dials, computed by hand because the engine may not touch
 * {@code java.net} (whose parsers also fall back to DNS).
 */
final class IpLiteral {
    private IpLiteral() {
    }

    /**
     * The dotted quad of a host that glibc's {@code inet_aton} (behind {@code getaddrinfo}, so behind
     * CRI-O and any cgo-resolving runtime) reads as an IPv4 address: one to four parts, each decimal,
     * octal with a leading {@code 0} or hex with {@code 0x}, the last part filling the remaining bytes.
     * {@code null} when the host is a name.
     */
    static String canonicalIpv4(String host) {
        long[] parts = new long[4];
        int count = 0;
        int i = 0;
        int n = host.length();
        while (true) {
            if (count == 4 || i >= n) {
                return null;
            }
            int radix = 10;
            if (host.charAt(i) == '0' && i + 1 < n && (host.charAt(i + 1) == 'x' || host.charAt(i + 1) == 'X')) {
                radix = 16;
                i += 2;
            } else if (host.charAt(i) == '0') {
                radix = 8;
            }
            int start = i;
            long value = 0;
            while (i < n && host.charAt(i) != '.') {
                int d = Character.digit(host.charAt(i), radix);
                if (d < 0 || host.charAt(i) > 'f') { // ASCII only; digit() also takes other scripts' digits
                    return null;
                }
                value = value * radix + d;
                if (value > 0xFFFFFFFFL) {
                    return null;
                }
                i++;
            }
            if (i == start && radix != 16) {
                return null;
            }
            parts[count++] = value;
            if (i == n) {
                break;
            }
            i++; // the dot
        }
        long address = 0;
        for (int p = 0; p < count - 1; p++) {
            if (parts[p] > 0xFF) {
                return null;
            }
            address = (address << 8) | parts[p];
        }
        int lastBytes = 4 - (count - 1);
        long last = parts[count - 1];
        if (last >= (1L << (8 * lastBytes))) {
            return null;
        }
        address = (address << (8 * lastBytes)) | last;
        return dotted(address);
    }

    /**
     * The RFC 5952 form of an IPv6 address written without brackets (hex groups and {@code ::}; the
     * reference grammar allows no embedded dotted quad), in brackets; an IPv4-mapped address
     * ({@code ::ffff:a.b.c.d}, which a dual-stack socket dials over IPv4) becomes the dotted quad.
     * {@code null} when malformed.
     */
    static String canonicalIpv6(String text) {
        int[] groups = parseIpv6(text);
        if (groups == null) {
            return null;
        }
        boolean mapped = groups[5] == 0xFFFF;
        for (int g = 0; g < 5 && mapped; g++) {
            mapped = groups[g] == 0;
        }
        if (mapped) {
            return dotted(((long) groups[6] << 16) | groups[7]);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not compressed
        for (int g = 0; g < 8;) {
            if (groups[g] != 0) {
                g++;
                continue;
            }
            int start = g;
            while (g < 8 && groups[g] == 0) {
                g++;
            }
            if (g - start > bestLength) {
                bestStart = start;
                bestLength = g - start;
            }
        }
        StringBuilder sb = new StringBuilder(41).append('[');
        for (int g = 0; g < 8; g++) {
            if (g == bestStart) {
                sb.append("::");
                g += bestLength - 1;
                continue;
            }
            if (sb.length() > 1 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[g]));
        }
        return sb.append(']').toString();
    }

    private static int[] parseIpv6(String text) {
        int[] head = new int[8];
        int[] tail = new int[8];
        int heads = 0;
        int tails = 0;
        boolean compressed = false;
        int n = text.length();
        if (n < 2) {
            return null;
        }
        int i = 0;
        if (text.startsWith("::")) {
            compressed = true;
            i = 2;
        } else if (text.charAt(0) == ':') {
            return null;
        }
        while (i < n) {
            int start = i;
            int value = 0;
            while (i < n && text.charAt(i) != ':') {
                int d = hex(text.charAt(i));
                if (d < 0 || i - start == 4) {
                    return null;
                }
                value = value * 16 + d;
                i++;
            }
            if (i == start) {
                return null;
            }
            if (heads + tails == 8) {
                return null;
            }
            if (compressed) {
                tail[tails++] = value;
            } else {
                head[heads++] = value;
            }
            if (i == n) {
                break;
            }
            i++; // ':'
            if (i < n && text.charAt(i) == ':') {
                if (compressed) {
                    return null;
                }
                compressed = true;
                i++;
            } else if (i == n) {
                return null; // a trailing single ':'
            }
        }
        if (compressed ? heads + tails > 7 : heads != 8) {
            return null;
        }
        int[] groups = new int[8];
        System.arraycopy(head, 0, groups, 0, heads);
        System.arraycopy(tail, 0, groups, 8 - tails, tails);
        return groups;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    private static String dotted(long address) {
        return ((address >> 24) & 0xFF) + "." + ((address >> 16) & 0xFF) + "." + ((address >> 8) & 0xFF) + "." + (address & 0xFF);
    }
}
