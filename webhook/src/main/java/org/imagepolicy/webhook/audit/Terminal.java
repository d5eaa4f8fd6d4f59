package org.imagepolicy.webhook.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a standard stream is a terminal. Java 17 can only say so for all of them at once
 * ({@code System.console()}); the kernel says it per descriptor: on Linux {@code /proc/self/fd/N}
 * links to a {@code /dev/pts/} or {@code /dev/tty} device exactly when it is one.
 */
public final class Terminal {
    private Terminal() {
    }

    public static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** Colour is wanted on a terminal, unless NO_COLOR is set (no-color.org) or the terminal is dumb. */
    public static boolean colour(int fd) {
        String noColor = System.getenv("NO_COLOR");
        return isTerminal(fd) && (noColor == null || noColor.isEmpty()) && !"dumb".equals(System.getenv("TERM"));
    }
}
