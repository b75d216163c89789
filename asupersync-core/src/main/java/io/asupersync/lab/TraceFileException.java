package io.asupersync.lab;

import java.io.IOException;

/** A trace file that is malformed, truncated, too large, or whose digest or hash chain does not match. */
public final class TraceFileException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What was wrong with the file. */
  public enum Reason {
    MALFORMED,
    TOO_LARGE,
    DIGEST_MISMATCH,
    CHAIN_BROKEN
  }

  private final Reason reason;

  public TraceFileException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
