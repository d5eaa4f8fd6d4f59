package org.imagepolicy.webhook.admission;

/** The object in a request does not have the shape of its kind; the message names the field. */
public final class MalformedObjectException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedObjectException(String message) {
        super(message, null, false, false);
    }
}
