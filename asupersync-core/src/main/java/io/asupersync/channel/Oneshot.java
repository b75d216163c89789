package io.asupersync.channel;

import io.asupersync.CancelledException;
import io.asupersync.Cx;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A channel for exactly one value, typically a reply.
 *
 * <p>The send is two-phase so that a receiver can never wait for a sender that is gone: the sender
 * {@linkplain #reserve reserves} the right to send (an obligation of its task) before doing the work,
 * then {@linkplain SendPermit#send sends}. If the permit is aborted, or leaked because the sending task
 * ended (cancelled, failed or forgetful), the receiver wakes with {@link ChannelClosedException}.
 * {@link #send(Object)} does both phases at once when there is no work in between.
 *
 * <p><b>Receiving.</b> {@link #recv} is a checkpoint and wakes when cancelled; a cancelled receive
 * takes nothing, so a later receive still gets the value. Concurrent receivers are safe: exactly one
 * gets the value, the others get {@link ChannelClosedException}.
 *
 * <p><b>Closing.</b> {@link #close} (receiver side: no longer interested) makes later reservations
 * and sends fail with {@link ChannelClosedException}; a permit reserved before stays valid. Once the
 * value was received, the oneshot is closed.
 *
 * <p><b>Memory effects.</b> Actions before the send happen-before actions after the receive that
 * returns the value. The value is never null.
 *
 * @param <T> the value type
 */
public final class Oneshot<T> {
  private static final String PERMIT = "Oneshot send permit";

  private enum Sender {
    NONE,
    RESERVED,
    SENT,
    ABORTED
  }

  private final ReentrantLock lock = new ReentrantLock();
  // Guarded by lock.
  private Sender sender = Sender.NONE;
  private @Nullable T value;
  private boolean closed;
  private final WaitSet receivers = WaitSet.shared(lock);

  private final SendPermit.Target<T> target =
      new SendPermit.Target<>() {
        @Override
        public void deliver(T v) {
          lock.lock();
          try {
            sender = Sender.SENT;
            value = v;
            receivers.wakeAllLocked();
          } finally {
            lock.unlock();
          }
        }

        @Override
        public void release() {
          lock.lock();
          try {
            sender = Sender.ABORTED;
            receivers.wakeAllLocked();
          } finally {
            lock.unlock();
          }
        }
      };

  private Oneshot() {}

  public static <T> Oneshot<T> create() {
    return new Oneshot<>();
  }

  /**
   * Reserves the single send; never waits and is not a checkpoint. The permit is an obligation of
   * {@code cx}'s task.
   *
   * @throws ChannelClosedException if the receiver closed the oneshot
   * @throws IllegalStateException if a send was already reserved or made
   */
  public SendPermit<T> reserve(Cx cx) throws ChannelClosedException {
    lock.lock();
    try {
      checkSendableLocked();
      sender = Sender.RESERVED;
    } finally {
      lock.unlock();
    }
    return SendPermit.holding(target, cx, PERMIT);
  }

  /**
   * Sends {@code value} in one step; never waits.
   *
   * @throws ChannelClosedException if the receiver closed the oneshot
   * @throws IllegalStateException if a send was already reserved or made
   */
  public void send(T value) throws ChannelClosedException {
    Objects.requireNonNull(value, "value");
    lock.lock();
    try {
      checkSendableLocked();
      sender = Sender.SENT;
      this.value = value;
      receivers.wakeAllLocked();
    } finally {
      lock.unlock();
    }
  }

  private void checkSendableLocked() throws ChannelClosedException {
    if (sender != Sender.NONE) {
      throw new IllegalStateException("oneshot already has a sender (" + sender + ")");
    }
    if (closed) {
      throw new ChannelClosedException("oneshot was closed by its receiver");
    }
  }

  /**
   * Waits for the value and takes it.
   *
   * @return the value, never null
   * @throws CancelledException if the calling task is cancelled first; the value stays for a later
   *     receive
   * @throws ChannelClosedException if no value can arrive any more: the permit was aborted or
   *     leaked, the oneshot was closed before any send was reserved, or the value was already taken
   */
  public T recv(Cx cx) throws ChannelClosedException {
    return receivers.await(cx, this::takeLocked);
  }

  /**
   * Takes the value if it was sent; never waits and is not a checkpoint.
   *
   * @return the value, or null if not sent yet
   * @throws ChannelClosedException if no value can arrive any more
   */
  public @Nullable T tryRecv() throws ChannelClosedException {
    lock.lock();
    try {
      return takeLocked();
    } finally {
      lock.unlock();
    }
  }

  private @Nullable T takeLocked() throws ChannelClosedException {
    T v = value;
    if (v != null) {
      value = null;
      closed = true;
      return v;
    }
    switch (sender) {
      case SENT -> throw new ChannelClosedException("oneshot value was already received");
      case ABORTED -> throw new ChannelClosedException("oneshot sender aborted or leaked its permit");
      case NONE -> {
        if (closed) {
          throw new ChannelClosedException("oneshot is closed");
        }
      }
      case RESERVED -> {}
    }
    return null;
  }

  /**
   * Closes the oneshot from the receiving side; idempotent. Later reservations and sends fail; a
   * permit already reserved can still send.
   */
  public void close() {
    lock.lock();
    try {
      closed = true;
      receivers.wakeAllLocked();
    } finally {
      lock.unlock();
    }
  }

  /** Whether no value can be received any more, or the receiver closed it. */
  public boolean isClosed() {
    lock.lock();
    try {
      return closed || sender == Sender.ABORTED;
    } finally {
      lock.unlock();
    }
  }

  /** Threads blocked in a receive (a snapshot). */
  int waitingReceivers() {
    return receivers.size();
  }

  @Override
  public String toString() {
    lock.lock();
    try {
      return "Oneshot[" + sender + (value != null ? ", ready" : "") + (closed ? ", closed" : "") + "]";
    } finally {
      lock.unlock();
    }
  }
}
