package org.imagepolicy.webhook.cluster.openshift;

/**
 * The API server answered that it has no OpenShift image API ({@code image.openshift.io/v1}), so {@code --image-api}
 * cannot be honoured. An IllegalArgumentException like the other bad cluster options: every command that opens the
 * cluster prints its message and exits 2.
 */
public final class ImageApiUnavailableException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    ImageApiUnavailableException(String message) {
        super(message);
    }
}
