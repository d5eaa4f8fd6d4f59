package org.imagepolicy.webhook.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** One registry, one key: every spelling a runtime dials the same way canonicalizes to the same string. */
class RegistryNameTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
        // case and Docker Hub's names
        "quay.io                       | quay.io",
        "QUAY.io                       | quay.io",
        "index.docker.io               | docker.io",
        "Registry-1.Docker.IO          | docker.io",
        "registry.hub.docker.com       | docker.io",
        // the default port is no port; ports are numbers
        "quay.io:443                   | quay.io",
        "quay.io:0443                  | quay.io",
        "quay.io:000000443             | quay.io",
        "docker.io:443                 | docker.io",
        "index.docker.io:443           | docker.io",
        "registry.example.com:5000     | registry.example.com:5000",
        "registry.example.com:05000    | registry.example.com:5000",
        "registry.example.com:80       | registry.example.com:80",
        "localhost:5000                | localhost:5000",
        "docker.io:5000                | docker.io:5000",
        // IPv6 literals as RFC 5952 text
        "[2001:db8::1]:5000            | [2001:db8::1]:5000",
        "[2001:db8:0:0:0:0:0:1]:5000   | [2001:db8::1]:5000",
        "[2001:DB8::0001]:05000        | [2001:db8::1]:5000",
        "[2001:db8:0::1]:443           | [2001:db8::1]",
        "[::1]                         | [::1]",
        "[0:0:0:0:0:0:0:1]             | [::1]",
        "[2001:db8:0:0:1:0:0:1]        | [2001:db8::1:0:0:1]",
        "[2001:0:0:1:0:0:0:1]          | [2001:0:0:1::1]",
        "[2001:db8:1:1:1:1:1:0]        | [2001:db8:1:1:1:1:1:0]",
        // an IPv4-mapped IPv6 address reaches the IPv4 host
        "[::ffff:a00:1]:5000           | 10.0.0.1:5000",
        "[0:0:0:0:0:FFFF:0A00:0001]    | 10.0.0.1",
        // numeric hosts as glibc's resolver reads them
        "10.0.0.1                      | 10.0.0.1",
        "010.0.0.1                     | 8.0.0.1",
        "0xa.0.0.1                     | 10.0.0.1",
        "10.1                          | 10.0.0.1",
        "127.1:5000                    | 127.0.0.1:5000",
        "2130706433:5000               | 127.0.0.1:5000",
        "0x7f000001:5000               | 127.0.0.1:5000",
        "10.0.1                        | 10.0.0.1",
        "10.0.256                      | 10.0.1.0",
        // names that only look numeric stay names
        "1password.com                 | 1password.com",
        "09.example.com                | 09.example.com",
        "10.0.0.1.example.com          | 10.0.0.1.example.com",
        "256.0.0.1                     | 256.0.0.1",
    })
    void oneRegistryOneKey(String name, String key) {
        assertThat(RegistryName.canonical(name)).isEqualTo(key);
        assertThat(RegistryName.canonical(key)).as("canonical keys are fixed points").isEqualTo(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"quay.io:65536", "quay.io:99999999", "quay.io:", "quay.io:44a", "[2001:db8::1", "[2001:db8:::1]",
        "[2001:db8::1::2]", "[1:2:3:4:5:6:7:8:9]", "[1:2:3:4:5:6:7]", "[12345::1]", "[::ffff:10.0.0.1]", "[fe80::1%eth0]",
        "[:1]", "[1:]", "[]", "-quay.io", "quay-.io", "qu_ay.io", "quay..io", "[::1]x"})
    void malformedPortsAndLiteralsStayInvalid(String name) {
        assertThatThrownBy(() -> RegistryName.canonical(name)).isInstanceOf(InvalidImageReferenceException.class);
    }

    @ParameterizedTest(name = "{0} matches {1}: deny {2}, allow {3}")
    @CsvSource({
        // pattern,               image's registry,          as a deny rule, as an allow rule
        "quay.io,                 quay.io:443,               true,  true",
        "quay.io,                 quay.io:8443,              true,  false",
        "quay.io:443,             quay.io,                   true,  true",
        "quay.io:443,             quay.io:8443,              false, false",
        "quay.io:8443,            quay.io:08443,             true,  true",
        "quay.io:8443,            quay.io,                   false, false",
        "*.example.com,           a.example.com:443,         true,  true",
        "*.example.com,           a.example.com:5000,        true,  false",
        "*.example.com:5000,      a.example.com:05000,       true,  true",
        "*.docker.io,             index.docker.io,           true,  true",
        "*.docker.io,             docker.io,                 true,  true",
        "*.hub.docker.com,        docker.io:443,             true,  true",
        "*.example.com,           example.com,               false, false",
        "[2001:db8::1]:5000,      [2001:db8:0:0:0:0:0:1]:5000, true, true",
        "[2001:db8::1],           [2001:db8::1]:5000,        true,  false",
        "10.0.0.1,                0xa.0.0.1,                 true,  true",
        "10.0.0.1,                [::ffff:a00:1]:5000,       true,  false",
        "index.docker.io:443,     docker.io,                 true,  true",
    })
    void aPatternWithoutAPortCoversEveryPortOnlyWhereItDenies(String pattern, String registry, boolean deny, boolean allow) {
        HostPattern p = HostPattern.parse(pattern);
        String key = RegistryName.canonical(registry);
        assertThat(p.matches(key, true)).as("deny reading").isEqualTo(deny);
        assertThat(p.matches(key, false)).as("allow reading").isEqualTo(allow);
    }
}
