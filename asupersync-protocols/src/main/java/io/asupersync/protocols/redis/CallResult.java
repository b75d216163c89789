package io.asupersync.protocols.redis;

import java.util.Locale;

/** How one call (a command, a pipeline or a transaction) ended; the {@code result} of its trace event. */
public enum CallResult {
  /** A reply arrived and was handed to the caller. */
  OK,
  /** The server answered with an error reply. */
  ERROR_REPLY,
  /** The caller was cancelled before the flush: nothing was sent. */
  CANCELLED_BEFORE_SEND,
  /**
   * The caller was cancelled after the flush: it was released at once, and the reply was still read
   * and settled (compensated where the command would otherwise lose data) so the connection stayed in sync.
   */
  CANCELLED_AFTER_SEND,
  /** Flushed, but the reply was never settled: the connection broke or the reply was refused. */
  OUTCOME_UNKNOWN,
  /** Never sent: no connection could be had or it closed before the flush. */
  NOT_SENT;

  /** Lower-case name, as written in trace attributes. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
