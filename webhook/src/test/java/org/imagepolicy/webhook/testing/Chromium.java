package org.imagepolicy.webhook.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's headless chromium, run once per page: dump the DOM after the page's script ran, or take a
 * screenshot. Each run gets a fresh profile and has the browser's own background traffic switched off, so
 * any request a test observes came from the page.
 */
public final class Chromium {
    public static final String MISSING_BINARY = "install Debian's chromium package (`apt-get install chromium`); .ci/run does";
    private static final Path BINARY = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));

    private Chromium() {
    }

    /** The serialized DOM of {@code page} (with an optional {@code #fragment}) after its scripts ran. */
    public static String dumpDom(Path page, String fragment, Path workDir) throws IOException, InterruptedException {
        return run(workDir, "--dump-dom", page.toUri() + (fragment == null ? "" : "#" + fragment));
    }

    public static void screenshot(Path page, Path png, int width, int height, Path workDir) throws IOException, InterruptedException {
        run(workDir, "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height, "--hide-scrollbars",
                page.toUri().toString());
        if (!Files.isRegularFile(png)) {
            throw new IllegalStateException("chromium wrote no screenshot to " + png);
        }
    }

    private static String run(Path workDir, String... args) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: " + MISSING_BINARY);
        }
        Path profile = Files.createTempDirectory(workDir, "chromium-profile");
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-default-apps", "--disable-extensions", "--disable-features=Translate,OptimizationHints,MediaRouter",
                "--no-default-browser-check", "--mute-audio", "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Path stdout = workDir.resolve("chromium-" + System.nanoTime() + ".out");
        Path stderr = workDir.resolve("chromium-" + System.nanoTime() + ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("chromium did not finish in 90 s: " + String.join(" ", cmd));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("chromium exited with " + p.exitValue() + ": " + Files.readString(stderr));
        }
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }
}
