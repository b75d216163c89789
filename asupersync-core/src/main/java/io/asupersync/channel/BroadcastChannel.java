package io.asupersync.channel;

import io.asupersync.CancelledException;
import io.asupersync.Cx;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A bounded multi-producer, multi-subscriber broadcast: every {@linkplain #subscribe subscriber} sees
 * every message sent after it subscribed, in send order, as long as it keeps up.
 *
 * <p>The channel keeps the last {@link #capacity()} messages in a ring. {@link #send} never waits: when
 * the ring is full it overwrites the oldest message. A subscriber that falls more than {@code
 * capacity} messages behind gets a {@link LaggedException} carrying how many messages it missed; it
 * is then positioned at the oldest message still held and continues from there. Slow subscribers
 * thus never slow senders down, and a lag is always reported, never silent.
 *
 * <p><b>Cancellation.</b> {@link Subscriber#recv} is a checkpoint and wakes when cancelled; a cancelled
 * receive does not move the subscriber's cursor, so no message is lost to it.
 *
 * <p><b>Closing.</b> After {@link #close}, sends fail with {@link ChannelClosedException}; subscribers
 * still read what the ring holds for them, then get {@link ChannelClosedException}.
 *
 * <p><b>Memory effects.</b> Actions before a send happen-before actions after any receive that returns
 * that message. Messages are never null and are shared by all subscribers, so they should be
 * immutable. The ring keeps a reference to each of the last {@code capacity} messages.
 *
 * @param <T> the message type
 */
public final class BroadcastChannel<T> {
  private final int capacity;
  private final ReentrantLock lock = new ReentrantLock();
  // Guarded by lock.
  private final @Nullable Object[] ring;
  /** Sequence number of the next message; message {@code s} lives at {@code ring[s % capacity]}. */
  private long tail;
  private boolean closed;
  private final WaitSet waiting = WaitSet.shared(lock);

  private BroadcastChannel(int capacity) {
    this.capacity = capacity;
    this.ring = new Object[capacity];
  }

  /**
   * A broadcast channel that keeps the last {@code capacity} messages.
   *
   * @throws IllegalArgumentException if {@code capacity} is less than 1
   */
  public static <T> BroadcastChannel<T> bounded(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    return new BroadcastChannel<>(capacity);
  }

  /**
   * Publishes {@code value} to every subscriber; never waits. Overwrites the oldest message when the
   * ring is full.
   *
   * @throws ChannelClosedException if the channel is closed
   */
  public void send(T value) throws ChannelClosedException {
    Objects.requireNonNull(value, "value");
    lock.lock();
    try {
      if (closed) {
        throw new ChannelClosedException("broadcast channel is closed");
      }
      ring[(int) (tail % capacity)] = value;
      tail++;
      waiting.wakeAllLocked();
    } finally {
      lock.unlock();
    }
  }

  /** A new subscriber that receives every message sent from now on. Safe to call after close. */
  public Subscriber<T> subscribe() {
    lock.lock();
    try {
      return new Subscriber<>(this, tail);
    } finally {
      lock.unlock();
    }
  }

  /** Closes the channel; idempotent. Subscribers drain what the ring holds for them. */
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

  /** How many of the latest messages the ring keeps. */
  public int capacity() {
    return capacity;
  }

  /** Threads blocked in a receive (a snapshot). */
  int waitingReceivers() {
    return waiting.size();
  }

  /** The next message for {@code sub}, null if none yet. Caller holds the lock. */
  private @Nullable T pollLocked(Subscriber<T> sub) throws LaggedException, ChannelClosedException {
    long oldest = Math.max(0, tail - capacity);
    if (sub.next < oldest) {
      long missed = oldest - sub.next;
      sub.next = oldest;
      throw new LaggedException(missed);
    }
    if (sub.next < tail) {
      @SuppressWarnings("unchecked")
      T value = (T) Objects.requireNonNull(ring[(int) (sub.next % capacity)]);
      sub.next++;
      return value;
    }
    if (closed) {
      throw new ChannelClosedException("broadcast channel is closed and this subscriber is drained");
    }
    return null;
  }

  @Override
  public String toString() {
    lock.lock();
    try {
      return "BroadcastChannel[capacity=" + capacity + ", sent=" + tail + (closed ? ", closed" : "") + "]";
    } finally {
      lock.unlock();
    }
  }

  /**
   * One subscriber's cursor into a {@link BroadcastChannel}. Meant for one receiving task; concurrent
   * receives on the same subscriber are safe, and each message goes to one of them.
   *
   * @param <T> the message type
   */
  public static final class Subscriber<T> {
    private final BroadcastChannel<T> channel;
    /** Sequence number of the next message to receive; guarded by the channel's lock. */
    private long next;

    private Subscriber(BroadcastChannel<T> channel, long next) {
      this.channel = channel;
      this.next = next;
    }

    /**
     * Takes this subscriber's next message, waiting until one is sent.
     *
     * @return the message, never null
     * @throws LaggedException if messages were overwritten before this subscriber read them; the
     *     cursor has moved past them, so the next call continues with the oldest message held
     * @throws CancelledException if the calling task is cancelled first; the cursor does not move
     * @throws ChannelClosedException once the channel is closed and this subscriber has read
     *     everything the ring holds for it
     */
    public T recv(Cx cx) throws LaggedException, ChannelClosedException {
      return channel.waiting.await(cx, () -> channel.pollLocked(this));
    }

    /**
     * Takes this subscriber's next message if there is one; never waits and is not a checkpoint.
     *
     * @return the message, or null if none is pending
     * @throws LaggedException as for {@link #recv}
     * @throws ChannelClosedException as for {@link #recv}
     */
    public @Nullable T tryRecv() throws LaggedException, ChannelClosedException {
      channel.lock.lock();
      try {
        return channel.pollLocked(this);
      } finally {
        channel.lock.unlock();
      }
    }

    /** Messages sent and not yet received by this subscriber, lagged ones included (a snapshot). */
    public long pending() {
      channel.lock.lock();
      try {
        return channel.tail - next;
      } finally {
        channel.lock.unlock();
      }
    }
  }
}
