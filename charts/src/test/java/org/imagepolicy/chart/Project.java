package org.imagepolicy.chart;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where things are: the repository, the chart, the test variants. */
final class Project {
    private Project() {
    }

    static Path root() {
        String root = System.getProperty("project.root");
        Path p = root != null ? Path.of(root) : Path.of("").toAbsolutePath().getParent();
        if (!Files.isDirectory(p.resolve("charts/image-policy-webhook"))) {
            throw new IllegalStateException("cannot find the repository root (tried " + p + "); run the tests through Maven");
        }
        return p;
    }

    static Path chart() {
        return root().resolve("charts/image-policy-webhook");
    }

    static Path resources() {
        return root().resolve("charts/src/test/resources");
    }

    static Path variant(String name) {
        return resources().resolve("variants/" + name + ".yaml");
    }

    static String version() {
        String v = System.getProperty("project.version");
        if (v == null) {
            throw new IllegalStateException("project.version is not set; run the tests through Maven");
        }
        return v;
    }
}
