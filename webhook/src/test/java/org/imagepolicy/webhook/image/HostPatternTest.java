package org.imagepolicy.webhook.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostPatternTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
        "docker.io, docker.io, true",
        "docker.io, index.docker.io, true",
        "index.docker.io, docker.io, true",
        "DOCKER.IO, registry-1.docker.io, true",
        "quay.io, Quay.IO, true",
        "myregistry.io, myregistry.io:5000, false",
        "myregistry.io:5000, myregistry.io, false",
        "myregistry.io:5000, myregistry.io:5000, true",
        "myregistry.io:5000, myregistry.io:50000, false",
        "myregistry.io, myregistry.io.evil.com, false",
        "*.example.com, a.example.com, true",
        "*.example.com, a.b.example.com, true",
        "*.example.com, example.com, false",
        "*.example.com, example.com.evil.net, false",
        "*.example.com, evilexample.com, false",
        "*.example.com, a.example.com:5000, false",
        "*.example.com:5000, a.example.com:5000, true",
        "[::1]:5000, [::1]:5000, true",
        "localhost, '', false",
    })
    void matchesByHostAndPort(String pattern, String registry, boolean expected) {
        String key = ImageReference.canonicalRegistry(registry);
        assertThat(HostPattern.parse(pattern).matches(key)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\" is refused with a hint: {1}")
    @CsvSource(delimiter = '|', value = {
        "''| empty",
        "https://quay.io| write only the host[:port], as in quay.io",
        "quay.io/org| use matchRepositories, as in quay.io/org/**",
        "*my.registry.example.com*| bold formatting, not wildcards; write my.registry.example.com",
        "*example.com| whole leftmost label",
        "a.*.example.com| whole leftmost label",
        "example.*| whole leftmost label",
        "bad host| not a valid host",
        "*.[::1]| cannot precede an IP address",
    })
    void refusesWithHints(String entry, String hint) {
        assertThatThrownBy(() -> HostPattern.parse(entry)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(hint);
    }
}
