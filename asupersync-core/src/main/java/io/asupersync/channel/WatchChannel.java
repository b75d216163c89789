package io.asupersync.channel;

import io.asupersync.CancelledException;
import io.asupersync.Cx;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Holds the latest value and its version: a sender replaces it, receivers read it whenever they like
 * and can wait for it to change. Intermediate values a receiver did not look at are skipped, never
 * queued; use it for state (configuration, health, leadership), not for events.
 *
 * <p>The version starts at 0 and grows by one with each {@link #send}. Each {@linkplain #subscribe
 * receiver} remembers the last version it has seen; {@link Receiver#changed} waits for a newer one.
 *
 * <p><b>Cancellation.</b> {@link Receiver#changed} is a checkpoint and wakes when cancelled; a
 * cancelled wait does not mark anything seen.
 *
 * <p><b>Closing.</b> After {@link #close}, sends fail with {@link ChannelClosedException}; the last
 * value stays readable, and {@link Receiver#changed} returns a version it has not seen yet, then throws
 * {@link ChannelClosedException}.
 *
 * <p><b>Memory effects.</b> Actions before a send happen-before actions after any read ({@link
 * #borrow}, {@link Receiver#borrow}, {@link Receiver#changed}) that returns that value or a later
 * one. Values are never null and are shared by all readers, so they should be immutable.
 *
 * @param <T> the value type
 */
public final class WatchChannel<T> {

  private record Versioned<T>(T value, long version) {}

  private final ReentrantLock lock = new ReentrantLock();
  private volatile Versioned<T> current;
  // Guarded by lock.
  private boolean closed;
  private final WaitSet waiting = WaitSet.shared(lock);

  private WatchChannel(T initial) {
    this.current = new Versioned<>(initial, 0);
  }

  /** A watch channel holding {@code initial} at version 0. */
  public static <T> WatchChannel<T> of(T initial) {
    return new WatchChannel<>(Objects.requireNonNull(initial, "initial"));
  }

  /**
   * Replaces the value, bumps the version and wakes every waiting receiver; never waits.
   *
   * @return the new version
   * @throws ChannelClosedException if the channel is closed
   */
  public long send(T value) throws ChannelClosedException {
    Objects.requireNonNull(value, "value");
    lock.lock();
    try {
      if (closed) {
        throw new ChannelClosedException("watch channel is closed");
      }
      long version = current.version() + 1;
      current = new Versioned<>(value, version);
      waiting.wakeAllLocked();
      return version;
    } finally {
      lock.unlock();
    }
  }

  /** The latest value; never waits, never null. */
  public T borrow() {
    return current.value();
  }

  /** The version of the latest value. */
  public long version() {
    return current.version();
  }

  /** A receiver that has seen the current version. */
  public Receiver<T> subscribe() {
    return new Receiver<>(this, current.version());
  }

  /** Closes the channel; idempotent. The last value stays readable. */
  public void close() {
    lock.lock();
    try {
      closed = true;
      waiting.wakeAllLocked();
    } finally {
      lock.unlock();
    }
  }

  public boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  /** Threads blocked in a receive (a snapshot). */
  int waitingReceivers() {
    return waiting.size();
  }

  @Override
  public String toString() {
    return "WatchChannel[version=" + current.version() + "]";
  }

  /**
   * One reader of a {@link WatchChannel}, remembering the last version it has seen. Meant for one
   * task at a time.
   *
   * @param <T> the value type
   */
  public static final class Receiver<T> {
    private final WatchChannel<T> channel;
    private volatile long seen;

    private Receiver(WatchChannel<T> channel, long seen) {
      this.channel = channel;
      this.seen = seen;
    }

    /** The latest value, without marking it seen. */
    public T borrow() {
      return channel.borrow();
    }

    /** The latest value, marking its version seen. */
    public T borrowAndUpdate() {
      Versioned<T> v = channel.current;
      seen = v.version();
      return v.value();
    }

    /** Whether a version newer than the last one seen was sent. */
    public boolean hasChanged() {
      return channel.current.version() > seen;
    }

    /** The last version this receiver has seen. */
    public long seenVersion() {
      return seen;
    }

    /**
     * Waits until the channel holds a version newer than the last one seen, marks it seen and returns
     * its value. Returns at once if such a version is already there.
     *
     * @return the latest value, never null
     * @throws CancelledException if the calling task is cancelled first; nothing is marked seen
     * @throws ChannelClosedException if the channel is closed and this receiver has seen the last
     *     version
     */
    public T changed(Cx cx) throws ChannelClosedException {
      return channel.waiting.await(cx, this::pollLocked);
    }

    private @Nullable T pollLocked() throws ChannelClosedException {
      Versioned<T> v = channel.current;
      if (v.version() > seen) {
        seen = v.version();
        return v.value();
      }
      if (channel.closed) {
        throw new ChannelClosedException("watch channel is closed and its last version was seen");
      }
      return null;
    }
  }
}
