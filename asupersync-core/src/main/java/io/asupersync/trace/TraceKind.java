package io.asupersync.trace;

/** What a trace event records. */
public enum TraceKind {
  RUNTIME_STARTED,
  RUNTIME_SHUTDOWN,
  /** The runtime closed with regions that did not reach quiescence in time; names them. */
  SHUTDOWN_INCOMPLETE,
  REGION_OPENED,
  REGION_CLOSED,
  TASK_SPAWNED,
  TASK_COMPLETED,
  CANCEL_REQUESTED,
  CANCEL_ACKNOWLEDGED,
  /** A cancelled region's tasks did not finish within the cleanup budget; they are stragglers. */
  DRAIN_OVERRUN,
  /** A finalizer was registered on a region. */
  FINALIZER_REGISTERED,
  /** A finalizer finished (whatever its outcome). */
  FINALIZER_RAN,
  /** A finalizer did not finish within the finalizer budget. */
  FINALIZER_OVERRUN,
  FINALIZER_FAILED,
  OBLIGATION_RESERVED,
  OBLIGATION_COMMITTED,
  OBLIGATION_ABORTED,
  OBLIGATION_LEAKED,
  /** Emitted by user code through {@code Cx.trace}. */
  USER,
  /**
   * Content failed authentication (a trace file or export with a missing, malformed, foreign or
   * mismatched tag); attributes name the domain, failure, mode and key ids, never key material.
   */
  AUTH_FAILED,
  /** A security context's authentication mode became stricter; attributes {@code from} and {@code to}. */
  AUTH_MODE_TIGHTENED,
  /**
   * A peer broke a protocol rule (malformed frame, bad header, smuggling attempt); attributes {@code
   * protocol}, {@code reason}, {@code connection} and, where there is one, {@code stream}. Never a header
   * value, payload or credential.
   */
  PROTOCOL_ERROR,
  /** A configured limit was hit; attributes as for {@link #PROTOCOL_ERROR} plus {@code limit}. */
  LIMIT_EXCEEDED,
  /**
   * One served request finished; attributes {@code protocol}, {@code method}, {@code route} (the pattern,
   * not the raw path), {@code status} (499 when the client went away) and {@code durationMicros}.
   */
  ACCESS,
  /** One client call or messaging operation finished; attributes {@code protocol}, {@code operation}, {@code result}. */
  CLIENT_CALL
}
