package org.imagepolicy.webhook.registry.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imagepolicy.webhook.registry.credentials.Configs.auth;
import static org.imagepolicy.webhook.registry.credentials.Configs.auths;
import static org.imagepolicy.webhook.registry.credentials.Configs.b64;

import org.junit.jupiter.api.Test;

/** What is ignored rather than refused, and the warnings that say so. */
class DockerConfigWarningsTest {

    @Test
    void credentialHelpersAndHeadersAreIgnoredWithWarnings() throws Exception {
        String json = "{\"auths\":{\"quay.io\":" + auth("u", "p") + "},\"credsStore\":\"desktop\","
                + "\"credHelpers\":{\"gcr.io\":\"gcloud\"},\"HttpHeaders\":{\"User-Agent\":\"x\"},\"psFormat\":\"table\"}";

        DockerConfigCredentials c = DockerConfigCredentials.parse("cfg", json, DockerConfigFormat.CONFIG_JSON);

        assertThat(c.credentialsFor("quay.io", "o/r")).hasSize(1);
        assertThat(c.warnings()).containsExactly(
                "cfg: \"credsStore\" is ignored: credential helpers are not run, so credentials kept only in the store are not available",
                "cfg: \"credHelpers\" is ignored: credential helpers are not run, so credentials kept only in a helper are not available",
                "cfg: \"HttpHeaders\" is ignored: custom HTTP headers are not sent to registries",
                "cfg: \"psFormat\" is ignored");
    }

    @Test
    void entriesWithoutCredentialsAreSkippedWithAWarning() throws Exception {
        // What `docker login` writes when a credsStore holds the secret.
        String json = "{\"auths\":{\"https://index.docker.io/v1/\":{},\"quay.io\":{\"email\":\"a@b.c\"}},\"credsStore\":\"osxkeychain\"}";

        DockerConfigCredentials c = DockerConfigCredentials.parse("cfg", json);

        assertThat(c.isEmpty()).isTrue();
        assertThat(c.credentialsFor("docker.io", "library/nginx")).isEmpty();
        assertThat(c.warnings()).contains(
                "cfg: auths.\"https://index.docker.io/v1/\" has no credentials (perhaps they are in a credential store); skipped",
                "cfg: auths.\"quay.io\" has no credentials (perhaps they are in a credential store); skipped");
    }

    @Test
    void unknownEntryFieldsAreIgnoredWithAWarning() throws Exception {
        String entry = "{\"auth\":\"" + b64("u:p") + "\",\"registrytoken\":\"zzz\"}";

        DockerConfigCredentials c = DockerConfigCredentials.parse("x", auths("quay.io", entry), DockerConfigFormat.CONFIG_JSON);

        assertThat(c.credentialsFor("quay.io", "o/r")).hasSize(1);
        assertThat(c.warnings()).containsExactly("x: auths.\"quay.io\".\"registrytoken\" is not used; ignored");
    }

    @Test
    void namesHoldingUserInfoAreNamedByPositionNotRepeated() throws Exception {
        String entry = "{\"auth\":\"" + b64("u:p") + "\",\"robot:hunter2@quay.io\":\"x\"}";

        DockerConfigCredentials c = DockerConfigCredentials.parse("x", auths("quay.io", entry), DockerConfigFormat.CONFIG_JSON);

        assertThat(c.warnings()).containsExactly("x: auths.\"quay.io\".<a field> is not used; ignored");
    }

    @Test
    void missingAuthsGivesNoCredentialsAndSaysSo() throws Exception {
        DockerConfigCredentials c = DockerConfigCredentials.parse("x", "{}", DockerConfigFormat.CONFIG_JSON);

        assertThat(c.isEmpty()).isTrue();
        assertThat(c.warnings()).containsExactly("x: has no \"auths\" object, so it provides no credentials");
    }
}
