package org.imagepolicy.webhook.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChallengeAndAddressTest {

    @Test
    void parsesBearerChallengesWithCommasInsideQuotes() {
        Challenge c = Challenge.parse("Bearer realm=\"https://auth.example.com/token\",service=\"registry.example.com\","
                + "scope=\"repository:org/app:pull,push repository:org/other:pull\"");
        assertThat(c.isBearer()).isTrue();
        assertThat(c.param("realm")).isEqualTo("https://auth.example.com/token");
        assertThat(c.param("service")).isEqualTo("registry.example.com");
        assertThat(c.param("scope")).isEqualTo("repository:org/app:pull,push repository:org/other:pull");
        assertThat(Challenge.parse("Basic realm=\"Registry Realm\"").isBasic()).isTrue();
        assertThat(Challenge.parse("bearer realm=unquoted,service=svc").param("service")).isEqualTo("svc");
        assertThat(Challenge.parse("")).isNull();
    }

    @ParameterizedTest(name = "{0} is internal: {1}")
    @CsvSource({
        "127.0.0.1, true", "127.9.9.9, true", "::1, true", "169.254.169.254, true", "fe80::1, true", "10.1.2.3, true",
        "172.16.0.1, true", "192.168.1.1, true", "100.64.0.1, true", "0.0.0.0, true", "fd00::1, true", "::ffff:127.0.0.1, true",
        "224.0.0.1, true", "255.255.255.255, true", "8.8.8.8, false", "151.101.1.1, false", "2606:4700::1111, false",
        "100.128.0.1, false", "172.32.0.1, false",
    })
    void classifiesInternalAddresses(String address, boolean internal) throws Exception {
        assertThat(AddressGuard.internal(InetAddress.getByName(address))).isEqualTo(internal);
    }

    @Test
    void refusesInternalAddressesUnlessTheRegistryIsNamed() {
        AddressGuard guard = new AddressGuard(Set.of("127.0.0.1:5000"));
        assertThatThrownBy(() -> guard.resolve("169.254.169.254", "169.254.169.254"))
                .isInstanceOf(RegistryException.class).hasMessageContaining("refusing to contact 169.254.169.254")
                .hasMessageContaining("--allow-registry-address");
        assertThatThrownBy(() -> guard.resolve("localhost:5001", "localhost")).hasMessageContaining("internal address");
        assertThat(guard.resolve("127.0.0.1:5000", "127.0.0.1").isLoopbackAddress()).isTrue();
    }

    @Test
    void dockerHubApiLivesOnItsOwnHost() {
        assertThat(Endpoint.of("docker.io")).isEqualTo(new Endpoint("docker.io", "registry-1.docker.io", 443));
        assertThat(Endpoint.of("quay.io").port(true)).isEqualTo(443);
        assertThat(Endpoint.of("127.0.0.1:5000")).isEqualTo(new Endpoint("127.0.0.1:5000", "127.0.0.1", 5000));
        assertThat(Endpoint.of("[::1]:5000").host()).isEqualTo("[::1]");
    }
}
