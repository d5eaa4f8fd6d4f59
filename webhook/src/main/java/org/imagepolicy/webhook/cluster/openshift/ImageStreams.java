package org.imagepolicy.webhook.cluster.openshift;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.imagepolicy.webhook.registry.ImageStreamRecord;

/** The image streams of the cluster as the informer last saw them, by namespace and name. */
final class ImageStreams {
    private final Map<String, ImageStreamRecord> streams = new ConcurrentHashMap<>();

    void put(JsonNode stream) {
        ImageStreamRecord s = read(stream);
        streams.put(key(s.namespace(), s.name()), s);
    }

    void remove(String namespace, String name) {
        streams.remove(key(namespace, name));
    }

    ImageStreamRecord get(String namespace, String name) {
        return streams.get(key(namespace, name));
    }

    int size() {
        return streams.size();
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    /** An ImageStream as the API serves it: the newest item of each {@code status.tags} entry is the tag's image. */
    static ImageStreamRecord read(JsonNode stream) {
        JsonNode meta = stream.path("metadata");
        JsonNode spec = stream.path("spec");
        JsonNode status = stream.path("status");
        Map<String, Boolean> localReference = new HashMap<>();
        for (JsonNode t : spec.path("tags")) {
            localReference.put(t.path("name").asText(""), "Local".equals(t.path("referencePolicy").path("type").asText("")));
        }
        Map<String, ImageStreamRecord.Tag> tags = new HashMap<>();
        Set<String> images = new HashSet<>();
        for (JsonNode t : status.path("tags")) {
            String tag = t.path("tag").asText("");
            JsonNode items = t.path("items");
            for (JsonNode item : items) {
                if (item.path("image").isTextual()) {
                    images.add(item.path("image").textValue());
                }
            }
            JsonNode newest = items.path(0);
            String digest = newest.path("image").asText("");
            if (!tag.isEmpty() && !digest.isEmpty()) {
                tags.put(tag, new ImageStreamRecord.Tag(digest, newest.path("dockerImageReference").asText(""),
                        localReference.getOrDefault(tag, false)));
            }
        }
        return new ImageStreamRecord(meta.path("namespace").asText(""), meta.path("name").asText(""),
                spec.path("lookupPolicy").path("local").asBoolean(false), status.path("dockerImageRepository").asText(""), tags, images);
    }
}
