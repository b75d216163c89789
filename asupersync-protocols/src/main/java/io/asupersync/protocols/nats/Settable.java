package io.asupersync.protocols.nats;

import io.asupersync.Cx;
import io.asupersync.Waker;
import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A result that any thread (a Netty event loop) settles once and runtime tasks wait for through their
 * {@link Cx}, so a wait wakes on cancellation and on the budget deadline. The first settle wins.
 */
final class Settable<T> {

  private record Failure(NatsException error) {}

  private final AtomicReference<@Nullable Object> result = new AtomicReference<>();
  private final ConcurrentLinkedQueue<Waker> waiters = new ConcurrentLinkedQueue<>();

  boolean set(T value) {
    return settle(value);
  }

  boolean fail(NatsException error) {
    return settle(new Failure(error));
  }

  boolean isDone() {
    return result.get() != null;
  }

  private boolean settle(Object value) {
    if (!result.compareAndSet(null, value)) {
      return false;
    }
    for (Waker w : waiters) {
      w.wake();
    }
    return true;
  }

  /**
   * Waits for the result. A result that is there when the wait wakes wins over a cancellation
   * requested meanwhile.
   *
   * @return the value, or null if {@code deadline} (runtime clock; null for none) passed first
   * @throws NatsException the failure it was settled with
   * @throws io.asupersync.CancelledException if the task is cancelled first
   */
  @Nullable T await(Cx cx, @Nullable Instant deadline) throws NatsException {
    Waker me = cx.waker();
    waiters.add(me);
    try {
      while (true) {
        Object r = result.get();
        if (r != null) {
          if (r instanceof Failure f) {
            throw f.error;
          }
          @SuppressWarnings("unchecked")
          T value = (T) r;
          return value;
        }
        cx.checkpoint();
        if (deadline != null && !cx.now().isBefore(deadline)) {
          return null;
        }
        cx.park(deadline);
      }
    } finally {
      waiters.remove(me);
    }
  }
}
