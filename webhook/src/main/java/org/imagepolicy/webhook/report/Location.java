package org.imagepolicy.webhook.report;

/**
 * Where something is in the inputs. Lines and columns count from 1; 0 means unknown (input read from a
 * stream without positions, or a value synthesised by template processing).
 *
 * @param file the path as the user gave it (relative stays relative), or {@code -} for standard input
 */
public record Location(String file, int line, int column) {
    public static Location of(String file) {
        return new Location(file, 0, 0);
    }

    /** {@code file:line} or {@code file:line:column}, as compilers print it. */
    @Override
    public String toString() {
        if (line <= 0) {
            return file;
        }
        return column <= 0 ? file + ":" + line : file + ":" + line + ":" + column;
    }
}
