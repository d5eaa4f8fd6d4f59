package org.imagepolicy.webhook.image;

/** The outcome of looking an image up: its metadata, or the reason there is none. */
public sealed interface Resolution {

    /**
     * @param staleness {@code null} for a fresh answer; otherwise why a cached answer older than its time to
     *                  live was used (the registry could not be reached), which the decision reports
     */
    /**
     * @param metadata     the image's labels and annotations; {@code null} only when a name was resolved without
     *                     an image (an image stream's repository for a tag it does not have yet)
     * @param pullSpec     what {@code /mutate} rewrites the reference to, when it is not the name as written with
     *                     the digest (the image API resolves local names to another repository); else {@code null}
     * @param localRewrite upstream's LocalRewrite: a local name resolved through an image stream, which resolution
     *                     rules with {@code localNames: true} rewrite
     * @param source       who answered, for messages: {@code null} for a registry
     */
    record Resolved(ImageMetadata metadata, boolean integratedRegistry, String staleness, String pullSpec, boolean localRewrite,
            String source) implements Resolution {
        public Resolved(ImageMetadata metadata, boolean integratedRegistry, String staleness) {
            this(metadata, integratedRegistry, staleness, null, false, null);
        }

        public Resolved(ImageMetadata metadata, boolean integratedRegistry) {
            this(metadata, integratedRegistry, null);
        }

        /** The same answer, saying who gave it. */
        public Resolved from(String who) {
            return new Resolved(metadata, integratedRegistry, staleness, pullSpec, localRewrite, who);
        }
    }

    record Failed(String reason) implements Resolution {
    }

    Failed OFFLINE = new Failed("offline");

    /**
     * An image stream reference where the image API was not read: said by every front-end that did not read
     * it, so a report never looks as if it had.
     */
    Failed WITHOUT_IMAGE_API = new Failed("image stream references are resolved through the OpenShift image API, which was not read here"
            + " (serve, audit, diff and explain read it with --cluster --image-api on OpenShift)");
}
