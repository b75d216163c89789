package io.asupersync.protocols.kafka;

import io.asupersync.CancelledException;
import io.asupersync.Cx;
import io.asupersync.Waker;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.errors.InterruptException;
import org.jspecify.annotations.Nullable;

/**
 * One blocking kafka-clients <em>producer</em> call (a hand-over waiting for metadata or buffer space,
 * {@code initTransactions}, {@code commitTransaction}, {@code abortTransaction}) run on a virtual thread
 * of its own, so that the calling task waits for it through its {@link Cx}, which wakes for a cancel
 * and at the budget's deadline, instead of inside kafka-clients for up to {@code max.block.ms}.
 *
 * <p>{@link #withdraw} interrupts that thread. This is sound for producer calls only: on the calling
 * thread they block in interruptible waits and do no channel I/O (the producer's own I/O thread does),
 * so an interrupt ends the wait with {@link InterruptException} and the record or request is not
 * enqueued. The thread runs nothing but the call, and no interrupt reaches it once the call returned.
 * Never use this for consumer calls: the classic consumer does its network I/O on the calling thread,
 * where an interrupt closes the socket.
 */
final class BlockingCall<T> {
  /** Room for a withdrawn call to notice its interrupt and return; it normally takes microseconds. */
  static final Duration WITHDRAWAL_GRACE = Duration.ofSeconds(5);

  @FunctionalInterface
  interface Call<T> {
    T run();
  }

  private final Call<T> call;
  private final Waker waiter;
  /** The thread while the call runs; null once it returned, so that no interrupt reaches it later. */
  private @Nullable Thread thread;
  private boolean done;
  private boolean withdrawn;
  private @Nullable T value;
  private @Nullable Throwable failure;
  private @Nullable Runnable then;

  private BlockingCall(Call<T> call, Waker waiter) {
    this.call = call;
    this.waiter = waiter;
  }

  /** Starts {@code call}; {@code waiter} is woken when it returns. */
  static <T> BlockingCall<T> start(String name, Waker waiter, Call<T> call) {
    BlockingCall<T> c = new BlockingCall<>(call, waiter);
    Thread t = Thread.ofVirtual().name(name).unstarted(c::run);
    synchronized (c) {
      c.thread = t;
    }
    t.start();
    return c;
  }

  private void run() {
    T v = null;
    Throwable f = null;
    try {
      v = call.run();
    } catch (Throwable e) {
      f = e;
    }
    Runnable next;
    synchronized (this) {
      thread = null;
      Thread.interrupted(); // a withdrawal that came too late must not outlive the call
      value = v;
      failure = f;
      done = true;
      next = then;
    }
    waiter.wake();
    if (next != null) {
      next.run();
    }
  }

  /**
   * Runs {@code action} once the call has returned: at once if it has, else on the call's thread right
   * after it returns (no interrupt reaches it there). For a caller that leaves before the call ended.
   */
  void whenDone(Runnable action) {
    synchronized (this) {
      if (!done) {
        then = action;
        return;
      }
    }
    action.run();
  }

  synchronized boolean isDone() {
    return done;
  }

  /** Interrupts the call unless it already returned. */
  synchronized void withdraw() {
    withdrawn = true;
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }

  /** Whether the call ended because {@link #withdraw} interrupted it (so it had no effect). */
  synchronized boolean endedByWithdrawal() {
    return done && withdrawn && failure instanceof InterruptException;
  }

  /** Whether the call returned normally. */
  synchronized boolean succeeded() {
    return done && failure == null;
  }

  /**
   * Waits through {@code cx} until the call returns and gives its result.
   *
   * @throws CancelledException when the caller is cancelled or its deadline passes; the call still
   *     runs: the caller decides whether to {@link #withdrawAndWait} or to give it time
   */
  T await(Cx cx) {
    while (!isDone()) {
      cx.park(null);
      cx.checkpoint();
    }
    return result();
  }

  /**
   * Withdraws the call and waits, with cancellation masked, up to {@link #WITHDRAWAL_GRACE} for it to
   * return.
   *
   * @return whether it returned
   */
  boolean withdrawAndWait(Cx cx) {
    withdraw();
    return awaitMasked(cx, WITHDRAWAL_GRACE);
  }

  /** Waits with cancellation masked up to {@code bound} for the call to return; whether it did. */
  boolean awaitMasked(Cx cx, Duration bound) {
    Instant until = cx.now().plus(bound);
    return cx.masked(() -> {
      while (!isDone() && cx.now().isBefore(until)) {
        cx.park(until);
      }
      return isDone();
    });
  }

  /** The call's value, or its exception rethrown; only once it returned. */
  @SuppressWarnings("NullAway") // a call of Void returns null
  synchronized T result() {
    if (!done) {
      throw new IllegalStateException("call still running");
    }
    Throwable f = failure;
    if (f instanceof RuntimeException e) {
      throw e;
    }
    if (f instanceof Error e) {
      throw e;
    }
    if (f != null) {
      throw new IllegalStateException(f);
    }
    return value;
  }

  /** The call's exception, or null if it returned normally or still runs. */
  synchronized @Nullable Throwable failure() {
    return failure;
  }
}
