package io.asupersync.protocols.grpc;

import io.asupersync.CancelKind;
import io.asupersync.CancelReason;
import io.asupersync.Outcome;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The status a gRPC call ends with: a code and an optional human-readable message (sent
 * percent-encoded in {@code grpc-message}).
 *
 * @param code the status code
 * @param message the description, or {@code null} for none
 */
public record Status(StatusCode code, @Nullable String message) {

  public static final Status OK = new Status(StatusCode.OK, null);

  public Status {
    Objects.requireNonNull(code, "code");
  }

  public static Status of(StatusCode code) {
    return code == StatusCode.OK ? OK : new Status(code, null);
  }

  public static Status of(StatusCode code, @Nullable String message) {
    return new Status(code, message);
  }

  public boolean isOk() {
    return code == StatusCode.OK;
  }

  /** This status as a throwable a handler or a client caller can propagate. */
  public GrpcStatusException asException() {
    return new GrpcStatusException(this);
  }

  /**
   * The status a server sends for a call whose handler ended with {@code outcome}:
   *
   * <ul>
   *   <li>Ok → {@code OK};
   *   <li>Err carrying a {@link GrpcStatusException} → its status; any other Err → {@code UNKNOWN}
   *       (the exception's text is not sent: it may hold internals);
   *   <li>Cancelled by a timeout or deadline → {@code DEADLINE_EXCEEDED}; by a spent poll or cost quota
   *       → {@code RESOURCE_EXHAUSTED}; for any other reason → {@code CANCELLED}. A parent-cancelled
   *       reason is judged by the first reason in its cause chain that is not itself parent-cancelled,
   *       so a call whose enclosing scope hit its deadline still reports {@code DEADLINE_EXCEEDED};
   *   <li>Panicked → {@code INTERNAL}, never a bare HTTP 500.
   * </ul>
   */
  public static Status fromOutcome(Outcome<?> outcome) {
    return switch (outcome) {
      case Outcome.Ok<?> ok -> OK;
      case Outcome.Err<?> err ->
          err.error() instanceof GrpcStatusException e ? e.status() : Status.of(StatusCode.UNKNOWN);
      case Outcome.Cancelled<?> cancelled -> fromCancel(cancelled.reason());
      case Outcome.Panicked<?> panicked -> Status.of(StatusCode.INTERNAL, "internal error");
    };
  }

  /** The status for a call stopped by the cancellation {@code reason}; see {@link #fromOutcome}. */
  public static Status fromCancel(CancelReason reason) {
    CancelReason decisive = reason;
    CancelReason cause;
    while (decisive.kind() == CancelKind.PARENT_CANCELLED && (cause = decisive.cause()) != null) {
      decisive = cause;
    }
    return switch (decisive.kind()) {
      case TIMEOUT, DEADLINE -> Status.of(StatusCode.DEADLINE_EXCEEDED, "deadline exceeded");
      case POLL_QUOTA, COST_BUDGET -> Status.of(StatusCode.RESOURCE_EXHAUSTED, "call budget spent");
      default -> Status.of(StatusCode.CANCELLED, "call cancelled");
    };
  }

  @Override
  public String toString() {
    return message == null ? code.name() : code.name() + ": " + message;
  }
}
