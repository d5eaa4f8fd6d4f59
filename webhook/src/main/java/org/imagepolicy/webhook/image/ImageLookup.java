package org.imagepolicy.webhook.image;

/**
 * An image to look up, with the names a registry understands: the effective registry (the policy's
 * default registry for unqualified images), the repository path after Docker Hub normalization, and
 * the tag (or {@code latest}) or digest.
 *
 * @param registryKey {@code ""} when the image names no registry and the policy sets no default
 */
public record ImageLookup(ImageReference reference, String registryKey, String repository, String tag, String digest) {

    public static ImageLookup of(ImageReference reference, String registryKey, String canonicalRepository) {
        String repository = canonicalRepository == null ? reference.path() : canonicalRepository.substring(canonicalRepository.indexOf('/') + 1);
        String tag = reference.digest() == null && reference.tag() == null ? "latest" : reference.tag();
        return new ImageLookup(reference, registryKey, repository, tag, reference.digest());
    }

    @Override
    public String toString() {
        return registryKey + "/" + repository + (digest != null ? "@" + digest : ":" + tag);
    }
}
