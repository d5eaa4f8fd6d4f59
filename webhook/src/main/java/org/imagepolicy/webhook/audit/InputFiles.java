package org.imagepolicy.webhook.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.imagepolicy.webhook.report.InputProblem;
import org.imagepolicy.webhook.report.Location;

/**
 * The files an audit reads, from the paths given: a file as it is (whatever its name), a directory's
 * {@code *.yaml}, {@code *.yml} and {@code *.json} recursively in name order, {@code -} for standard input.
 */
final class InputFiles {
    static final String STDIN = "-";

    /** One input to read; {@code size} is 0 for standard input (unknown). */
    record Input(String name, Path path, long size) {
        boolean stdin() {
            return path == null;
        }
    }

    record Expanded(List<Input> inputs, List<InputProblem> missing, long totalBytes) {
    }

    private InputFiles() {
    }

    static Expanded expand(List<String> given) {
        List<Input> out = new ArrayList<>();
        List<InputProblem> missing = new ArrayList<>();
        long total = 0;
        for (String g : given) {
            if (g.equals(STDIN)) {
                out.add(new Input(STDIN, null, 0));
                continue;
            }
            Path p = Path.of(g);
            try {
                if (Files.isDirectory(p)) {
                    try (Stream<Path> s = Files.walk(p)) {
                        for (Path f : s.filter(Files::isRegularFile).filter(InputFiles::manifestName).sorted().toList()) {
                            long size = Files.size(f);
                            total += size;
                            out.add(new Input(f.toString(), f, size));
                        }
                    }
                } else if (Files.isRegularFile(p)) {
                    long size = Files.size(p);
                    total += size;
                    out.add(new Input(g, p, size));
                } else {
                    missing.add(new InputProblem(Location.of(g), "no such file or directory"));
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                missing.add(new InputProblem(Location.of(g), "cannot read: " + e.getMessage()));
            }
        }
        return new Expanded(out, missing, total);
    }

    static boolean manifestName(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
    }
}
