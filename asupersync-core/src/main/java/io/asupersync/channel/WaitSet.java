package io.asupersync.channel;

import io.asupersync.CancelledException;
import io.asupersync.Cx;
import io.asupersync.Waker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The receivers waiting on one channel, and the cancel-aware wait they go through. The set is guarded
 * by the channel's lock: methods named {@code ...Locked} expect the caller to hold it, the others take
 * it themselves.
 *
 * <p>A receiver {@linkplain #await waits} by polling the channel under the lock; if there is nothing
 * yet, it registers its {@link Cx#waker()} here and parks until the channel {@linkplain #wakeAllLocked
 * wakes every registered receiver}, then polls again. The poll decides what a wait returns or throws,
 * so a wait that ends any other way (cancelled, timed out) has taken nothing from the channel.
 */
final class WaitSet {

  /**
   * Takes what a receiver waits for, null if there is nothing yet. Called with the channel's lock held.
   *
   * @param <T> what is received
   * @param <E> a further checked exception the poll may throw besides {@link ChannelClosedException}
   */
  @FunctionalInterface
  interface Poll<T, E extends Exception> {
    @Nullable T pollLocked() throws E, ChannelClosedException;
  }

  private final ReentrantLock lock;
  private final @Nullable String exclusiveOwner;
  // Guarded by lock.
  private final ArrayList<Waker> wakers = new ArrayList<>(1);

  private WaitSet(ReentrantLock lock, @Nullable String exclusiveOwner) {
    this.lock = lock;
    this.exclusiveOwner = exclusiveOwner;
  }

  /** Any number of receivers may wait at once. */
  static WaitSet shared(ReentrantLock lock) {
    return new WaitSet(lock, null);
  }

  /**
   * One receiver at a time: a wait that starts while another is waiting throws {@link
   * IllegalStateException} (before polling), naming {@code owner} in the message.
   */
  static WaitSet exclusive(ReentrantLock lock, String owner) {
    return new WaitSet(lock, owner);
  }

  /**
   * Waits without a time limit until {@code poll} returns something.
   *
   * @throws CancelledException if the calling task is cancelled before {@code poll} returned a value
   */
  <T, E extends Exception> T await(Cx cx, Poll<T, E> poll) throws E, ChannelClosedException {
    return Objects.requireNonNull(await(cx, null, poll));
  }

  /**
   * Waits until {@code poll} returns something or {@code deadline} (on the runtime clock, null for
   * none) passes. A checkpoint at entry and after every wake-up; the poll runs under the lock, once
   * before registering and again after each wake-up, and its exceptions end the wait.
   *
   * @return what {@code poll} returned, or null if the deadline passed first
   * @throws CancelledException if the calling task is cancelled before {@code poll} returned a value
   * @throws IllegalStateException if this set is {@linkplain #exclusive exclusive} and another
   *     receiver is waiting
   */
  <T, E extends Exception> @Nullable T await(Cx cx, @Nullable Instant deadline, Poll<T, E> poll)
      throws E, ChannelClosedException {
    cx.checkpoint();
    Waker me = cx.waker();
    lock.lock();
    try {
      if (exclusiveOwner != null && !wakers.isEmpty()) {
        throw new IllegalStateException(
            exclusiveOwner
                + " allows one receiver at a time; "
                + wakers.get(0)
                + " is already waiting");
      }
      T value = poll.pollLocked();
      if (value != null) {
        return value;
      }
      wakers.add(me);
    } finally {
      lock.unlock();
    }
    try {
      while (true) {
        if (deadline != null && !cx.now().isBefore(deadline)) {
          return null;
        }
        cx.checkpoint();
        cx.park(deadline);
        lock.lock();
        try {
          T value = poll.pollLocked();
          if (value != null) {
            return value;
          }
        } finally {
          lock.unlock();
        }
      }
    } finally {
      lock.lock();
      try {
        wakers.remove(me);
      } finally {
        lock.unlock();
      }
    }
  }

  /** Wakes every waiting receiver so that it polls again. Caller holds the lock. */
  void wakeAllLocked() {
    for (Waker w : wakers) {
      w.wake();
    }
  }

  /** Receivers waiting now (a snapshot). */
  int size() {
    lock.lock();
    try {
      return wakers.size();
    } finally {
      lock.unlock();
    }
  }
}
