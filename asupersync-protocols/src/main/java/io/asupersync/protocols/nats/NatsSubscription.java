package io.asupersync.protocols.nats;

import io.asupersync.Cx;
import io.asupersync.channel.ChannelClosedException;
import io.asupersync.channel.MpscChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Interest in a subject: messages the server delivers for it queue here until {@link #next} takes
 * them. The subscription survives reconnects (the client subscribes again on every new connection).
 *
 * <p><b>Slow consumers.</b> The queue is bounded by {@link NatsLimits#subscriptionCapacity()}
 * messages and {@link NatsLimits#subscriptionPendingBytes()} payload bytes. When a message arrives
 * and either bound is reached, that message is dropped, counted ({@link #dropped()} and {@link
 * NatsStats#droppedMessages()}), and the first drop of a run records a {@code LIMIT_EXCEEDED} trace
 * event. The connection is never blocked by a slow subscriber, as the server itself does: core NATS
 * is at-most-once, and JetStream is the way to get redelivery.
 *
 * <p>One task at a time may wait in {@link #next}: a second concurrent wait throws {@link
 * IllegalStateException}. For work sharing, use a queue group (one subscription per worker).
 */
public final class NatsSubscription implements AutoCloseable {

  private final Engine engine;
  private final long sid;
  private final String subject;
  private final @Nullable String queueGroup;
  private final MpscChannel<NatsMessage> queue;
  private final long maxPendingBytes;
  private final AtomicLong pendingBytes = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean dropping;

  NatsSubscription(Engine engine, long sid, String subject, @Nullable String queueGroup, NatsLimits limits) {
    this.engine = engine;
    this.sid = sid;
    this.subject = subject;
    this.queueGroup = queueGroup;
    this.queue = MpscChannel.bounded(limits.subscriptionCapacity());
    this.maxPendingBytes = limits.subscriptionPendingBytes();
  }

  public String subject() {
    return subject;
  }

  public @Nullable String queueGroup() {
    return queueGroup;
  }

  long sid() {
    return sid;
  }

  /**
   * Takes the next message, waiting until one arrives. A cancelled wait takes nothing.
   *
   * @throws NatsException {@code CLOSED} once the subscription (or the client) is closed and its
   *     queue drained
   * @throws io.asupersync.CancelledException if the task is cancelled first
   * @throws IllegalStateException if another task is waiting in {@code next}
   */
  public NatsMessage next(Cx cx) throws NatsException {
    try {
      return taken(queue.recv(cx));
    } catch (ChannelClosedException e) {
      throw closed();
    }
  }

  /**
   * Takes the next message, waiting at most {@code timeout}.
   *
   * @return the message, or null if none arrived in time
   * @throws NatsException {@code CLOSED} once the subscription is closed and its queue drained
   */
  public @Nullable NatsMessage next(Cx cx, Duration timeout) throws NatsException {
    try {
      NatsMessage m = queue.recv(cx, timeout);
      return m == null ? null : taken(m);
    } catch (ChannelClosedException e) {
      throw closed();
    }
  }

  /** Messages dropped because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  /** Messages queued now. */
  public int pending() {
    return queue.size();
  }

  /**
   * Unsubscribes ({@code UNSUB}) and stops queueing; messages already queued can still be taken.
   * Never waits; idempotent.
   */
  @Override
  public void close() {
    engine.unsubscribe(sid);
    queue.close();
  }

  /** Called on the event loop for every message of this subscription. */
  void deliver(NatsMessage message) {
    int size = message.data().length;
    boolean queued = false;
    if (pendingBytes.addAndGet(size) <= maxPendingBytes) {
      try {
        queued = queue.trySend(message);
      } catch (ChannelClosedException e) {
        pendingBytes.addAndGet(-size);
        return; // closed meanwhile: nobody will take it
      }
    }
    if (queued) {
      dropping = false;
      return;
    }
    pendingBytes.addAndGet(-size);
    dropped.incrementAndGet();
    engine.telemetry.slowConsumer(sid, !dropping);
    dropping = true;
  }

  /** The client closed: stop queueing, let queued messages drain. */
  void closeQueue() {
    queue.close();
  }

  private NatsMessage taken(NatsMessage m) {
    pendingBytes.addAndGet(-m.data().length);
    return m;
  }

  private static NatsException closed() {
    return new NatsException(NatsException.Reason.CLOSED, "subscription is closed");
  }

  @Override
  public String toString() {
    return "NatsSubscription[sid=" + sid + ", pending=" + pending() + ", dropped=" + dropped() + "]";
  }
}
