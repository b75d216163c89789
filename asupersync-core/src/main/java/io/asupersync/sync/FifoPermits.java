package io.asupersync.sync;

import io.asupersync.Cx;
import io.asupersync.Obligation;
import io.asupersync.ObligationState;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The counting core of {@link Mutex} and {@link Semaphore}: strictly FIFO, permits handed to waiters
 * directly on release, and a cancelled waiter leaves holding nothing.
 */
final class FifoPermits {
  private final ReentrantLock lock = new ReentrantLock();
  // Guarded by lock.
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private int available;

  FifoPermits(int available) {
    this.available = available;
  }

  /** Takes {@code n} permits, waiting behind earlier waiters; throws CancelledException holding none. */
  void acquire(Cx cx, int n) {
    cx.checkpoint();
    Waiter waiter;
    lock.lock();
    try {
      if (waiters.isEmpty() && available >= n) {
        available -= n;
        return;
      }
      waiter = new Waiter(n, cx.waker());
      waiters.addLast(waiter);
    } finally {
      lock.unlock();
    }
    boolean granted = false;
    try {
      while (true) {
        lock.lock();
        try {
          if (waiter.granted) {
            granted = true;
            return;
          }
        } finally {
          lock.unlock();
        }
        cx.checkpoint();
        cx.park(null);
      }
    } finally {
      if (!granted) {
        lock.lock();
        try {
          if (waiter.granted) {
            available += waiter.need; // granted as we gave up: give it back
          } else {
            waiters.remove(waiter);
          }
          grantLocked(); // either way the head of the queue may have changed
        } finally {
          lock.unlock();
        }
      }
    }
  }

  /** Takes {@code n} permits if that needs no wait and nobody waits before us. */
  boolean tryAcquire(int n) {
    lock.lock();
    try {
      if (waiters.isEmpty() && available >= n) {
        available -= n;
        return true;
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  void release(int n) {
    lock.lock();
    try {
      available += n;
      grantLocked();
    } finally {
      lock.unlock();
    }
  }

  private void grantLocked() {
    Waiter head;
    while ((head = waiters.peekFirst()) != null && head.need <= available) {
      waiters.pollFirst();
      available -= head.need;
      head.granted = true;
      head.waker.wake();
    }
  }

  int available() {
    lock.lock();
    try {
      return available;
    } finally {
      lock.unlock();
    }
  }

  int queueLength() {
    lock.lock();
    try {
      return waiters.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Commits {@code held} if it is still reserved; for closing a guard or permit. True if this call
   * committed it, and the caller gives the permits back; false if it was already settled (released,
   * aborted or resolved as a leak), which already gave them back.
   */
  static boolean commitIfHeld(Obligation held) {
    if (held.state() != ObligationState.RESERVED) {
      return false;
    }
    try {
      held.commit();
    } catch (IllegalStateException settledMeanwhile) {
      return false; // the runtime resolved it as a leak, which already gave the permits back
    }
    return true;
  }
}
