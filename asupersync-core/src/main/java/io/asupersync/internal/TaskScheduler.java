package io.asupersync.internal;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The seam between the engine and whatever runs task threads. Every runtime yield point goes through
 * it: production lets the JVM schedule virtual threads freely; the lab runtime lets exactly one task
 * run at a time and picks the next one from a seed. Not API.
 */
public interface TaskScheduler {

  /** A task was created; its thread exists (not started) and it has run no code. */
  default void taskCreated(SchedulableTask task) {}

  /** Runs on the task's own thread before its body. */
  default void taskStarting(SchedulableTask task) {}

  /** Runs on the task's own thread after it completed; the thread does no runtime work afterwards. */
  default void taskExited(SchedulableTask task) {}

  /** A point where the running task may be descheduled (checkpoint, spawn, obligation operation). */
  default void yieldPoint(SchedulableTask task) {}

  /**
   * Blocks the calling task until {@link #wake}, until {@code deadline} on the runtime clock, or
   * spuriously. Returns false when the deadline has passed.
   */
  boolean park(SchedulableTask task, @Nullable Instant deadline, Object blocker);

  /** Makes a parked (or about to park) task runnable; a wake before a park makes that park return. */
  void wake(SchedulableTask task);

  /**
   * Whether this scheduler runs tasks deterministically (the lab): code that would reach outside the
   * runtime (real sockets, files, wall-clock time) must use in-memory stand-ins or report an escape.
   */
  default boolean isDeterministic() {
    return false;
  }
}
