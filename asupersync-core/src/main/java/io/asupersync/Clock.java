package io.asupersync;

import java.time.Instant;

/**
 * The runtime's source of time. Every deadline, sleep and trace timestamp reads it, so a test (or
 * the lab runtime) can substitute its own.
 */
@FunctionalInterface
public interface Clock {

  /** The current instant; successive calls never go backwards. */
  Instant now();

  /**
   * A monotonic clock anchored to the wall clock at first use: it reads like wall time but never
   * jumps when the system time is adjusted.
   */
  static Clock system() {
    return SystemClock.INSTANCE;
  }
}

final class SystemClock implements Clock {
  static final SystemClock INSTANCE = new SystemClock();

  private final Instant anchor = Instant.now();
  private final long anchorNanos = System.nanoTime();

  @Override
  public Instant now() {
    return anchor.plusNanos(System.nanoTime() - anchorNanos);
  }

  @Override
  public String toString() {
    return "Clock.system()";
  }
}
