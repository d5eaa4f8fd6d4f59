package org.imagepolicy.webhook.admission;

import java.util.Map;

/**
 * An immutable string-keyed table looked up by a region of a larger string, so that finding a
 * reference's host or path component allocates no substring. Open addressing, at most half full.
 */
final class RegionMap<V> {
    private final String[] keys;
    private final Object[] values;
    private final int mask;
    private final int shift;
    private final int size;

    private RegionMap(String[] keys, Object[] values, int size) {
        this.keys = keys;
        this.values = values;
        this.mask = keys.length - 1;
        this.shift = 32 - Integer.numberOfTrailingZeros(keys.length);
        this.size = size;
    }

    /**
     * Fibonacci hashing: generated names ({@code team-1}, {@code team-2}...) have String hashes one apart,
     * which would sit in one long run of slots and make every probe walk it.
     */
    private static int slot(int hash, int shift) {
        return (hash * 0x9E3779B9) >>> shift;
    }

    static <V> RegionMap<V> of(Map<String, V> entries) {
        int capacity = Integer.highestOneBit(Math.max(2, entries.size()) * 2) * 2;
        String[] keys = new String[capacity];
        Object[] values = new Object[capacity];
        int shift = 32 - Integer.numberOfTrailingZeros(capacity);
        for (Map.Entry<String, V> e : entries.entrySet()) {
            int i = slot(e.getKey().hashCode(), shift);
            while (keys[i] != null) {
                i = (i + 1) & (capacity - 1);
            }
            keys[i] = e.getKey();
            values[i] = e.getValue();
        }
        return new RegionMap<>(keys, values, entries.size());
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The value whose key is {@code s.substring(from, to)}, or {@code null}. */
    @SuppressWarnings("unchecked")
    V get(String s, int from, int to) {
        if (size == 0) {
            return null;
        }
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + s.charAt(i); // String.hashCode of the region
        }
        int len = to - from;
        for (int i = slot(h, shift); keys[i] != null; i = (i + 1) & mask) {
            String k = keys[i];
            if (k.length() == len && s.regionMatches(from, k, 0, len)) {
                return (V) values[i];
            }
        }
        return null;
    }
}
