package org.imagepolicy.webhook.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.imagepolicy.webhook.policy.PolicyException;
import org.imagepolicy.webhook.policy.PolicyParser;
import org.imagepolicy.webhook.policy.PolicyProblem;

/**
 * Reads policy files from disk: a file, or a directory meaning every {@code *.yaml}, {@code *.yml},
 * {@code *.json}, {@code *.conf} and {@code *.toml} (registries.conf) in it, in name order. Hidden entries are skipped, which also skips the {@code ..data}
 * links Kubernetes uses when it mounts a ConfigMap, and so are JSON Schemas ({@code *.schema.json}), so the
 * editor schema can live beside the policies it describes.
 */
public final class PolicyFiles {
    private PolicyFiles() {
    }

    /** The files and their text, as one consistent snapshot; an unreadable path becomes a located problem. */
    public static List<PolicyParser.Source> read(List<Path> paths) throws PolicyException {
        List<PolicyParser.Source> sources = new ArrayList<>();
        List<PolicyProblem> problems = new ArrayList<>();
        for (Path path : paths) {
            try {
                for (Path file : expand(path)) {
                    sources.add(new PolicyParser.Source(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
                }
            } catch (IOException e) {
                problems.add(new PolicyProblem(path.toString(), 1, "", "cannot read: " + describe(e), PolicyProblem.Severity.ERROR));
            }
        }
        if (!problems.isEmpty()) {
            throw new PolicyException(problems);
        }
        return sources;
    }

    public static PolicyParser.Parsed load(List<Path> paths, boolean strict) throws PolicyException {
        return new PolicyParser(strict).parse(read(paths));
    }

    static List<Path> expand(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new java.nio.file.NoSuchFileException(path.toString());
        }
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        List<Path> files;
        try (Stream<Path> entries = Files.list(path)) {
            files = entries.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> isPolicyFile(p.getFileName().toString()))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        }
        if (files.isEmpty()) {
            throw new IOException("the directory has no *.yaml, *.yml, *.json, *.conf or *.toml files");
        }
        return files;
    }

    private static boolean isPolicyFile(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".schema.json")) {
            return false;
        }
        // registries.conf (TOML, or the 3.x docker daemon's YAML) sits beside the policies it is read with.
        return lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json") || lower.endsWith(".conf")
                || lower.endsWith(".toml");
    }

    private static String describe(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage();
    }
}
