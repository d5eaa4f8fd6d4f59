package org.imagepolicy.webhook.registry.credentials;

/**
 * A credentials config that cannot be used. The message names the source and the JSON key at fault and,
 * by construction, never a secret: parser and decoder exceptions are not chained as causes, because their
 * own messages may quote the offending input.
 */
public final class CredentialsException extends Exception {
    private static final long serialVersionUID = 1L;

    public CredentialsException(String source, String problem) {
        super(source + ": " + problem);
    }
}
