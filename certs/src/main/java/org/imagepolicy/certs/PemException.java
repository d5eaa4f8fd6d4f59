package org.imagepolicy.certs;

/**
 * A certificate or key could not be read, or the pieces do not fit together.
 *
 * <p>Unchecked because callers (loading files at startup or on rotation) can only report it, not
 * recover locally. The message is meant for an operator: it says what was wrong and never
 * contains key material.
 */
public final class PemException extends RuntimeException {

  public PemException(String message) {
    super(message);
  }

  public PemException(String message, Throwable cause) {
    super(message, cause);
  }
}
