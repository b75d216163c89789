package io.asupersync.internal;

/**
 * How the runtime's per-thread striped structures ({@link StripedSet}, the runtime's counters) split
 * their state: into {@link #COUNT} stripes, the calling thread taking the stripe of its id.
 */
public final class Stripes {

  /**
   * A power of two, at least twice the processors (at most 256): thread ids are sequential, so threads
   * started together (an event-loop group) take different stripes.
   */
  public static final int COUNT =
      Math.min(256, Integer.highestOneBit(Math.max(1, java.lang.Runtime.getRuntime().availableProcessors() * 2 - 1)) << 1);

  private Stripes() {}

  /** The calling thread's stripe, in {@code [0, COUNT)}. */
  public static int current() {
    return (int) Thread.currentThread().threadId() & (COUNT - 1);
  }
}
