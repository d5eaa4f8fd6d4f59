package org.imagepolicy.webhook.registry.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One entry's fields, decided as the kubelet's {@code DockerConfigEntry.UnmarshalJSON} does: field names match
 * without regard to case (Go's encoding/json does so), and a non-empty {@code auth} is decoded into username
 * and password and wins over the separate fields. {@code identitytoken} is read too, which the kubelet skips.
 */
final class EntryReader {
    private static final Set<String> FIELDS = Set.of("auth", "username", "password", "email", "identitytoken");

    private final String source;
    private final String where;
    private final List<String> warnings;

    EntryReader(String source, String where, List<String> warnings) {
        this.source = source;
        this.where = where;
        this.warnings = warnings;
    }

    /** The credential, or {@code null} (with a warning) when the entry holds none. */
    Credential read(JsonNode node, String key) throws CredentialsException {
        if (!node.isObject()) {
            throw fail(" must be an object with auth, or username and password");
        }
        Map<String, String> values = new HashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = field.getKey().toLowerCase(Locale.ROOT);
            if (!FIELDS.contains(name)) {
                warnings.add(source + ": " + where + "." + name(field.getKey(), "a field") + " is not used; ignored");
                continue;
            }
            if (values.containsKey(name)) {
                throw fail(" has " + name + " twice (field names are not case-sensitive)");
            }
            JsonNode value = field.getValue();
            if (!value.isNull() && !value.isTextual()) {
                throw fail("." + name + " must be a string");
            }
            values.put(name, value.isNull() ? "" : value.asText());
        }
        String username = values.getOrDefault("username", "");
        String password = values.getOrDefault("password", "");
        String auth = values.getOrDefault("auth", "");
        if (!auth.isEmpty()) {
            String[] decoded = decodeAuth(auth);
            if ((!username.isEmpty() || !password.isEmpty()) && !(decoded[0].equals(username) && decoded[1].equals(password))) {
                warnings.add(source + ": " + where
                        + " has username/password that differ from auth; using auth, as the kubelet does");
            }
            username = decoded[0];
            password = decoded[1];
        }
        String identityToken = values.getOrDefault("identitytoken", "");
        if (username.isEmpty() && password.isEmpty() && identityToken.isEmpty()) {
            // Docker writes such empty entries when the secret itself lives in a credsStore.
            warnings.add(source + ": " + where + " has no credentials (perhaps they are in a credential store); skipped");
            return null;
        }
        return new Credential(username, password, identityToken, key, source);
    }

    /** base64("user:password"); the password may contain ':', the username may not. */
    private String[] decodeAuth(String auth) throws CredentialsException {
        byte[] bytes;
        try {
            // Go's StdEncoding skips line breaks, so base64 wrapped by a tool is accepted there too.
            bytes = Base64.getDecoder().decode(auth.replace("\r", "").replace("\n", ""));
        } catch (IllegalArgumentException e) {
            // Not chained: the decoder's message names the offending character of the secret.
            throw fail(".auth is not base64 of user:password (it is not valid base64)");
        }
        String decoded = new String(bytes, StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw fail(".auth is not base64 of user:password (the decoded value has no ':')");
        }
        return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }

    /** Heuristic for a .dockercfg entry misplaced at the top level of .dockerconfigjson. */
    static boolean looksLikeEntry(JsonNode node) {
        if (!node.isObject()) {
            return false;
        }
        var names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next().toLowerCase(Locale.ROOT);
            if (name.equals("auth") || name.equals("username") || name.equals("password") || name.equals("identitytoken")) {
                return true;
            }
        }
        return false;
    }

    /**
     * A key as messages name it: quoted, or by position when it holds user info ({@code user:pass@host}),
     * because repeating it would repeat the password.
     */
    static String name(String key, String position) {
        return key.indexOf('@') >= 0 ? "<" + position + ">" : quote(key);
    }

    /** A JSON key as it appears in messages: double-quoted, with quotes, backslashes and controls escaped. */
    static String quote(String key) {
        StringBuilder sb = new StringBuilder(key.length() + 2).append('"');
        for (char c : key.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private CredentialsException fail(String problem) {
        return new CredentialsException(source, where + problem);
    }
}
