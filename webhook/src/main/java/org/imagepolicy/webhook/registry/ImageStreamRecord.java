package org.imagepolicy.webhook.registry;

import java.util.Map;
import java.util.Set;

/**
 * What the image API resolver reads of one ImageStream: its local lookup policy, its repository in the
 * integrated registry, and per tag the newest image of {@code status.tags} with the tag's
 * {@code referencePolicy}. That is what the API server reads to answer {@code imagestreamtags/NAME:TAG},
 * which cannot be watched.
 *
 * @param images every digest in the stream's tag history, for {@code ImageStreamImage} references
 */
public record ImageStreamRecord(String namespace, String name, boolean lookupLocal, String dockerImageRepository, Map<String, Tag> tags,
        Set<String> images) {

    /**
     * @param dockerImageReference the tag event's pull spec (the source the image came from)
     * @param localReference       {@code referencePolicy.type: Local}: pull through the integrated registry
     */
    public record Tag(String digest, String dockerImageReference, boolean localReference) {
    }

    public ImageStreamRecord {
        tags = Map.copyOf(tags);
        images = Set.copyOf(images);
    }
}
