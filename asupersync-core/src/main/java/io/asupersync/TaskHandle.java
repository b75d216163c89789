package io.asupersync;

import java.util.Optional;

/**
 * A spawned task. The task belongs to its region, not to the handle: dropping the handle neither
 * cancels nor detaches it, and the region still waits for it.
 *
 * @param <T> the value type of the task's Ok outcome
 */
public interface TaskHandle<T> {

  long id();

  String name();

  /**
   * Waits for the task to finish and returns its outcome. The wait is a checkpoint of the caller: it
   * wakes and throws {@link CancelledException} if the caller is cancelled, leaving the task running.
   */
  Outcome<T> join(Cx cx);

  /** Requests cancellation of the task; returns at once. */
  void cancel(CancelReason reason);

  boolean isDone();

  /** The outcome once the task finished. */
  Optional<Outcome<T>> outcome();
}
