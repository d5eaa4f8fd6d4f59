package org.imagepolicy.webhook.audit;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One line on a terminal's standard error, rewritten in place while a long run goes on: files and
 * objects done, images resolved, rate, time left (from bytes read, the one total known in advance).
 * Silent for the first second, so short runs print nothing, and at most four updates a second.
 */
final class ProgressLine {
    private static final long QUIET_NANOS = 1_000_000_000L;
    private static final long EVERY_NANOS = 250_000_000L;

    private final PrintStream err;
    private final int files;
    private final long totalBytes;
    private final long started = System.nanoTime();
    private long last;
    private boolean shown;

    /** For a live cluster: the kinds are known in advance, not how many objects each has. */
    ProgressLine(PrintStream err) {
        this(err, 0, 0);
    }

    ProgressLine(PrintStream err, int files, long totalBytes) {
        this.err = err;
        this.files = files;
        this.totalBytes = totalBytes;
    }

    void update(int filesDone, long bytesDone, int objects, int imagesResolved) {
        long now = System.nanoTime();
        if (now - started < QUIET_NANOS || now - last < EVERY_NANOS) {
            return;
        }
        last = now;
        double seconds = (now - started) / 1e9;
        String left = "";
        if (totalBytes > 0 && bytesDone > 0 && bytesDone < totalBytes) {
            left = String.format(Locale.ROOT, ", about %ds left", Math.round(seconds * (totalBytes - bytesDone) / bytesDone));
        }
        err.print(String.format(Locale.ROOT, "\r\u001b[Kaudit: %d/%d files, %,d objects, %,d images resolved, %,.0f objects/s%s",
                filesDone, files, objects, imagesResolved, objects / seconds, left));
        err.flush();
        shown = true;
    }

    void updateLive(int kindsDone, int kinds, long objects, int imagesResolved) {
        long now = System.nanoTime();
        if (now - started < QUIET_NANOS || now - last < EVERY_NANOS) {
            return;
        }
        last = now;
        double seconds = (now - started) / 1e9;
        err.print(String.format(Locale.ROOT, "\r\u001b[Kaudit: %d/%d kinds, %,d objects, %,d images resolved, %,.0f objects/s",
                kindsDone, kinds, objects, imagesResolved, objects / seconds));
        err.flush();
        shown = true;
    }

    /** Clears the line, so the report (or the shell prompt) starts on a clean one. */
    void finish() {
        if (shown) {
            err.print("\r\u001b[K");
            err.flush();
        }
    }
}
