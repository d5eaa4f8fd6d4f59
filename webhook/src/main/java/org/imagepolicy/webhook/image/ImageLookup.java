package org.imagepolicy.webhook.image;

/**
 * An image to look up, with the names a registry understands: the effective registry (the policy's
 * default registry for unqualified images), the repository path after Docker Hub normalization, and
 * the tag (or {@code latest}) or digest.
 *
 * @param registryKey {@code ""} when the image names no registry and the policy sets no default
 * @param cluster     how the OpenShift image API names it, for resolvers that read it; {@code null} for a
 *                    registry lookup alone. Image stream references have only this ({@code reference} is null).
 */
public record ImageLookup(ImageReference reference, String registryKey, String repository, String tag, String digest, ClusterName cluster) {

    public ImageLookup(ImageReference reference, String registryKey, String repository, String tag, String digest) {
        this(reference, registryKey, repository, tag, digest, null);
    }

    /** An image stream reference: nothing a registry could look up. */
    public static ImageLookup stream(ClusterName cluster) {
        return new ImageLookup(null, "", null, null, null, cluster);
    }

    public ImageLookup withCluster(ClusterName cluster) {
        return new ImageLookup(reference, registryKey, repository, tag, digest, cluster);
    }

    /** The same image as a registry sees it, without the cluster's names. */
    public ImageLookup registryOnly() {
        return cluster == null ? this : new ImageLookup(reference, registryKey, repository, tag, digest, null);
    }

    public static ImageLookup of(ImageReference reference, String registryKey, String canonicalRepository) {
        String repository = canonicalRepository == null ? reference.path() : canonicalRepository.substring(canonicalRepository.indexOf('/') + 1);
        String tag = reference.digest() == null && reference.tag() == null ? "latest" : reference.tag();
        return new ImageLookup(reference, registryKey, repository, tag, reference.digest());
    }

    @Override
    public String toString() {
        if (reference == null) {
            return cluster == null ? "" : cluster.kind() + " " + cluster.namespace() + "/" + cluster.name();
        }
        return registryKey + "/" + repository + (digest != null ? "@" + digest : ":" + tag);
    }
}
