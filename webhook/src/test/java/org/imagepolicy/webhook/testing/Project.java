package org.imagepolicy.webhook.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the source tree and in {@code shared/} beside it, wherever Maven was started from. */
public final class Project {
    private Project() {
    }

    public static Path root() {
        String configured = System.getProperty("project.root");
        Path start = configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("webhook")) && Files.isDirectory(p.resolve("policies"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the project root from " + start);
    }

    /** The shared corpus and references, checked out beside the project. */
    public static Path shared() {
        Path shared = root().resolveSibling("shared");
        if (!Files.isDirectory(shared)) {
            throw new IllegalStateException("../shared is missing next to " + root() + "; the corpus tests need it");
        }
        return shared;
    }
}
