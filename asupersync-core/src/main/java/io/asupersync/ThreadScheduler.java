package io.asupersync;

import io.asupersync.internal.SchedulableTask;
import io.asupersync.internal.TaskScheduler;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/** The production scheduler: the JVM runs the (virtual) threads; parking is {@link LockSupport}. */
final class ThreadScheduler implements TaskScheduler {
  private final Clock clock;

  ThreadScheduler(Clock clock) {
    this.clock = clock;
  }

  @Override
  public boolean park(SchedulableTask task, @Nullable Instant deadline, Object blocker) {
    Thread.interrupted(); // a wake-up signal at most: a set flag would turn every park into a spin
    return Runtime.parkUntil(clock, deadline, blocker);
  }

  @Override
  public void wake(SchedulableTask task) {
    LockSupport.unpark(task.thread());
  }
}
