package org.imagepolicy.webhook.registry.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imagepolicy.webhook.registry.credentials.Configs.b64;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Feeds distinctive secrets through every path that produces text (valid and malformed configs, warnings,
 * toString, exception messages, causes and stack traces) and searches all of it for any trace of them.
 */
class SecretRedactionTest {
    private final String password = "pw-" + UUID.randomUUID();
    private final String token = "tok-" + UUID.randomUUID();
    private final String header = "hdr-" + UUID.randomUUID();
    private final String auth = b64("robot:" + password);

    private final List<String> texts = new ArrayList<>();
    private int failures;

    @Test
    void noMessageWarningOrToStringRevealsASecret() {
        String entry = "{\"auth\":\"" + auth + "\",\"identitytoken\":\"" + token + "\"}";
        // Valid configs in both layouts, with everything that yields a warning.
        collect("{\"auths\":{\"quay.io\":" + entry + ",\"gcr.io\":{\"username\":\"u\",\"password\":\"" + password + "\"}},"
                + "\"credsStore\":\"" + header + "\",\"credHelpers\":{\"x.io\":\"" + header + "\"},"
                + "\"HttpHeaders\":{\"Authorization\":\"Bearer " + header + "\"},\"other\":\"" + header + "\"}");
        collect("{\"quay.io\":" + entry + "}");
        collect("{\"auths\":{\"quay.io\":{\"auth\":\"" + auth + "\",\"username\":\"x\",\"password\":\"other-" + password + "\"}}}");
        collect("{\"auths\":{\"quay.io\":{\"auth\":\"" + auth + "\",\"registrytoken\":\"" + token + "\"}}}");
        // Malformed: the secret sits right where the parser or decoder stops.
        collect("{\"auths\":{\"quay.io\":{\"auth\":\"" + password + "\"}}}");
        collect("{\"auths\":{\"quay.io\":{\"auth\":\"" + b64(password) + "\"}}}");
        collect("{\"auths\":{\"quay.io\":{\"auth\":\"" + auth + "!\"}}}");
        collect("{\"auths\":{\"quay.io\":{\"password\":" + password + "}}}");
        collect("{\"auths\":{\"quay.io\":{\"password\":\"" + password);
        collect("{\"auths\":{\"quay.io\":{\"password\":\"" + password + "\"}}} " + token);
        collect("{\"auths\":{\"quay.io\":{\"password\":\"" + password + "\",\"password\":\"" + token + "\"}}}");
        collect("{\"auths\":{\"quay.io\":{\"password\":[\"" + password + "\"],\"identitytoken\":\"" + token + "\"}}}");
        collect("{\"auths\":{\"robot:" + password + "@quay.io\":" + entry + "}}");
        collect("{\"robot:" + password + "@quay.io\":" + entry + "}");
        collect("{\"auths\":{\"quay.io\":\"" + auth + "\"}}");
        collect("{\"robot:" + password + "@quay.io\":" + entry + ",\"auths\":{}}");
        collect(password);
        collect("\"" + token + "\"");

        assertThat(failures).as("malformed inputs exercised").isGreaterThanOrEqualTo(12);
        assertThat(texts).as("texts searched").hasSizeGreaterThan(30);
        for (String secret : List.of(password, token, header, auth, b64(password), secret(password), secret(token), secret(header))) {
            assertThat(texts).noneMatch(t -> t.contains(secret));
        }
    }

    @Test
    void credentialToStringRedactsButSaysWhichSecretsArePresent() {
        Credential c = new Credential("robot", password, token, "quay.io/org", "pull-secret.json");

        assertThat(c.toString()).isEqualTo("Credential[username=robot, password=<redacted>, identityToken=<redacted>,"
                + " key=quay.io/org, source=pull-secret.json]");
        assertThat(new Credential("robot", password, "", "quay.io", "s").toString()).contains("identityToken=<none>");
    }

    /** The random part alone, in case a message truncates or re-quotes the value. */
    private static String secret(String value) {
        return value.substring(value.indexOf('-') + 1, value.indexOf('-') + 13);
    }

    private void collect(String json) {
        for (DockerConfigFormat format : DockerConfigFormat.values()) {
            try {
                DockerConfigCredentials c = DockerConfigCredentials.parse("s.json", json, format);
                texts.add(c.toString());
                texts.addAll(c.warnings());
                for (String host : List.of("quay.io", "gcr.io")) {
                    c.credentialsFor(host, "org/app").forEach(cred -> texts.add(cred.toString()));
                }
            } catch (CredentialsException e) {
                failures++;
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                texts.add(trace.toString());
                for (Throwable t = e; t != null; t = t.getCause()) {
                    texts.add(String.valueOf(t.getMessage()));
                    texts.add(t.toString());
                }
            }
        }
    }
}
