package org.imagepolicy.webhook.image;

/**
 * An image string that is not a valid pull spec. The message is the parser's reason, written for the
 * person who typed the image; it never includes a stack trace because rejections are part of normal traffic.
 */
public final class InvalidImageReferenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidImageReferenceException(String reason) {
        super(reason, null, false, false);
    }
}
