package org.imagepolicy.webhook.registry;

import java.util.Map;

/** What the image API resolver reads of a cluster's {@code Image}: its pull spec, labels and annotations. */
public record ClusterImage(String digest, String dockerImageReference, Map<String, String> labels, Map<String, String> annotations) {
    public ClusterImage {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }
}
