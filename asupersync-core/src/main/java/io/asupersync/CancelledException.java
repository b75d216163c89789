package io.asupersync;

/**
 * Thrown at a checkpoint (or a runtime wait) once cancellation was requested for the calling task
 * and no mask is active. Catching and swallowing it does not end the cancellation: the request is
 * level-triggered, so the next checkpoint throws again.
 */
public final class CancelledException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial")
  private final CancelReason reason;

  public CancelledException(CancelReason reason) {
    super(reason.toString(), null, false, false);
    this.reason = reason;
  }

  public CancelReason reason() {
    return reason;
  }
}
