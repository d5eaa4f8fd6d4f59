package org.imagepolicy.webhook.image;

/** The outcome of looking an image up: its metadata, or the reason there is none. */
public sealed interface Resolution {

    /**
     * @param staleness {@code null} for a fresh answer; otherwise why a cached answer older than its time to
     *                  live was used (the registry could not be reached), which the decision reports
     */
    record Resolved(ImageMetadata metadata, boolean integratedRegistry, String staleness) implements Resolution {
        public Resolved(ImageMetadata metadata, boolean integratedRegistry) {
            this(metadata, integratedRegistry, null);
        }
    }

    record Failed(String reason) implements Resolution {
    }

    Failed OFFLINE = new Failed("offline");
}
