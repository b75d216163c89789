package io.asupersync;

/**
 * Wakes one parked task. Authors of wait primitives store the waiter's waker (from {@link Cx#waker()})
 * and call {@link #wake()} when its condition may have changed; the waiter returns from {@link
 * Cx#park} and re-checks. Waking is idempotent and cheap; a wake that arrives before the park makes
 * that park return at once.
 */
public final class Waker {
  private final TaskImpl<?> task;

  Waker(TaskImpl<?> task) {
    this.task = task;
  }

  public void wake() {
    task.runtime.scheduler.wake(task);
  }

  /** Id of the task this waker wakes. */
  public long taskId() {
    return task.id;
  }

  @Override
  public String toString() {
    return "Waker[task " + task.id + "]";
  }
}
