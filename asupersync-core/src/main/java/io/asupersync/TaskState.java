package io.asupersync;

/** Lifecycle of a task. */
public enum TaskState {
  /** Running its body. */
  RUNNING,
  /** Cancellation was requested and not yet acknowledged at a checkpoint. */
  CANCEL_REQUESTED,
  /** Acknowledged the cancellation and is unwinding. */
  CANCELLING,
  /** Finished with an outcome. */
  COMPLETED
}
