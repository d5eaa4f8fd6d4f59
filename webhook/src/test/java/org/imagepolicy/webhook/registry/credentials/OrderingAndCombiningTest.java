package org.imagepolicy.webhook.registry.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OrderingAndCombiningTest {

    @Test
    void longerPathsComeFirstWhateverTheDocumentOrder() throws Exception {
        DockerConfigCredentials c = Configs.keyed("quay.io", "quay.io/org/team", "https://quay.io/org");

        assertThat(c.credentialsFor("quay.io", "org/team/app")).extracting(Credential::matchedKey)
                .containsExactly("quay.io/org/team", "https://quay.io/org", "quay.io");
        assertThat(c.credentialsFor("quay.io", "org/other")).extracting(Credential::matchedKey)
                .containsExactly("https://quay.io/org", "quay.io");
    }

    @Test
    void exactHostsComeBeforeGlobsAndNarrowerGlobsBeforeWiderOnes() throws Exception {
        DockerConfigCredentials c = Configs.keyed("*.example.com", "*.*.com", "reg*.example.com", "registry.example.com");

        assertThat(c.credentialsFor("registry.example.com", "a/b")).extracting(Credential::matchedKey)
                .containsExactly("registry.example.com", "reg*.example.com", "*.example.com", "*.*.com");
    }

    @Test
    void pathSpecificityOutranksHostSpecificity() throws Exception {
        DockerConfigCredentials c = Configs.keyed("registry.example.com", "*.example.com/team");

        assertThat(c.credentialsFor("registry.example.com", "team/app")).extracting(Credential::matchedKey)
                .containsExactly("*.example.com/team", "registry.example.com");
    }

    @Test
    void equallySpecificKeysKeepDocumentOrder() throws Exception {
        DockerConfigCredentials hubFirst = Configs.keyed("https://index.docker.io/v1/", "docker.io", "registry-1.docker.io");
        DockerConfigCredentials hubLast = Configs.keyed("registry-1.docker.io", "docker.io", "https://index.docker.io/v1/");

        assertThat(hubFirst.credentialsFor("docker.io", "library/nginx")).extracting(Credential::matchedKey)
                .containsExactly("https://index.docker.io/v1/", "docker.io", "registry-1.docker.io");
        assertThat(hubLast.credentialsFor("docker.io", "library/nginx")).extracting(Credential::matchedKey)
                .containsExactly("registry-1.docker.io", "docker.io", "https://index.docker.io/v1/");
    }

    @Test
    void keysListsTheOrderOfTrial() throws Exception {
        assertThat(Configs.keyed("quay.io", "*.quay.io", "quay.io/a/b", "quay.io/a").keys())
                .containsExactly("quay.io/a/b", "quay.io/a", "quay.io", "*.quay.io");
    }

    @Test
    void combinedSourcesAreAskedInOrderWithoutResorting() throws Exception {
        DockerConfigCredentials broad = DockerConfigCredentials.parse("first.json",
                Configs.auths("quay.io", Configs.auth("broad", "x")), DockerConfigFormat.CONFIG_JSON);
        DockerConfigCredentials narrow = DockerConfigCredentials.parse("second.json",
                Configs.auths("quay.io/org", Configs.auth("narrow", "y"), "gcr.io", Configs.auth("g", "z")),
                DockerConfigFormat.CONFIG_JSON);

        CredentialSource combined = CredentialSource.combine(broad, narrow);

        assertThat(combined.credentialsFor("quay.io", "org/app")).extracting(Credential::username, Credential::source)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("broad", "first.json"),
                        org.assertj.core.groups.Tuple.tuple("narrow", "second.json"));
        assertThat(combined.credentialsFor("gcr.io", "p/i")).extracting(Credential::username).containsExactly("g");
        assertThat(combined.credentialsFor("ghcr.io", "o/i")).isEmpty();
    }

    @Test
    void combiningNothingOrAnonymousIsAnonymous() {
        assertThat(CredentialSource.combine(List.of()).credentialsFor("quay.io", "o/r")).isEmpty();
        assertThat(CredentialSource.combine(CredentialSource.anonymous()).credentialsFor("quay.io", "o/r")).isEmpty();
    }

    @Test
    void sourcesPlugInAsLambdasAndResultsAreImmutable() {
        Credential fixed = new Credential("u", "p", null, "quay.io", "informer");
        CredentialSource fromCluster = (host, path) -> host.equals("quay.io") ? List.of(fixed) : List.of();

        List<Credential> found = CredentialSource.combine(fromCluster, fromCluster).credentialsFor("quay.io", "o/r");

        assertThat(found).containsExactly(fixed, fixed);
        assertThat(fixed.identityToken()).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> found.add(fixed)).isInstanceOf(UnsupportedOperationException.class);
    }
}
