package org.imagepolicy.webhook.registry.credentials;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the two Docker config layouts into key/credential entries, in document order, plus warnings for
 * what is ignored. Messages name the JSON key at fault and never a value: Jackson's own messages can quote
 * the input, so only its line and column are used.
 */
final class DockerConfigParser {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** The rest of config.json, which holds no credentials of its own. */
    private static final Map<String, String> CONFIG_JSON_SETTINGS = Map.of(
            "credsStore", "credential helpers are not run, so credentials kept only in the store are not available",
            "credHelpers", "credential helpers are not run, so credentials kept only in a helper are not available",
            "HttpHeaders", "custom HTTP headers are not sent to registries");

    record Entry(RegistryKey key, Credential credential) {
    }

    record Parsed(List<Entry> entries, List<String> warnings) {
    }

    private final String source;
    private final List<Entry> entries = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private DockerConfigParser(String source) {
        this.source = source;
    }

    static Parsed parse(String source, String text, DockerConfigFormat format) throws CredentialsException {
        DockerConfigParser parser = new DockerConfigParser(source);
        JsonNode root = parser.readJson(text);
        DockerConfigFormat actual = format == DockerConfigFormat.DETECT ? detect(root) : format;
        if (actual == DockerConfigFormat.CONFIG_JSON) {
            parser.configJson(root);
        } else {
            parser.entries(root, "");
        }
        return new Parsed(List.copyOf(parser.entries), List.copyOf(parser.warnings));
    }

    private static DockerConfigFormat detect(JsonNode root) {
        if (root.has("auths") || CONFIG_JSON_SETTINGS.keySet().stream().anyMatch(root::has)) {
            return DockerConfigFormat.CONFIG_JSON;
        }
        return DockerConfigFormat.DOCKERCFG;
    }

    private JsonNode readJson(String text) throws CredentialsException {
        String json = text.startsWith("\uFEFF") ? text.substring(1) : text;
        if (json.isBlank()) {
            throw new CredentialsException(source, "is empty; expected a Docker config JSON object");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            String what = e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
                    ? "has a duplicate key" : "is not valid JSON";
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw new CredentialsException(source, what + where);
        }
        if (!root.isObject()) {
            throw new CredentialsException(source, "must be a JSON object");
        }
        return root;
    }

    private void configJson(JsonNode root) throws CredentialsException {
        int index = 0;
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            index++;
            if (field.getKey().equals("auths")) {
                continue;
            }
            String why = CONFIG_JSON_SETTINGS.get(field.getKey());
            String name = EntryReader.name(field.getKey(), "top-level key " + index);
            if (why == null && EntryReader.looksLikeEntry(field.getValue())) {
                throw new CredentialsException(source, name + " looks like a .dockercfg entry, but in"
                        + " .dockerconfigjson format entries belong under \"auths\"");
            }
            warn(name + " is ignored" + (why == null ? "" : ": " + why));
        }
        JsonNode auths = root.get("auths");
        if (auths == null || auths.isNull()) {
            warn("has no \"auths\" object, so it provides no credentials");
            return;
        }
        if (!auths.isObject()) {
            throw new CredentialsException(source, "auths must be an object of registry keys");
        }
        entries(auths, "auths.");
    }

    private void entries(JsonNode container, String prefix) throws CredentialsException {
        int index = 0;
        for (Map.Entry<String, JsonNode> field : container.properties()) {
            index++;
            String where = prefix + EntryReader.name(field.getKey(), "entry " + index);
            if (prefix.isEmpty() && field.getKey().equals("auths")) {
                throw new CredentialsException(source,
                        "\"auths\" belongs to the .dockerconfigjson layout, but this is read as .dockercfg");
            }
            RegistryKey key;
            try {
                key = RegistryKey.parse(field.getKey());
            } catch (IllegalArgumentException e) {
                throw new CredentialsException(source, where + " is not a registry key: it " + e.getMessage());
            }
            EntryReader reader = new EntryReader(source, where, warnings);
            Credential credential = reader.read(field.getValue(), field.getKey());
            if (credential != null) {
                entries.add(new Entry(key, credential));
            }
        }
    }

    private void warn(String problem) {
        warnings.add(source + ": " + problem);
    }
}
