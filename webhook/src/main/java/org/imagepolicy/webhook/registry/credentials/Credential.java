package org.imagepolicy.webhook.registry.credentials;

import java.util.Objects;

/**
 * One set of credentials for a registry key. Absent values are {@code ""}, never {@code null}.
 *
 * <p>{@link #toString()} redacts the password and identity token: records print every component by default,
 * and a credential ends up in log lines and assertion messages sooner or later.
 *
 * @param identityToken Docker's OAuth refresh token ({@code identitytoken}); when present, registries that
 *     support it expect it instead of the password in the token request
 * @param matchedKey the key as written in the config, e.g. {@code https://index.docker.io/v1/} or {@code quay.io/org}
 * @param source where the config came from, e.g. a file name or {@code secret ns/name}
 */
public record Credential(String username, String password, String identityToken, String matchedKey, String source) {

    public Credential {
        username = Objects.requireNonNullElse(username, "");
        password = Objects.requireNonNullElse(password, "");
        identityToken = Objects.requireNonNullElse(identityToken, "");
        Objects.requireNonNull(matchedKey, "matchedKey");
        Objects.requireNonNull(source, "source");
    }

    public boolean hasIdentityToken() {
        return !identityToken.isEmpty();
    }

    @Override
    public String toString() {
        return "Credential[username=" + username + ", password=" + redact(password) + ", identityToken="
                + redact(identityToken) + ", key=" + matchedKey + ", source=" + source + "]";
    }

    // Saying whether a secret is empty helps debugging and reveals nothing about its value.
    private static String redact(String secret) {
        return secret.isEmpty() ? "<none>" : "<redacted>";
    }
}
