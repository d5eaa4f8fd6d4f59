package org.imagepolicy.webhook.image;

/** The outcome of looking an image up: its metadata, or the reason there is none. */
public sealed interface Resolution {

    record Resolved(ImageMetadata metadata, boolean integratedRegistry) implements Resolution {
    }

    record Failed(String reason) implements Resolution {
    }

    Failed OFFLINE = new Failed("offline");
}
