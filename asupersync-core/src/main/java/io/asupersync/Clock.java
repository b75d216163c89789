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
  private static final long HORIZON_SECONDS = 4_000_000_000L;

  private final Instant anchor = Instant.now();
  private final long anchorNanos = System.nanoTime();

  @Override
  public Instant now() {
    return anchor.plusNanos(System.nanoTime() - anchorNanos);
  }

  /**
   * {@code deadline} as a {@link System#nanoTime()} reading, for {@link #reached}: a checkpoint under a
   * deadline then compares two longs instead of allocating the {@code Instant} {@link #now} returns.
   * Deadlines more than {@value #HORIZON_SECONDS} s (about 126 years) from the anchor count as that far:
   * the same answer for any process's lifetime, and no overflow in {@link #reached}.
   */
  long nanoTimeOf(Instant deadline) {
    long seconds = Math.clamp(deadline.getEpochSecond() - anchor.getEpochSecond(), -HORIZON_SECONDS, HORIZON_SECONDS);
    // wraps like nanoTime itself: reached() subtracts, and the difference is in range
    return anchorNanos + seconds * 1_000_000_000L + (deadline.getNano() - anchor.getNano());
  }

  /**
   * Whether {@link #now} has reached the instant {@link #nanoTimeOf} converted: exactly {@code
   * !now().isBefore(deadline)}, as both subtract the same anchor.
   */
  static boolean reached(long nanoTime) {
    return System.nanoTime() - nanoTime >= 0;
  }

  @Override
  public String toString() {
    return "Clock.system()";
  }
}
