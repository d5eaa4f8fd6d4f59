package org.imagepolicy.webhook.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which registry keys insecure entries cover: keys exactly, wildcards as policy rules match registries. */
class InsecureRegistriesTest {

    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
        // entry,                   registry key,               insecure
        "registry.lab.example.com,  registry.lab.example.com,   true",
        "registry.lab.example.com,  registry.lab.example.com:5000, false",
        "registry.lab.example.com:5000, registry.lab.example.com:5000, true",
        "*.lab.example.com,         a.lab.example.com,          true",
        "*.lab.example.com,         a.b.lab.example.com,        true",
        "*.lab.example.com,         lab.example.com,            false",
        "*.lab.example.com,         a.lab.example.com.evil.net, false",
        "*.lab.example.com,         evillab.example.com,        false",
        "*.lab.example.com,         a.lab.example.com:5000,     false",
        "*.lab.example.com:5000,    a.lab.example.com:5000,     true",
        "*.lab.example.com:5000,    a.lab.example.com,          false",
        "*.lab.example.com:443,     a.lab.example.com,          true",
        // Matched literally against the canonical key, as containers/image does: Docker Hub's other names do not
        // bring docker.io under a wildcard, so the nodes and the lookups both keep verifying Docker Hub.
        "*.docker.io,               docker.io,                  false",
        "*.docker.com,              docker.io,                  false",
        "*.hub.docker.com,          docker.io,                  false",
        "*.io,                      docker.io,                  true",
        "docker.io,                 docker.io,                  true",
        "*.docker.io,               mirror.docker.io,           true",
        "*.example.com,             127.0.0.1,                  false",
    })
    void entriesCoverRegistriesByTheirIdentity(String entry, String registryKey, boolean insecure) {
        InsecureRegistries fromPolicy = new InsecureRegistries(List.of());
        fromPolicy.policy(List.of(entry));
        assertThat(fromPolicy.contains(registryKey)).isEqualTo(insecure);
        assertThat(new InsecureRegistries(List.of(entry)).contains(registryKey)).as("the same from the command line").isEqualTo(insecure);
    }

    @Test
    void onlyRegistriesNamedOneByOneArePassedThroughTheAddressGuard() {
        InsecureRegistries insecure = new InsecureRegistries(List.of("fixed.example.com"));
        insecure.policy(List.of("*.lab.example.com", "registry.lab.example.net:5000"));
        assertThat(insecure.named("fixed.example.com")).isTrue();
        assertThat(insecure.named("registry.lab.example.net:5000")).isTrue();
        assertThat(insecure.contains("a.lab.example.com")).isTrue();
        assertThat(insecure.named("a.lab.example.com")).as("a wildcard vouches for no address").isFalse();
    }

    @Test
    void aReloadReplacesThePolicysEntriesAndSaysWhoseSettingChanged() {
        InsecureRegistries insecure = new InsecureRegistries(List.of("fixed.example.com"));
        var changed = insecure.policy(List.of("*.lab.example.com", "old.example.com"));
        assertThat(changed.test("a.lab.example.com")).isTrue();
        assertThat(changed.test("fixed.example.com")).as("the command line's stay as they were").isFalse();
        changed = insecure.policy(List.of("new.example.com", "*.lab.example.com"));
        assertThat(insecure.contains("old.example.com")).isFalse();
        assertThat(insecure.contains("new.example.com")).isTrue();
        assertThat(insecure.contains("fixed.example.com")).isTrue();
        assertThat(changed.test("old.example.com")).isTrue();
        assertThat(changed.test("new.example.com")).isTrue();
        assertThat(changed.test("a.lab.example.com")).isFalse();
        assertThat(changed.test("quay.io")).isFalse();
        insecure.policy(List.of());
        assertThat(insecure.contains("a.lab.example.com")).isFalse();
    }

    @Test
    void theGenerationMovesWhenThePolicysEntriesChangeAndOnlyThen() {
        InsecureRegistries insecure = new InsecureRegistries(List.of("fixed.example.com"));
        long start = insecure.generation();
        insecure.policy(List.of());
        assertThat(insecure.generation()).as("nothing changed").isEqualTo(start);
        insecure.policy(List.of("*.lab.example.com"));
        long changed = insecure.generation();
        assertThat(changed).isNotEqualTo(start);
        insecure.policy(List.of("*.lab.example.com"));
        assertThat(insecure.generation()).as("the same entries again").isEqualTo(changed);
        insecure.policy(List.of());
        assertThat(insecure.generation()).isNotEqualTo(changed).isNotEqualTo(start);
    }

    @Test
    void aMalformedWildcardIsRefused() {
        assertThatThrownBy(() -> new InsecureRegistries(List.of("*.*.example.com"))).isInstanceOf(IllegalArgumentException.class);
    }
}
