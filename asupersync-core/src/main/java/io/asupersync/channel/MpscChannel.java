package io.asupersync.channel;

import io.asupersync.CancelledException;
import io.asupersync.Cx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A bounded multi-producer, single-consumer FIFO channel with two-phase sends.
 *
 * <p>A slot is taken when a sender {@linkplain #reserve reserves} it and freed when a receiver takes
 * the message (or the permit is aborted or leaked), so at most {@link #capacity()} messages are queued
 * or promised at any time. The capacity check and the reservation happen atomically; a sender that
 * must wait queues in FIFO order and is handed the next freed slot directly.
 *
 * <p><b>Cancellation.</b> Every waiting operation is a checkpoint of the calling task: it throws
 * {@link CancelledException} at entry if cancellation was requested, and wakes and throws it when
 * cancellation is requested while it waits (unless masked); if what it waited for is there when it
 * wakes, it completes instead and the next checkpoint observes the request. A cancelled {@link
 * #reserve} leaves the queue of waiting senders and holds no slot (a slot handed to it as it gave up
 * goes to the next waiter). A cancelled {@link #recv} takes no message: a message leaves the queue
 * only in a receive that returns it.
 *
 * <p><b>Receivers.</b> One receiver at a time: a blocking {@link #recv} while another blocking receive
 * is waiting throws {@link IllegalStateException}. {@link #tryRecv} never waits and is always safe:
 * each message is returned by exactly one receive.
 *
 * <p><b>Closing.</b> {@link #close} stops new reservations and sends; waiting senders wake with {@link
 * ChannelClosedException}. Permits reserved before the close stay valid and their messages are still
 * delivered. Receivers drain what is queued and what outstanding permits send, then get {@link
 * ChannelClosedException}.
 *
 * <p><b>Memory effects.</b> Actions of a thread before it sends a message happen-before the actions
 * of the thread after the receive that returns that message.
 *
 * <p><b>Nullness.</b> Messages are never null; {@code null} from {@link #tryRecv} or a timed {@link
 * #recv(Cx, Duration)} means "nothing yet".
 *
 * @param <T> the message type
 */
public final class MpscChannel<T> {
  private static final String PERMIT = "MpscChannel send permit";

  private final int capacity;
  private final ReentrantLock lock = new ReentrantLock();
  // Guarded by lock.
  private final ArrayDeque<T> queue = new ArrayDeque<>();
  private final ArrayDeque<Waiter> senders = new ArrayDeque<>();
  private int reserved;
  private boolean closed;
  private final WaitSet receivers = WaitSet.exclusive(lock, "MpscChannel");

  private final SendPermit.Target<T> target =
      new SendPermit.Target<>() {
        @Override
        public void deliver(T value) {
          lock.lock();
          try {
            reserved--;
            queue.addLast(value);
            receivers.wakeAllLocked();
          } finally {
            lock.unlock();
          }
        }

        @Override
        public void release() {
          lock.lock();
          try {
            reserved--;
            slotFreedLocked();
          } finally {
            lock.unlock();
          }
        }
      };

  private MpscChannel(int capacity) {
    this.capacity = capacity;
  }

  /**
   * A channel holding at most {@code capacity} queued or reserved messages.
   *
   * @throws IllegalArgumentException if {@code capacity} is less than 1
   */
  public static <T> MpscChannel<T> bounded(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    return new MpscChannel<>(capacity);
  }

  /**
   * Reserves a slot, waiting (FIFO among senders) until one is free. The returned permit is an
   * obligation held by {@code cx}'s task.
   *
   * @return a reserved permit, never null
   * @throws CancelledException if the calling task is cancelled before a slot is reserved
   * @throws ChannelClosedException if the channel is or becomes closed before a slot is reserved
   */
  public SendPermit<T> reserve(Cx cx) throws ChannelClosedException {
    cx.checkpoint();
    Waiter waiter = null;
    lock.lock();
    try {
      if (closed) {
        throw closedForSenders();
      }
      if (senders.isEmpty() && reserved + queue.size() < capacity) {
        reserved++;
      } else {
        waiter = new Waiter(cx.waker());
        senders.addLast(waiter);
      }
    } finally {
      lock.unlock();
    }
    if (waiter != null) {
      awaitSlot(cx, waiter);
    }
    return SendPermit.holding(target, cx, PERMIT);
  }

  private void awaitSlot(Cx cx, Waiter waiter) throws ChannelClosedException {
    boolean granted = false;
    try {
      while (true) {
        lock.lock();
        try {
          if (waiter.granted) {
            granted = true;
            return;
          }
          if (closed) {
            throw closedForSenders();
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
            reserved--; // handed a slot as we gave up: pass it on
            slotFreedLocked();
          } else {
            senders.remove(waiter);
          }
        } finally {
          lock.unlock();
        }
      }
    }
  }

  /**
   * Reserves a slot if one is free now, without waiting and without a checkpoint.
   *
   * @return a reserved permit held by {@code cx}'s task, or null if the channel is full
   * @throws ChannelClosedException if the channel is closed
   */
  public @Nullable SendPermit<T> tryReserve(Cx cx) throws ChannelClosedException {
    lock.lock();
    try {
      if (closed) {
        throw closedForSenders();
      }
      if (reserved + queue.size() >= capacity) {
        return null;
      }
      reserved++;
    } finally {
      lock.unlock();
    }
    return SendPermit.holding(target, cx, PERMIT);
  }

  /**
   * Reserves a slot and sends {@code value} into it: {@code reserve(cx).send(value)}.
   *
   * @throws CancelledException if the calling task is cancelled before a slot is reserved (nothing
   *     is sent)
   * @throws ChannelClosedException if the channel is or becomes closed before a slot is reserved
   */
  public void send(Cx cx, T value) throws ChannelClosedException {
    Objects.requireNonNull(value, "value");
    reserve(cx).send(value);
  }

  /**
   * Sends {@code value} if a slot is free now; never waits. Needs no permit since the reservation
   * and the send are one atomic step.
   *
   * @return whether the message was queued
   * @throws ChannelClosedException if the channel is closed
   */
  public boolean trySend(T value) throws ChannelClosedException {
    Objects.requireNonNull(value, "value");
    lock.lock();
    try {
      if (closed) {
        throw closedForSenders();
      }
      if (reserved + queue.size() >= capacity) {
        return false;
      }
      queue.addLast(value);
      receivers.wakeAllLocked();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes the oldest message, waiting until one arrives.
   *
   * @return the message, never null
   * @throws CancelledException if the calling task is cancelled first; no message is taken
   * @throws ChannelClosedException once the channel is closed and drained
   * @throws IllegalStateException if another blocking receive is waiting on this channel
   */
  public T recv(Cx cx) throws ChannelClosedException {
    return Objects.requireNonNull(recvUntil(cx, null));
  }

  /**
   * Takes the oldest message, waiting at most {@code timeout} (on the runtime clock).
   *
   * @return the message, or null if none arrived in time
   * @throws CancelledException if the calling task is cancelled first; no message is taken
   * @throws ChannelClosedException once the channel is closed and drained
   * @throws IllegalStateException if another blocking receive is waiting on this channel
   */
  public @Nullable T recv(Cx cx, Duration timeout) throws ChannelClosedException {
    Objects.requireNonNull(timeout, "timeout");
    return recvUntil(cx, cx.now().plus(timeout));
  }

  private @Nullable T recvUntil(Cx cx, @Nullable Instant deadline) throws ChannelClosedException {
    return receivers.await(cx, deadline, this::takeLocked);
  }

  /**
   * Takes the oldest message if there is one; never waits and is not a checkpoint.
   *
   * @return the message, or null if none is queued
   * @throws ChannelClosedException if the channel is closed and drained
   */
  public @Nullable T tryRecv() throws ChannelClosedException {
    lock.lock();
    try {
      return takeLocked();
    } finally {
      lock.unlock();
    }
  }

  /** The oldest message, null if none yet; throws once closed and drained. Caller holds the lock. */
  private @Nullable T takeLocked() throws ChannelClosedException {
    T value = queue.pollFirst();
    if (value != null) {
      slotFreedLocked();
      return value;
    }
    if (closed && reserved == 0) {
      throw new ChannelClosedException("channel is closed and drained");
    }
    return null;
  }

  /** One slot just became free: hand it to the first waiting sender, if any. Caller holds the lock. */
  private void slotFreedLocked() {
    Waiter next = closed ? null : senders.pollFirst();
    if (next != null) {
      reserved++;
      next.granted = true;
      next.waker.wake();
    } else if (closed && reserved == 0) {
      receivers.wakeAllLocked(); // the last outstanding permit is gone: the receiver may finish
    }
  }

  /**
   * Closes the channel; idempotent. Waiting senders wake with {@link ChannelClosedException};
   * outstanding permits stay valid; receivers drain and then get {@link ChannelClosedException}.
   */
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      for (Waiter w : senders) {
        w.waker.wake();
      }
      senders.clear();
      receivers.wakeAllLocked();
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

  /** The most messages queued or reserved at once. */
  public int capacity() {
    return capacity;
  }

  /** Messages queued now and not yet received (a snapshot). */
  public int size() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** Slots held by permits not yet sent, aborted or leaked (a snapshot). */
  public int reservedSlots() {
    lock.lock();
    try {
      return reserved;
    } finally {
      lock.unlock();
    }
  }

  /** Senders waiting for a slot (a snapshot). */
  int waitingSenders() {
    lock.lock();
    try {
      return senders.size();
    } finally {
      lock.unlock();
    }
  }

  /** Whether a blocking receive is waiting (a snapshot). */
  boolean hasWaitingReceiver() {
    return receivers.size() > 0;
  }

  private static ChannelClosedException closedForSenders() {
    return new ChannelClosedException("channel is closed to senders");
  }

  @Override
  public String toString() {
    lock.lock();
    try {
      return "MpscChannel[capacity="
          + capacity
          + ", queued="
          + queue.size()
          + ", reserved="
          + reserved
          + (closed ? ", closed" : "")
          + "]";
    } finally {
      lock.unlock();
    }
  }}
