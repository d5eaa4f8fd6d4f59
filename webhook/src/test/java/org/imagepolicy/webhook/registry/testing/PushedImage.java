package org.imagepolicy.webhook.registry.testing;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link ImagePusher} put into a registry.
 *
 * @param repository the repository within the registry, e.g. {@code team/app}
 * @param tag the tag it was pushed under, or null when pushed by digest only
 * @param digest sha256 of the exact manifest (or index) bytes that were PUT; the registry confirmed it
 * @param mediaType the manifest's media type, as sent in Content-Type
 * @param manifestBytes the exact bytes PUT
 * @param configDigest the config blob's digest for an image the builders made; null for an index or list, and
 *     for manifests pushed raw with {@link ImagePusher#pushManifest}
 * @param platformDigests for an index or list, {@code "linux/amd64"} to the child manifest's digest; empty for an image
 */
public record PushedImage(String repository, String tag, String digest, String mediaType, byte[] manifestBytes,
        String configDigest, Map<String, String> platformDigests) {

    public PushedImage {
        manifestBytes = manifestBytes.clone();
        platformDigests = Map.copyOf(platformDigests);
    }

    @Override
    public byte[] manifestBytes() {
        return manifestBytes.clone();
    }

    /** Compares the manifest bytes by content, not by array identity as records would. */
    @Override
    public boolean equals(Object other) {
        return other instanceof PushedImage that
                && Objects.equals(repository, that.repository)
                && Objects.equals(tag, that.tag)
                && digest.equals(that.digest)
                && mediaType.equals(that.mediaType)
                && Arrays.equals(manifestBytes, that.manifestBytes)
                && Objects.equals(configDigest, that.configDigest)
                && platformDigests.equals(that.platformDigests);
    }

    @Override
    public int hashCode() {
        return Objects.hash(repository, tag, digest);
    }

    /** {@code host/repository:tag}, the reference a pod would name. */
    public String tagReference(String host) {
        if (tag == null) {
            throw new IllegalStateException(repository + "@" + digest + " was pushed by digest only");
        }
        return host + "/" + repository + ":" + tag;
    }

    /** {@code host/repository@sha256:...}. */
    public String digestReference(String host) {
        return host + "/" + repository + "@" + digest;
    }

    /** Whether this is an OCI index or a Docker manifest list rather than one image. */
    public boolean isIndex() {
        return mediaType.equals(TestMediaTypes.OCI_INDEX) || mediaType.equals(TestMediaTypes.DOCKER_MANIFEST_LIST);
    }

    @Override
    public String toString() {
        return "PushedImage[" + repository + (tag == null ? "" : ":" + tag) + "@" + digest + " " + mediaType + "]";
    }
}
