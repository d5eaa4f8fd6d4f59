package org.imagepolicy.webhook.registry;

/**
 * How much memory the cache of image labels and annotations may hold: a share of the maximum heap, so a
 * container given less memory keeps a proportionally smaller cache instead of being OOM-killed, and never
 * less than a floor that still holds a few thousand images.
 *
 * @param bytes   the bound on the cache's estimated weight
 * @param percent the share of the maximum heap it was computed from
 * @param maxHeap the maximum heap it was computed from ({@link Runtime#maxMemory()})
 */
public record CacheBudget(long bytes, int percent, long maxHeap) {
    public static final int DEFAULT_PERCENT = 25;
    /** About 10,000 images of twenty-odd labels: below this a cache thrashes more than it helps. */
    public static final long FLOOR_BYTES = 16L * 1024 * 1024;
    private static final int MAX_PERCENT = 80;

    /** @throws IllegalArgumentException when the percentage leaves the heap no room for anything else */
    public static CacheBudget of(int percent, long maxHeap) {
        if (percent < 1 || percent > MAX_PERCENT) {
            throw new IllegalArgumentException("--cache-max-heap-percent must be between 1 and " + MAX_PERCENT
                    + " (the rest of the heap answers requests), was " + percent);
        }
        long share = maxHeap / 100 * percent + maxHeap % 100 * percent / 100; // exact, and no overflow near Long.MAX_VALUE
        return new CacheBudget(Math.max(FLOOR_BYTES, share), percent, maxHeap);
    }

    /** The default share of this JVM's maximum heap. */
    public static CacheBudget ofThisJvm() {
        return of(DEFAULT_PERCENT, Runtime.getRuntime().maxMemory());
    }

    /** For the start-up log: the bound and where it came from. */
    public String describe() {
        String bound = mib(bytes) + " MiB";
        if (bytes == FLOOR_BYTES && maxHeap / 100 * percent < FLOOR_BYTES) {
            return bound + " (the floor: " + percent + "% of the " + mib(maxHeap) + " MiB maximum heap would be less)";
        }
        return bound + " (" + percent + "% of the " + mib(maxHeap) + " MiB maximum heap)";
    }

    private static long mib(long b) {
        return b / (1024 * 1024);
    }
}
