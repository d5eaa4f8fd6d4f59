package org.imagepolicy.webhook.cluster.openshift;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the resolver keeps of one ImageStream: its local lookup policy, its repository in the integrated
 * registry, and per tag the newest image of {@code status.tags} with the tag's {@code referencePolicy}.
 * That is what the API server reads to answer {@code imagestreamtags/NAME:TAG}, which cannot be watched.
 *
 * @param images every digest in the stream's tag history, for {@code ImageStreamImage} references
 */
record StreamRecord(String namespace, String name, boolean lookupLocal, String dockerImageRepository, Map<String, Tag> tags,
        Set<String> images) {

    /**
     * @param dockerImageReference the tag event's pull spec (the source the image came from)
     * @param localReference       {@code referencePolicy.type: Local}: pull through the integrated registry
     */
    record Tag(String digest, String dockerImageReference, boolean localReference) {
    }

    StreamRecord {
        tags = Map.copyOf(tags);
        images = Set.copyOf(images);
    }

    static StreamRecord of(JsonNode stream) {
        JsonNode meta = stream.path("metadata");
        JsonNode spec = stream.path("spec");
        JsonNode status = stream.path("status");
        Map<String, Boolean> localReference = new HashMap<>();
        for (JsonNode t : spec.path("tags")) {
            localReference.put(t.path("name").asText(""), "Local".equals(t.path("referencePolicy").path("type").asText("")));
        }
        Map<String, Tag> tags = new HashMap<>();
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
                tags.put(tag, new Tag(digest, newest.path("dockerImageReference").asText(""), localReference.getOrDefault(tag, false)));
            }
        }
        return new StreamRecord(meta.path("namespace").asText(""), meta.path("name").asText(""),
                spec.path("lookupPolicy").path("local").asBoolean(false), status.path("dockerImageRepository").asText(""), tags, images);
    }
}
