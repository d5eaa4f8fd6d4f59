package org.imagepolicy.webhook.registry.credentials;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each way a config can be unusable, and the message that names the source and key without the secret. */
class MalformedConfigTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        // input | expected message
        "{\"auths\":{\"quay.io\":{\"auth\":\"!!!notbase64\"}}}"
            + "| pull-secret.json: auths.\"quay.io\".auth is not base64 of user:password (it is not valid base64)",
        "{\"auths\":{\"quay.io\":{\"auth\":\"dXNlcm5hbWVvbmx5\"}}}"
            + "| pull-secret.json: auths.\"quay.io\".auth is not base64 of user:password (the decoded value has no ':')",
        "{\"auths\":{\"quay.io\":{\"password\":42}}}| pull-secret.json: auths.\"quay.io\".password must be a string",
        "{\"auths\":{\"quay.io\":{\"auth\":{\"x\":1}}}}| pull-secret.json: auths.\"quay.io\".auth must be a string",
        "{\"auths\":{\"quay.io\":\"dTpw\"}}"
            + "| pull-secret.json: auths.\"quay.io\" must be an object with auth, or username and password",
        "{\"auths\":{\"quay.io\":{\"username\":\"a\",\"Username\":\"b\"}}}"
            + "| pull-secret.json: auths.\"quay.io\" has username twice (field names are not case-sensitive)",
        "{\"auths\":[]}| pull-secret.json: auths must be an object of registry keys",
        "[]| pull-secret.json: must be a JSON object",
        "'   '| pull-secret.json: is empty; expected a Docker config JSON object",
        "{\"auths\":{}| pull-secret.json: is not valid JSON (line 1, column 12)",
        "{\"auths\":{}} {}| pull-secret.json: is not valid JSON (line 1, column 14)",
        "{\"auths\":{},\"auths\":{}}| pull-secret.json: has a duplicate key (line 1, column 20)",
        "{\"quay.io\":{\"auth\":\"dTpw\"},\"auths\":{}}"
            + "| pull-secret.json: \"quay.io\" looks like a .dockercfg entry, but in .dockerconfigjson format entries belong under \"auths\"",
    })
    void configJsonProblemsAreNamed(String input, String message) {
        String json = input.equals("'   '") ? "   " : input;
        assertThatThrownBy(() -> DockerConfigCredentials.parse("pull-secret.json", json, DockerConfigFormat.CONFIG_JSON))
                .isInstanceOf(CredentialsException.class).hasMessage(message).hasNoCause();
    }

    @ParameterizedTest(name = "key {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "quay io| auths.\"quay io\" is not a registry key: it contains whitespace",
        "oci://quay.io| auths.\"oci://quay.io\" is not a registry key: it has a scheme other than http:// or https://",
        "https://| auths.\"https://\" is not a registry key: it has no host",
        "/org| auths.\"/org\" is not a registry key: it has no host",
        "quay.io:http| auths.\"quay.io:http\" is not a registry key: it has a port that is not a number from 0 to 65535",
        "quay.io:99999| auths.\"quay.io:99999\" is not a registry key: it has a port that is not a number from 0 to 65535",
        "quay.io:| auths.\"quay.io:\" is not a registry key: it has a port that is not a number from 0 to 65535",
        "quay..io| auths.\"quay..io\" is not a registry key: it has an empty host label (a leading, trailing or doubled '.')",
        "quay.io.| auths.\"quay.io.\" is not a registry key: it has an empty host label (a leading, trailing or doubled '.')",
        "[a-z].example.com| auths.\"[a-z].example.com\" is not a registry key: it has '[' that does not start an IPv6 address;"
            + " character classes are not supported, only the glob *",
        "reg[0-9].example.com| auths.\"reg[0-9].example.com\" is not a registry key: it uses a character class ([...]); only the glob * is supported",
        "quay.io/org/*| auths.\"quay.io/org/*\" is not a registry key: it has a wildcard in its path; wildcards are only matched in the host",
        "quay.io?x=1| auths.\"quay.io?x=1\" is not a registry key: it contains '?'; write host[:port][/path]",
        "r?g.example.com| auths.\"r?g.example.com\" is not a registry key: it contains '?'; write host[:port][/path]",
        "quay%.io| auths.\"quay%.io\" is not a registry key: it has a host with characters other than letters, digits, '-', '.' and '*'",
        "[::1| auths.\"[::1\" is not a registry key: it has an IPv6 address without its closing ']'",
        "a:b:c| auths.\"a:b:c\" is not a registry key: it has more than one ':'; write an IPv6 address in brackets",
        "robot:hunter2@quay.io| auths.<entry 1> is not a registry key: it contains '@'; write host[:port][/path]",
    })
    void badKeysAreNamedAndExplained(String key, String problem) {
        String json = Configs.auths(key, Configs.auth("u", "p"));
        assertThatThrownBy(() -> DockerConfigCredentials.parse("s", json, DockerConfigFormat.CONFIG_JSON))
                .isInstanceOf(CredentialsException.class).hasMessage("s: " + problem);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"quay.io\":{\"auth\":\"%%%\"}}| old.dockercfg: \"quay.io\".auth is not base64 of user:password (it is not valid base64)",
        "{\"quay.io\":true}| old.dockercfg: \"quay.io\" must be an object with auth, or username and password",
        "{\"auths\":{\"quay.io\":{}}}| old.dockercfg: \"auths\" belongs to the .dockerconfigjson layout, but this is read as .dockercfg",
        "{\"quay.io\\\"x\":{}}| old.dockercfg: \"quay.io\\\"x\" is not a registry key: it has a host with characters other than"
            + " letters, digits, '-', '.' and '*'",
    })
    void dockercfgProblemsAreNamedWithoutTheAuthsPrefix(String input, String message) {
        assertThatThrownBy(() -> DockerConfigCredentials.parse("old.dockercfg", input, DockerConfigFormat.DOCKERCFG))
                .isInstanceOf(CredentialsException.class).hasMessage(message);
    }
}
