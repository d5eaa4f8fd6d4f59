package org.imagepolicy.webhook.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {
    private static final String SHA = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    @ParameterizedTest(name = "{0} -> registry [{1}] path [{2}] tag [{3}]")
    @CsvSource(nullValues = "null", value = {
        "nginx, '', nginx, null",
        "nginx:1.25, '', nginx, 1.25",
        "kubernetes/guestbook, '', kubernetes/guestbook, null",
        "docker.io/nginx, docker.io, nginx, null",
        "docker.io/library/nginx:latest, docker.io, library/nginx, latest",
        "quay.io/org/app:1, quay.io, org/app, 1",
        "localhost/app, localhost, app, null",
        "localhost:5000/a/b/c:v2, localhost:5000, a/b/c, v2",
        "172.30.17.139:5000/test/origin-ruby-sample:73214fafa244, 172.30.17.139:5000, test/origin-ruby-sample, 73214fafa244",
        "[::1]:5000/app:1, [::1]:5000, app, 1",
        "MyRegistry.io/app, MyRegistry.io, app, null",
        "my.image:1, '', my.image, 1",
        "a__b/c-----d.e_f, '', a__b/c-----d.e_f, null",
    })
    void parsesByDistributionGrammar(String image, String registry, String path, String tag) {
        ImageReference ref = ImageReference.parse(image);
        assertThat(ref.registry()).isEqualTo(registry);
        assertThat(ref.path()).isEqualTo(path);
        assertThat(ref.tag()).isEqualTo(tag);
        assertThat(ref.digest()).isNull();
    }

    @Test
    void tagAndDigestTogether() {
        ImageReference ref = ImageReference.parse("registry.k8s.io/ingress-nginx/controller:v1.15.1@" + SHA);
        assertThat(ref.tag()).isEqualTo("v1.15.1");
        assertThat(ref.digest()).isEqualTo(SHA);
        assertThat(ref.exact()).isEqualTo("registry.k8s.io/ingress-nginx/controller@" + SHA);
    }

    @ParameterizedTest(name = "\"{0}\" is refused: {1}")
    @CsvSource(delimiter = '|', value = {
        "''| the image is empty",
        "' '| whitespace",
        "Nginx| must be lowercase",
        "quay.io/Org/app| must be lowercase",
        "nginx:| invalid tag",
        "nginx:-x| invalid tag",
        "nginx@sha256:abc| needs exactly 64",
        "nginx@md5:" + "0123456789abcdef0123456789abcdef| unsupported digest algorithm",
        "nginx@sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA| lowercase hex",
        "quay.io//app| empty path component",
        "quay.io/app-| invalid repository name",
        "quay.io/a..b| invalid repository name",
        "bad_host.io/app| invalid registry host",
        "quay.io:99999/app| invalid registry port",
        "ko://github.com/x| invalid",
        "${IMAGE}| invalid",
        "<YOUR-CONTAINER>| invalid",
        "$(params.image)| invalid",
    })
    void refusesWithTheReason(String image, String reason) {
        assertThatThrownBy(() -> ImageReference.parse(image))
                .isInstanceOf(InvalidImageReferenceException.class)
                .hasMessageContaining(reason.strip());
    }

    /** distribution/reference v0.6.0 counts the path only, as the normalizing parser sees it (library/ included). */
    @Test
    void pathLongerThan255IsRefusedWhateverTheRegistry() {
        assertThat(ImageReference.parse("example.com/" + "a".repeat(255) + ":tag").path()).hasSize(255);
        assertThat(ImageReference.parse("a-much-longer-registry-name.example.com/" + "a".repeat(255)).path()).hasSize(255);
        assertThatThrownBy(() -> ImageReference.parse("quay.io/" + "a".repeat(256)))
                .hasMessageContaining("longer than 255");
        assertThat(ImageReference.parse("a".repeat(247)).path()).hasSize(247);
        assertThatThrownBy(() -> ImageReference.parse("a".repeat(248))).as("library/ counts").hasMessageContaining("longer than 255");
        assertThatThrownBy(() -> ImageReference.parse("docker.io/" + "a".repeat(248))).hasMessageContaining("longer than 255");
        assertThat(ImageReference.parse("quay.io/" + "a".repeat(248)).path()).hasSize(248);
    }

    @ParameterizedTest
    @CsvSource({
        "docker.io/nginx, docker.io",
        "index.docker.io/nginx, docker.io",
        "registry-1.docker.io/library/nginx, docker.io",
        "Docker.IO/nginx, docker.io",
        "Quay.io/org/app, quay.io",
        "myregistry.io:5000/x, myregistry.io:5000",
        "nginx, ''",
    })
    void registryKeysFoldCaseAndDockerHubAliases(String image, String key) {
        assertThat(ImageReference.parse(image).registryKey()).isEqualTo(key);
    }

    @Test
    void canonicalRepositoryAddsLibraryOnDockerHubOnly() {
        assertThat(ImageReference.parse("docker.io/nginx").canonicalRepository(null)).isEqualTo("docker.io/library/nginx");
        assertThat(ImageReference.parse("index.docker.io/org/app").canonicalRepository(null)).isEqualTo("docker.io/org/app");
        assertThat(ImageReference.parse("quay.io/nginx").canonicalRepository(null)).isEqualTo("quay.io/nginx");
        assertThat(ImageReference.parse("nginx").canonicalRepository(null)).isNull();
        assertThat(ImageReference.parse("nginx").canonicalRepository("docker.io")).isEqualTo("docker.io/library/nginx");
        assertThat(ImageReference.parse("kubernetes/guestbook").canonicalRepository("docker.io"))
                .isEqualTo("docker.io/kubernetes/guestbook");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nginx", "quay.io/a/b:c", "localhost:5000/x@" + SHA})
    void exactKeepsWhatWasWritten(String image) {
        assertThat(ImageReference.parse(image).exact()).isEqualTo(image);
    }
}
