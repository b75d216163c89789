package io.asupersync.internal;

import org.jspecify.annotations.Nullable;

/** What a {@link TaskScheduler} may know about a task. Not API. */
public interface SchedulableTask {

  long id();

  String name();

  /** The task's thread once created. */
  @Nullable Thread thread();

  /** Whether the task holds at least one reserved obligation (racy when read from another thread). */
  boolean holdsReservedObligations();

  /** Id of the region the task belongs to. */
  long regionId();

  /** Requests cancellation of the task, as fault injection or a scheduler's last resort does. */
  void injectCancel(io.asupersync.CancelKind kind, String message);

  /** Whether the task has completed. */
  boolean isDone();
}
