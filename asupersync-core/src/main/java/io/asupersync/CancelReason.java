package io.asupersync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who asked for cancellation, when, and why, with the chain of reasons that led to it (a
 * parent-cancelled reason points at its parent's reason). The chain is capped at {@link #MAX_DEPTH}
 * reasons; older ones are dropped.
 *
 * @param kind the kind of request
 * @param originRegion id of the region that asked, 0 when unknown
 * @param originTask id of the task that asked, 0 when unknown
 * @param at when it was asked, on the runtime clock
 * @param message human-readable explanation
 * @param cause the reason that led to this one, if any
 */
public record CancelReason(
    CancelKind kind,
    long originRegion,
    long originTask,
    Instant at,
    String message,
    @Nullable CancelReason cause) {

  /** The longest cause chain kept, this reason included. */
  public static final int MAX_DEPTH = 16;

  public CancelReason {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(message, "message");
    if (cause != null && cause.depth() >= MAX_DEPTH) {
      cause = cause.truncated(MAX_DEPTH - 1);
    }
  }

  /** A reason with no known origin, stamped with the current wall-clock time. */
  public static CancelReason of(CancelKind kind, String message) {
    return new CancelReason(kind, 0, 0, Instant.now(), message, null);
  }

  /** A reason whose origin is the given context's task and region, stamped with its clock. */
  public static CancelReason from(Cx cx, CancelKind kind, String message) {
    return new CancelReason(kind, cx.regionId(), cx.taskId(), cx.now(), message, null);
  }

  /** This reason with the given cause. */
  public CancelReason causedBy(@Nullable CancelReason newCause) {
    return new CancelReason(kind, originRegion, originTask, at, message, newCause);
  }

  /** Number of reasons in the chain, this one included (1 to {@link #MAX_DEPTH}). */
  public int depth() {
    int depth = 1;
    for (CancelReason r = cause; r != null; r = r.cause) {
      depth++;
    }
    return depth;
  }

  /** This reason followed by its causes, newest first. */
  public List<CancelReason> chain() {
    List<CancelReason> chain = new ArrayList<>();
    for (CancelReason r = this; r != null; r = r.cause) {
      chain.add(r);
    }
    return List.copyOf(chain);
  }

  /** The oldest reason in the chain: where the cancellation started. */
  public CancelReason root() {
    CancelReason r = this;
    while (r.cause != null) {
      r = r.cause;
    }
    return r;
  }

  boolean isStrongerThan(@Nullable CancelReason other) {
    return other == null || kind.severity() > other.kind.severity();
  }

  private CancelReason truncated(int keep) {
    CancelReason keptCause = keep <= 1 || cause == null ? null : cause.truncated(keep - 1);
    return new CancelReason(kind, originRegion, originTask, at, message, keptCause);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(kind).append('(').append(message).append(')');
    if (cause != null) {
      sb.append(" <- ").append(cause);
    }
    return sb.toString();
  }
}
