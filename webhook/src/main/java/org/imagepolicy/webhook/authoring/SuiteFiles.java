package org.imagepolicy.webhook.authoring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Finds suites: a file is a suite; a directory holds suites in every {@code tests/} directory under it
 * (its own files when it is one). Every file found must be a suite: objects a suite refers to belong in
 * a subdirectory such as {@code tests/objects/}, so nothing in {@code tests/} is skipped unread.
 */
public final class SuiteFiles {
    private SuiteFiles() {
    }

    /** @throws IOException naming the path when it does not exist or holds no suite */
    public static List<Path> find(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new IOException(path + ": no such file or directory");
        }
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(path)) {
            files.filter(Files::isRegularFile)
                    .filter(p -> isYaml(p) && p.getParent().getFileName() != null && p.getParent().getFileName().toString().equals("tests"))
                    .filter(p -> !hidden(path.relativize(p)))
                    .sorted()
                    .forEach(out::add);
        }
        if (out.isEmpty()) {
            throw new IOException(path + ": no suites here; a policy's suites are its tests/*.yaml files");
        }
        return out;
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isYaml(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }
}
