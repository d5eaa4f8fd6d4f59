package org.imagepolicy.webhook.cluster.openshift;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the labels out of an Image's {@code dockerImageMetadata}, which the API types as a raw object
 * (fabric8's model leaves it untyped). Only {@code Config.Labels} is read: upstream's decoder does the
 * same. A missing or null {@code Config} or {@code Labels}, and non-text values, give no labels instead
 * of the crash upstream has on a null {@code Config}.
 */
final class DockerImageMetadata {
    private DockerImageMetadata() {
    }

    static Map<String, String> labels(JsonNode image) {
        JsonNode labels = image.path("dockerImageMetadata").path("Config").path("Labels");
        if (!labels.isObject()) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        labels.fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                out.put(e.getKey(), e.getValue().asText());
            }
        });
        return out;
    }

    static Map<String, String> annotations(JsonNode image) {
        JsonNode annotations = image.path("metadata").path("annotations");
        if (!annotations.isObject()) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        annotations.fields().forEachRemaining(e -> {
            if (e.getValue().isTextual()) {
                out.put(e.getKey(), e.getValue().textValue());
            }
        });
        return out;
    }
}
