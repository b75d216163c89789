package io.asupersync.lab;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * A trace file that is malformed, truncated, too large, whose digest or hash chain does not match, or
 * that failed authentication.
 */
public final class TraceFileException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What was wrong with the file. */
  public enum Reason {
    MALFORMED,
    TOO_LARGE,
    DIGEST_MISMATCH,
    CHAIN_BROKEN,
    /** Authentication was required but the file has no tag line: it was stripped, or never tagged. */
    TAG_MISSING,
    /** The tag line is not a well-formed HMAC-SHA256 tag (or its MAC is all zeros). */
    TAG_MALFORMED,
    /** The file was tagged with a different key than the one configured (or its key id was edited). */
    WRONG_KEY,
    /** The tag does not match: the header, an event or a choice was modified after tagging. */
    TAG_MISMATCH,
    /** The file is tagged, but no key is configured to verify it. */
    NO_KEY
  }

  private final Reason reason;

  public TraceFileException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public TraceFileException(Reason reason, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
