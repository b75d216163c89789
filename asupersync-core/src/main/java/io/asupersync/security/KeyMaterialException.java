package io.asupersync.security;

/**
 * Key material was refused: wrong length, not decodable, missing, or too weak to be a random 256-bit
 * key. The message says what to do; it never contains the material itself.
 */
public final class KeyMaterialException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Why the material was refused. */
  public enum Reason {
    /** Not exactly 32 bytes after decoding. */
    WRONG_LENGTH,
    /** The text is not base64. */
    NOT_BASE64,
    /** No value was found (an unset environment variable, an empty resource). */
    MISSING,
    /** The resource is larger than any encoding of a 256-bit key. */
    TOO_LARGE,
    /** Every byte is zero. */
    ALL_ZERO,
    /** Fewer distinct byte values than random material would have. */
    TOO_FEW_DISTINCT_BYTES,
    /** Fewer set bits than random material would have. */
    TOO_FEW_SET_BITS,
    /** More set bits than random material would have. */
    TOO_MANY_SET_BITS,
    /** Every byte is printable ASCII: a password or undecoded text, not random key material. */
    LOOKS_LIKE_TEXT
  }

  private final Reason reason;

  public KeyMaterialException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
