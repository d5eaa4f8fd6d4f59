package org.imagepolicy.webhook.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import org.imagepolicy.webhook.image.HostPattern;
import org.imagepolicy.webhook.image.ImageReference;
import org.imagepolicy.webhook.image.InvalidImageReferenceException;
import org.imagepolicy.webhook.image.RepositoryPattern;

/**
 * Image references and the registry and repository patterns of a policy. Each line of an input is tried as an
 * image, a registry pattern and a repository pattern, and every pattern is matched against every image, so a
 * one-line corpus file of an image string exercises all three parsers. Documented refusals:
 * {@link InvalidImageReferenceException} from {@code ImageReference.parse}, {@link IllegalArgumentException} from
 * the pattern parsers; {@code matches} never throws. An accepted image is ASCII (the distribution grammar is), its
 * {@code exact()} parses back to the same registry, path and digest, and patterns naming its own registry and
 * repository match it.
 *
 * <p>Without {@code JAZZER_FUZZ} this is a regression test over
 * {@code src/test/resources/org/imagepolicy/webhook/fuzz/ImageReferenceFuzzTestInputs/imageReferences/}.
 * To fuzz for real (one fuzz test per run; new findings are written into that directory):
 * <pre>
 * cd /work/main && JAZZER_FUZZ=1 JAZZER_MAX_DURATION=5m mvn -B -o test -pl webhook -am \
 *     -Dtest='ImageReferenceFuzzTest' -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class ImageReferenceFuzzTest {
    private static final int MAX_LINES = 4;

    @FuzzTest
    void imageReferences(byte[] data) {
        String[] lines = FuzzSupport.text(data).split("\n", MAX_LINES);
        List<ImageReference> images = new ArrayList<>();
        List<HostPattern> hosts = new ArrayList<>();
        List<RepositoryPattern> repositories = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String line : lines) {
            names.add(line);
            try {
                ImageReference ref = ImageReference.parse(line);
                checkImage(line, ref);
                images.add(ref);
            } catch (InvalidImageReferenceException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
            try {
                hosts.add(HostPattern.parse(line));
            } catch (IllegalArgumentException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
            try {
                repositories.add(RepositoryPattern.parse(line));
            } catch (IllegalArgumentException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
        }
        for (ImageReference ref : images) {
            names.add(ref.registryKey());
            names.add(ref.canonicalRepository("docker.io"));
            names.add(ref.canonicalRepository(null));
        }
        for (HostPattern host : hosts) {
            for (ImageReference ref : images) {
                host.matches(ref.registryKey());
            }
            for (String name : names) {
                if (name != null) {
                    host.matches(name);
                }
            }
        }
        for (RepositoryPattern repository : repositories) {
            for (ImageReference ref : images) {
                repository.matches(ref.canonicalRepository("docker.io"));
                repository.matches(ref.canonicalRepository(""));
            }
            for (String name : names) {
                repository.matches(name);
            }
        }
    }

    private static void checkImage(String line, ImageReference ref) {
        assertThat(ref.raw()).isEqualTo(line);
        String exact = ref.exact();
        // The distribution grammar the parser implements is ASCII only: no Unicode digit or letter may slip through.
        assertThat(exact.chars().allMatch(c -> c < 0x80)).as("exact() of an accepted reference is ASCII: %s", exact).isTrue();
        String key = ref.registryKey();
        assertThat(key).isNotNull();
        assertThat(key.isEmpty()).isEqualTo(!ref.qualified());
        String canonical = ref.canonicalRepository("docker.io");
        assertThat(canonical).isNotNull();
        ref.canonicalRepository(null);
        ImageReference again;
        try {
            again = ImageReference.parse(exact);
        } catch (InvalidImageReferenceException e) {
            throw new AssertionError("exact() of \"" + line + "\" is \"" + exact + "\", which does not parse: " + e.getMessage(), e);
        }
        assertThat(again.registry()).as("registry of parse(exact()) for %s", line).isEqualTo(ref.registry());
        assertThat(again.path()).as("path of parse(exact()) for %s", line).isEqualTo(ref.path());
        assertThat(again.digest()).as("digest of parse(exact()) for %s", line).isEqualTo(ref.digest());
        assertThat(again.exact()).isEqualTo(exact);
        // A policy that names exactly this image's registry, or repository, matches it.
        if (ref.qualified()) {
            assertThat(HostPattern.parse(ref.registry()).matches(key)).as("registry pattern %s matches %s", ref.registry(), line).isTrue();
        }
        assertThat(RepositoryPattern.parse(canonical).matches(canonical)).as("repository pattern %s matches itself", canonical).isTrue();
    }
}
