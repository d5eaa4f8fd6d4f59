package org.imagepolicy.webhook.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RepositoryPatternTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
        "quay.io/myorg/**, quay.io/myorg/app, true",
        "quay.io/myorg/**, quay.io/myorg/team/app:1, true",
        "quay.io/myorg/**, quay.io/myorg-evil/x, false",
        "quay.io/myorg/**, quay.io/myorg, false",
        "quay.io/myorg/**, quay.io.evil.com/myorg/x, false",
        "quay.io/myorg/*, quay.io/myorg/app, true",
        "quay.io/myorg/*, quay.io/myorg/team/app, false",
        "quay.io/*/app, quay.io/anyorg/app, true",
        "docker.io/nginx, nginx, false",
        "docker.io/nginx, docker.io/nginx:1.25, true",
        "docker.io/nginx, docker.io/library/nginx, true",
        "docker.io/nginx, index.docker.io/library/nginx, true",
        "docker.io/library/nginx, registry-1.docker.io/nginx, true",
        "docker.io/*, docker.io/busybox, true",
        "docker.io/*, docker.io/someone/busybox, false",
        "*.corp.example.com/team/**, reg.corp.example.com/team/a, true",
        "*.corp.example.com/team/**, corp.example.com/team/a, false",
    })
    void matchesByComponents(String pattern, String image, boolean expected) {
        String repository = ImageReference.parse(image).canonicalRepository(null);
        assertThat(RepositoryPattern.parse(pattern).matches(repository)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\" is refused: {1}")
    @CsvSource(delimiter = '|', value = {
        "quay.io| has no path",
        "quay.io/**/app| may only be the last component",
        "quay.io/my*| a wildcard must be a whole component",
        "quay.io/org/app:1| tag or digest",
        "https://quay.io/org| URL",
        "quay.io/Org/app| lowercase",
        "''| empty",
    })
    void refusesWithHints(String entry, String hint) {
        assertThatThrownBy(() -> RepositoryPattern.parse(entry)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(hint);
    }
}
