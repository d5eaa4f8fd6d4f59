package org.imagepolicy.webhook.registry.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The lines a child process writes to one stream, kept in memory and readable while it runs. Tests
 * wait on it ({@link #awaitLine}) instead of sleeping, and failures can quote it whole.
 */
final class CapturedOutput {
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;
    private boolean ended;

    CapturedOutput(String name, InputStream stream) {
        reader = new Thread(() -> pump(stream), name);
        reader.setDaemon(true);
        reader.start();
    }

    private void pump(InputStream stream) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null;) {
                synchronized (this) {
                    lines.add(line);
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // The stream closes under us when the process is destroyed; what was read is kept.
        } finally {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }

    synchronized int size() {
        return lines.size();
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    synchronized List<String> linesFrom(int index) {
        return List.copyOf(lines.subList(Math.min(index, lines.size()), lines.size()));
    }

    /**
     * Waits until a line matching the condition has been read, the stream ends, or the timeout passes.
     *
     * @return whether such a line was seen
     */
    synchronized boolean awaitLine(Predicate<String> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        while (true) {
            for (; checked < lines.size(); checked++) {
                if (condition.test(lines.get(checked))) {
                    return true;
                }
            }
            long left = deadline - System.nanoTime();
            if (ended || left <= 0) {
                return false;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Waits (bounded) for the reader to drain the stream after the process has exited. */
    void awaitEnd(Duration timeout) {
        try {
            reader.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while draining " + reader.getName()));
        }
    }
}
