package org.imagepolicy.webhook.registry.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imagepolicy.webhook.registry.credentials.Configs.auth;
import static org.imagepolicy.webhook.registry.credentials.Configs.auths;
import static org.imagepolicy.webhook.registry.credentials.Configs.b64;

import java.util.List;
import org.junit.jupiter.api.Test;

class DockerConfigParsingTest {

    @Test
    void readsDockerConfigJsonWithAuth() throws Exception {
        DockerConfigCredentials c = DockerConfigCredentials.parse("pull-secret.json",
                auths("quay.io", auth("robot", "s3cr:et")), DockerConfigFormat.CONFIG_JSON);

        assertThat(c.credentialsFor("quay.io", "org/app"))
                .containsExactly(new Credential("robot", "s3cr:et", "", "quay.io", "pull-secret.json"));
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void readsLegacyDockercfgWithEntriesAtTopLevel() throws Exception {
        String dockercfg = "{\"https://registry.example.com\":{\"username\":\"u\",\"password\":\"p\",\"email\":\"u@example.com\"}}";

        DockerConfigCredentials c = DockerConfigCredentials.parse("old", dockercfg, DockerConfigFormat.DOCKERCFG);

        assertThat(c.credentialsFor("registry.example.com", "a/b"))
                .containsExactly(new Credential("u", "p", "", "https://registry.example.com", "old"));
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void detectsEitherLayout() throws Exception {
        String json = auths("quay.io", auth("a", "b"));
        String dockercfg = "{\"quay.io\":" + auth("c", "d") + "}";

        assertThat(DockerConfigCredentials.parse("x", json).credentialsFor("quay.io", "o/r"))
                .extracting(Credential::username).containsExactly("a");
        assertThat(DockerConfigCredentials.parse("x", dockercfg).credentialsFor("quay.io", "o/r"))
                .extracting(Credential::username).containsExactly("c");
        assertThat(DockerConfigCredentials.parse("x", "{\"credsStore\":\"desktop\"}").isEmpty()).isTrue();
    }

    @Test
    void usernameAndPasswordAloneAreUsed() throws Exception {
        DockerConfigCredentials c = DockerConfigCredentials.parse("x",
                auths("quay.io", "{\"username\":\"u\",\"password\":\"p\"}"), DockerConfigFormat.CONFIG_JSON);

        assertThat(c.credentialsFor("quay.io", "o/r")).extracting(Credential::username, Credential::password)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("u", "p"));
    }

    @Test
    void authWinsOverDisagreeingUsernameAndPasswordWithAWarningThatNamesNoValue() throws Exception {
        String entry = "{\"auth\":\"" + b64("from-auth:auth-pw") + "\",\"username\":\"other\",\"password\":\"other-pw\"}";

        DockerConfigCredentials c = DockerConfigCredentials.parse("s.json", auths("quay.io", entry), DockerConfigFormat.CONFIG_JSON);

        assertThat(c.credentialsFor("quay.io", "o/r")).extracting(Credential::username, Credential::password)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("from-auth", "auth-pw"));
        assertThat(c.warnings()).containsExactly(
                "s.json: auths.\"quay.io\" has username/password that differ from auth; using auth, as the kubelet does");
    }

    @Test
    void agreeingUsernameAndPasswordBesideAuthRaiseNoWarning() throws Exception {
        String entry = "{\"auth\":\"" + b64("u:p") + "\",\"username\":\"u\",\"password\":\"p\"}";

        DockerConfigCredentials c = DockerConfigCredentials.parse("x", auths("quay.io", entry), DockerConfigFormat.CONFIG_JSON);

        assertThat(c.warnings()).isEmpty();
        assertThat(c.credentialsFor("quay.io", "o/r")).hasSize(1);
    }

    @Test
    void emptyAuthCountsAsAbsentAsInTheKubelet() throws Exception {
        String entry = "{\"auth\":\"\",\"username\":\"u\",\"password\":\"p\"}";

        DockerConfigCredentials c = DockerConfigCredentials.parse("x", auths("quay.io", entry), DockerConfigFormat.CONFIG_JSON);

        assertThat(c.credentialsFor("quay.io", "o/r")).extracting(Credential::username).containsExactly("u");
    }

    @Test
    void passwordMayContainColonsAndUsernameMayBeEmpty() throws Exception {
        DockerConfigCredentials c = DockerConfigCredentials.parse("x",
                auths("a.io", auth("", "p:q:r"), "b.io", auth("u", "")), DockerConfigFormat.CONFIG_JSON);

        assertThat(c.credentialsFor("a.io", "o/r").get(0)).extracting(Credential::username, Credential::password)
                .containsExactly("", "p:q:r");
        assertThat(c.credentialsFor("b.io", "o/r").get(0)).extracting(Credential::username, Credential::password)
                .containsExactly("u", "");
    }

    @Test
    void authWrappedOverLinesIsAcceptedLikeGosDecoder() throws Exception {
        String encoded = b64("user:a-rather-long-password-that-a-tool-might-wrap");
        String wrapped = encoded.substring(0, 20) + "\\n" + encoded.substring(20);

        DockerConfigCredentials c = DockerConfigCredentials.parse("x",
                auths("quay.io", "{\"auth\":\"" + wrapped + "\"}"), DockerConfigFormat.CONFIG_JSON);

        assertThat(c.credentialsFor("quay.io", "o/r").get(0).password()).isEqualTo("a-rather-long-password-that-a-tool-might-wrap");
    }

    @Test
    void identityTokenIsKept() throws Exception {
        String entry = "{\"auth\":\"" + b64("<token>:") + "\",\"identitytoken\":\"refresh-me\"}";

        Credential c = DockerConfigCredentials.parse("x", auths("myacr.azurecr.io", entry), DockerConfigFormat.CONFIG_JSON)
                .credentialsFor("myacr.azurecr.io", "app").get(0);

        assertThat(c.hasIdentityToken()).isTrue();
        assertThat(c.identityToken()).isEqualTo("refresh-me");
        assertThat(c.username()).isEqualTo("<token>");
    }

    @Test
    void fieldNamesMatchWithoutRegardToCaseAsGosDecoderDoes() throws Exception {
        String entry = "{\"Username\":\"u\",\"PASSWORD\":\"p\",\"IdentityToken\":\"t\"}";

        Credential c = DockerConfigCredentials.parse("x", auths("quay.io", entry), DockerConfigFormat.CONFIG_JSON)
                .credentialsFor("quay.io", "o/r").get(0);

        assertThat(c).extracting(Credential::username, Credential::password, Credential::identityToken).containsExactly("u", "p", "t");
    }

    @Test
    void nullFieldsAreAbsent() throws Exception {
        String entry = "{\"auth\":null,\"username\":\"u\",\"password\":\"p\",\"email\":null}";

        assertThat(DockerConfigCredentials.parse("x", auths("quay.io", entry), DockerConfigFormat.CONFIG_JSON)
                .credentialsFor("quay.io", "o/r")).hasSize(1);
    }

    @Test
    void byteOrderMarkIsTolerated() throws Exception {
        assertThat(DockerConfigCredentials.parse("x", "\uFEFF" + auths("quay.io", auth("u", "p"))).isEmpty()).isFalse();
    }

    @Test
    void secretTypesMapToFormats() {
        assertThat(DockerConfigFormat.forSecretType("kubernetes.io/dockerconfigjson")).contains(DockerConfigFormat.CONFIG_JSON);
        assertThat(DockerConfigFormat.forSecretType("kubernetes.io/dockercfg")).contains(DockerConfigFormat.DOCKERCFG);
        assertThat(DockerConfigFormat.forSecretType("Opaque")).isEmpty();
        assertThat(DockerConfigFormat.CONFIG_JSON.secretDataKey()).isEqualTo(".dockerconfigjson");
        assertThat(DockerConfigFormat.DOCKERCFG.secretDataKey()).isEqualTo(".dockercfg");
    }

    @Test
    void keysAndToStringShowKeysOnly() throws Exception {
        DockerConfigCredentials c = Configs.keyed("quay.io", "quay.io/org");

        assertThat(c.keys()).isEqualTo(List.of("quay.io/org", "quay.io"));
        assertThat(c.toString()).isEqualTo("DockerConfigCredentials[source=test.json, keys=[quay.io/org, quay.io]]");
        assertThat(c.source()).isEqualTo("test.json");
    }
}
