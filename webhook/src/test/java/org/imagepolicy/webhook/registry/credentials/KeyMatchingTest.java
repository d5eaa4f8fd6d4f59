package org.imagepolicy.webhook.registry.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each matching rule, through the public lookup, with cases on both sides of the line. */
class KeyMatchingTest {

    private static boolean covers(String key, String host, String path) throws CredentialsException {
        return !Configs.keyed(key).credentialsFor(host, path).isEmpty();
    }

    @ParameterizedTest(name = "scheme: {0} covers {1}/{2}: {3}")
    @CsvSource({
        "quay.io,                 quay.io, org/app, true",
        "https://quay.io,         quay.io, org/app, true",
        "http://quay.io,          quay.io, org/app, true",
        "HTTPS://quay.io/,        quay.io, org/app, true",
        "https://quay.io/org/,    quay.io, org/app, true",
        "https://quay.io/v2/org,  quay.io, org/app, true",
        "https://quay.io/v2/org,  quay.io, v2/org/app, false",
        "quay.io/v2,              quay.io, v2/app, true",
        "quay.io/v2,              quay.io, org/app, false",
    })
    void schemeAndApiVersionAreIgnored(String key, String host, String path, boolean expected) throws Exception {
        assertThat(covers(key, host, path)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "glob: {0} covers {1}: {2}")
    @CsvSource({
        "*.example.com,     a.example.com,        true",
        "*.example.com,     registry.example.com, true",
        "*.example.com,     a.b.example.com,      false",
        "*.example.com,     example.com,          false",
        "*.example.com,     a.example.com.evil,   false",
        "*.example.com,     a.example.org,        false",
        "*.*.example.com,   a.b.example.com,      true",
        "*.*.example.com,   a.example.com,        false",
        "reg*.example.com,  registry.example.com, true",
        "reg*.example.com,  reg.example.com,      true",
        "reg*.example.com,  areg.example.com,     false",
        "*.io,              quay.io,              true",
        "*,                 localhost,            true",
        "*,                 quay.io,              false",
        "registry.*.com,    registry.example.com, true",
        "*.docker.io,       docker.io,            false",
    })
    void hostGlobsMatchLabelByLabelWithEqualLabelCount(String key, String host, boolean expected) throws Exception {
        assertThat(covers(key, host, "org/app")).isEqualTo(expected);
    }

    /** Ports compare as the numbers the runtime dials; :443 is no port; IP literals compare as addresses. */
    @ParameterizedTest(name = "port: {0} covers {1}: {2}")
    @CsvSource({
        "registry.example.com:5000,   registry.example.com:5000,  true",
        "registry.example.com:5000,   registry.example.com,       false",
        "registry.example.com,        registry.example.com:5000,  false",
        "registry.example.com:5000,   registry.example.com:50000, false",
        "registry.example.com:443,    registry.example.com,       true",
        "registry.example.com:0443,   registry.example.com,       true",
        "registry.example.com,        registry.example.com:443,   true",
        "registry.example.com:05000,  registry.example.com:5000,  true",
        "[2001:db8:0:0:0:0:0:1]:5000, [2001:db8::1]:5000,         true",
        "[::ffff:a00:1]:5000,         10.0.0.1:5000,              true",
        "*.example.com:5000,          a.example.com:5000,         true",
        "*.example.com:5000,          a.example.com:5001,         false",
        "https://localhost:5000/v2/,  localhost:5000,             true",
        "[::1]:5000,                  [::1]:5000,                 true",
        "[::1]:5000,                  [::1]:5001,                 false",
        "[::1],                       [::1]:5000,                 false",
    })
    void portsMatchByTheNumberDialled(String key, String host, boolean expected) throws Exception {
        assertThat(covers(key, host, "org/app")).isEqualTo(expected);
    }

    @ParameterizedTest(name = "path: {0} covers quay.io/{1}: {2}")
    @CsvSource({
        "quay.io/org,          org/app,          true",
        "quay.io/org,          org/team/app,     true",
        "quay.io/org/,         org/app,          true",
        "quay.io//org,         org/app,          true",
        "quay.io/org,          org,              true",
        "quay.io/org,          org-evil/app,     false",
        "quay.io/org,          organisation/app, false",
        "quay.io/org/team,     org/team-b/app,   false",
        "quay.io/org/team,     org/team/app,     true",
        "quay.io/org/team,     org/app,          false",
        "quay.io/org/app,      org/app,          true",
        "quay.io/Org,          org/app,          false",
        "quay.io/org,          other/org/app,    false",
    })
    void keyPathIsAPrefixByWholeComponents(String key, String path, boolean expected) throws Exception {
        assertThat(covers(key, "quay.io", path)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "Docker Hub: {0} covers {1}: {2}")
    @CsvSource({
        "https://index.docker.io/v1/, docker.io,            true",
        "index.docker.io,             docker.io,            true",
        "registry-1.docker.io,        docker.io,            true",
        "docker.io,                   docker.io,            true",
        "https://docker.io,           docker.io,            true",
        "docker.io,                   index.docker.io,      true",
        "DOCKER.IO,                   Registry-1.Docker.io, true",
        "docker.io/library,           docker.io,            true",
        "https://index.docker.io/v1/, quay.io,              false",
        "docker.io:443,               docker.io,            true",
        "index.docker.io:443,         docker.io,            true",
        "registry.hub.docker.com,     docker.io,            true",
        "hub.docker.io,               docker.io,            false",
    })
    void dockerHubSpellingsAreOneRegistry(String key, String host, boolean expected) throws Exception {
        assertThat(covers(key, host, "library/nginx")).isEqualTo(expected);
    }

    @ParameterizedTest(name = "case: {0} covers {1}: {2}")
    @CsvSource({
        "Quay.IO,           quay.io,           true",
        "quay.io,           QUAY.io,           true",
        "*.EXAMPLE.com,     Reg.Example.COM,   true",
        "HTTPS://Quay.io/o, quay.io,           true",
    })
    void hostsCompareWithoutRegardToCase(String key, String host, boolean expected) throws Exception {
        assertThat(covers(key, host, "o/app")).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is not {1}")
    @CsvSource({
        "quay.io,     quay.io.evil.com",
        "quay.io,     evilquay.io",
        "quay.io,     quay.com",
        "a.quay.io,   quay.io",
    })
    void exactHostsDoNotMatchSimilarHosts(String key, String host) throws Exception {
        assertThat(covers(key, host, "org/app")).isFalse();
    }

    @org.junit.jupiter.api.Test
    void lookupOfAHostPathHostOnlyMatchesKeysWithoutAPath() throws Exception {
        DockerConfigCredentials c = Configs.keyed("quay.io", "quay.io/org");

        assertThat(c.credentialsFor("quay.io", "")).extracting(Credential::matchedKey).containsExactly("quay.io");
    }

    @org.junit.jupiter.api.Test
    void aMalformedImageHostIsTheCallersMistake() throws Exception {
        DockerConfigCredentials c = Configs.keyed("quay.io");

        assertThatThrownBy(() -> c.credentialsFor("a:b:c", "o/r")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("registry host \"a:b:c\" has more than one ':'; write an IPv6 address in brackets");
    }
}
