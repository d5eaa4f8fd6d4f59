package org.imagepolicy.webhook.admission;

/** A body that is not an AdmissionReview the webhook can answer; the message says what is wrong and where. */
public final class BadReviewException extends Exception {
    private static final long serialVersionUID = 1L;

    public BadReviewException(String message) {
        super(message, null, false, false);
    }
}
