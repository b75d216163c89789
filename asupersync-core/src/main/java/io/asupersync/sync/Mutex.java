package io.asupersync.sync;

import io.asupersync.CancelledException;
import io.asupersync.Cx;
import io.asupersync.Obligation;
import io.asupersync.ObligationKind;
import io.asupersync.ObligationState;
import org.jspecify.annotations.Nullable;

/**
 * A non-reentrant mutual-exclusion lock for tasks, with cancel-aware waiting and strict FIFO handoff.
 *
 * <pre>{@code
 * try (Mutex.Guard guard = mutex.lock(cx)) {
 *   // exclusive section
 * }
 * }</pre>
 *
 * <p><b>Cancellation.</b> {@link #lock} is a checkpoint of the calling task and wakes when cancelled;
 * a cancelled waiter leaves the queue and never ends up owning the lock (if the lock was handed to it
 * as it gave up, it passes straight on to the next waiter).
 *
 * <p><b>Leaks.</b> A guard is an obligation of kind {@link ObligationKind#LEASE} held by the locking
 * task: if the task ends without closing it, the runtime reports the leak and the lock is released,
 * so a forgotten guard cannot block other tasks forever.
 *
 * <p><b>Memory effects.</b> Actions before a guard is closed happen-before actions after a later
 * {@link #lock} or {@link #tryLock} returns.
 */
public final class Mutex {
  private static final String LEASE = "Mutex guard";

  private final FifoPermits permit = new FifoPermits(1);
  private volatile @Nullable Thread owner;

  public Mutex() {}

  /**
   * Waits until the lock is free and this task is first in line, then takes it.
   *
   * @return the guard that holds the lock, never null
   * @throws CancelledException if the calling task is cancelled first; the lock is not taken
   * @throws IllegalStateException if the calling thread already holds the lock
   */
  public Guard lock(Cx cx) {
    checkNotOwner();
    permit.acquire(cx, 1);
    return newGuard(cx);
  }

  /**
   * Takes the lock if it is free and nobody is waiting; never waits and is not a checkpoint.
   *
   * @return the guard, or null if the lock is taken or contended
   * @throws IllegalStateException if the calling thread already holds the lock
   */
  public @Nullable Guard tryLock(Cx cx) {
    checkNotOwner();
    return permit.tryAcquire(1) ? newGuard(cx) : null;
  }

  private void checkNotOwner() {
    if (owner == Thread.currentThread()) {
      throw new IllegalStateException("Mutex is not reentrant: the calling thread already holds it");
    }
  }

  private Guard newGuard(Cx cx) {
    boolean done = false;
    try {
      Guard guard = new Guard(cx);
      owner = Thread.currentThread();
      done = true;
      return guard;
    } finally {
      if (!done) {
        permit.release(1);
      }
    }
  }

  private void unlock() {
    owner = null;
    permit.release(1);
  }

  /** Whether some task holds the lock (a snapshot). */
  public boolean isLocked() {
    return permit.available() == 0;
  }

  /** Tasks waiting for the lock (a snapshot). */
  public int queueLength() {
    return permit.queueLength();
  }

  @Override
  public String toString() {
    return "Mutex[" + (isLocked() ? "locked" : "unlocked") + ", waiting=" + queueLength() + "]";
  }

  /** Ownership of a {@link Mutex}; closing it unlocks. */
  public final class Guard implements AutoCloseable {
    private final Obligation lease;

    private Guard(Cx cx) {
      this.lease = cx.reserve(ObligationKind.LEASE, LEASE, Mutex.this::unlock);
    }

    /** Whether this guard still holds the lock. */
    public boolean isHeld() {
      return lease.state() == ObligationState.RESERVED;
    }

    /** Unlocks, handing the lock to the first waiter if any; does nothing if already closed. */
    @Override
    public void close() {
      if (FifoPermits.commitIfHeld(lease)) {
        unlock();
      }
    }
  }
}
