package org.imagepolicy.webhook.image;

import java.util.Map;

/** What a registry says about one image: its digest, the labels of its config and its OCI annotations. */
public record ImageMetadata(String digest, Map<String, String> labels, Map<String, String> annotations) {
    public ImageMetadata {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }
}
