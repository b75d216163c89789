package io.asupersync;

/**
 * Why cancellation was requested. A later request replaces the recorded reason only when its kind is
 * strictly more severe, so a reason can only be strengthened.
 */
public enum CancelKind {
  /** Asked for by user code. */
  USER(0),
  /** A timeout combinator expired. */
  TIMEOUT(1),
  /** The budget's deadline passed. */
  DEADLINE(1),
  /** The budget's checkpoint quota ran out. */
  POLL_QUOTA(2),
  /** The budget's cost quota ran out. */
  COST_BUDGET(2),
  /** A sibling failed in a fail-fast region. */
  FAIL_FAST(3),
  /** Lost a race; the winner finished first. */
  RACE_LOST(3),
  /** A linked task exited. */
  LINKED_EXIT(3),
  /** The enclosing region or owning task was cancelled. */
  PARENT_CANCELLED(4),
  /** A resource the work depends on went away. */
  RESOURCE_UNAVAILABLE(4),
  /** The runtime is shutting down. */
  SHUTDOWN(5);

  private final int severity;

  CancelKind(int severity) {
    this.severity = severity;
  }

  /** Severity rank, 0 (user) to 5 (shutdown). */
  public int severity() {
    return severity;
  }
}
