package io.asupersync.lab;

import io.asupersync.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Virtual time. It starts at a fixed instant and moves only when the lab scheduler finds every live
 * task waiting on time (it jumps to the earliest deadline), or when a fault delays a task.
 */
public final class LabClock implements Clock {

  /** Where every lab run's clock starts. */
  public static final Instant START = Instant.parse("2000-01-01T00:00:00Z");

  private volatile Instant now = START;

  @Override
  public Instant now() {
    return now;
  }

  /** Time elapsed since {@link #START}. */
  public Duration elapsed() {
    return Duration.between(START, now);
  }

  void advanceTo(Instant target) {
    if (target.isAfter(now)) {
      now = target;
    }
  }
}
