package org.imagepolicy.webhook.cluster.openshift;

/** The API server answered that it has no OpenShift image API ({@code image.openshift.io/v1}); the message says so for people. */
public final class ImageApiUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ImageApiUnavailableException(String message) {
        super(message);
    }
}
