package io.asupersync.sync;

import io.asupersync.CancelledException;
import io.asupersync.Cx;
import io.asupersync.Obligation;
import io.asupersync.ObligationKind;
import io.asupersync.ObligationState;
import org.jspecify.annotations.Nullable;

/**
 * A counting semaphore for tasks, with cancel-aware waiting and strict FIFO order: a large request at
 * the head of the queue is not overtaken by smaller ones behind it.
 *
 * <p>Each acquisition returns a {@link Permit}, an obligation of kind {@link
 * ObligationKind#SEMAPHORE_PERMIT} held by the acquiring task. {@link Permit#release} commits it and
 * gives the permits back; {@link Permit#abort} gives them back too; if the task ends while holding it
 * (a leak, whatever the runtime's leak response) the permits are returned as well.
 *
 * <p><b>Cancellation.</b> {@link #acquire} is a checkpoint and wakes when cancelled; a cancelled
 * acquire takes no permits, and waiters behind it move up.
 *
 * <p><b>Memory effects.</b> Actions before a permit is given back happen-before actions after an
 * acquire that obtains any of those permits.
 */
public final class Semaphore {
  private static final String PERMIT = "Semaphore permit";

  private final int permits;
  private final FifoPermits core;

  /**
   * A semaphore with {@code permits} permits.
   *
   * @throws IllegalArgumentException if {@code permits} is less than 1
   */
  public Semaphore(int permits) {
    if (permits < 1) {
      throw new IllegalArgumentException("permits must be at least 1, was " + permits);
    }
    this.permits = permits;
    this.core = new FifoPermits(permits);
  }

  /** {@code acquire(cx, 1)}. */
  public Permit acquire(Cx cx) {
    return acquire(cx, 1);
  }

  /**
   * Waits until {@code n} permits are available and every earlier waiter was served, then takes them.
   *
   * @return the held permits, never null
   * @throws CancelledException if the calling task is cancelled first; no permit is taken
   * @throws IllegalArgumentException if {@code n} is less than 1 or more than the semaphore's permits
   */
  public Permit acquire(Cx cx, int n) {
    checkCount(n);
    core.acquire(cx, n);
    return newPermit(cx, n);
  }

  /**
   * Takes {@code n} permits if they are available and nobody is waiting; never waits and is not a
   * checkpoint.
   *
   * @return the held permits, or null
   * @throws IllegalArgumentException if {@code n} is less than 1 or more than the semaphore's permits
   */
  public @Nullable Permit tryAcquire(Cx cx, int n) {
    checkCount(n);
    return core.tryAcquire(n) ? newPermit(cx, n) : null;
  }

  private void checkCount(int n) {
    if (n < 1 || n > permits) {
      throw new IllegalArgumentException("can acquire 1 to " + permits + " permits, asked for " + n);
    }
  }

  private Permit newPermit(Cx cx, int n) {
    boolean done = false;
    try {
      Permit p = new Permit(cx, n);
      done = true;
      return p;
    } finally {
      if (!done) {
        core.release(n);
      }
    }
  }

  /** The permits this semaphore was created with. */
  public int permits() {
    return permits;
  }

  /** Permits free now (a snapshot). */
  public int availablePermits() {
    return core.available();
  }

  /** Tasks waiting to acquire (a snapshot). */
  public int queueLength() {
    return core.queueLength();
  }

  @Override
  public String toString() {
    return "Semaphore[" + availablePermits() + "/" + permits + ", waiting=" + queueLength() + "]";
  }

  /** Permits held from a {@link Semaphore}; an obligation of the acquiring task. */
  public final class Permit implements AutoCloseable {
    private final Obligation obligation;
    private final int count;

    private Permit(Cx cx, int count) {
      this.count = count;
      this.obligation =
          cx.reserve(ObligationKind.SEMAPHORE_PERMIT, PERMIT, () -> core.release(count));
    }

    /** How many permits this holds. */
    public int count() {
      return count;
    }

    /** {@code RESERVED} while held; then committed (released), aborted or leaked. */
    public ObligationState state() {
      return obligation.state();
    }

    /**
     * Commits the obligation and gives the permits back.
     *
     * @throws IllegalStateException if already released, aborted or leaked
     */
    public void release() {
      obligation.commit();
      core.release(count);
    }

    /**
     * Gives the permits back without committing (the guarded work was not done).
     *
     * @throws IllegalStateException if already released, aborted or leaked
     */
    public void abort() {
      obligation.abort();
    }

    /** {@link #release} if still held; otherwise nothing. */
    @Override
    public void close() {
      if (FifoPermits.commitIfHeld(obligation)) {
        core.release(count);
      }
    }
  }
}
