package org.imagepolicy.webhook.registry.credentials;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Small builders for test configs, so each test shows only the JSON that matters to it. */
final class Configs {
    private Configs() {
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A .dockerconfigjson entry with {@code auth} only. */
    static String auth(String user, String password) {
        return "{\"auth\":\"" + b64(user + ":" + password) + "\"}";
    }

    /** {@code {"auths": {key: entry, ...}}} from alternating key and entry JSON. */
    static String auths(String... keyAndEntry) {
        StringBuilder sb = new StringBuilder("{\"auths\":{");
        for (int i = 0; i < keyAndEntry.length; i += 2) {
            sb.append(i == 0 ? "" : ",").append('"').append(keyAndEntry[i]).append("\":").append(keyAndEntry[i + 1]);
        }
        return sb.append("}}").toString();
    }

    /** Credentials whose usernames name their keys, one key per entry, in the order given. */
    static DockerConfigCredentials keyed(String... keys) throws CredentialsException {
        String[] pairs = new String[keys.length * 2];
        for (int i = 0; i < keys.length; i++) {
            pairs[2 * i] = keys[i];
            pairs[2 * i + 1] = auth("user-" + i, "pw-" + i);
        }
        return DockerConfigCredentials.parse("test.json", auths(pairs), DockerConfigFormat.CONFIG_JSON);
    }
}
