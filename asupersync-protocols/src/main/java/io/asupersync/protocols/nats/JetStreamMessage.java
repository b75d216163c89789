package io.asupersync.protocols.nats;

import io.asupersync.Cx;
import io.asupersync.Obligation;
import io.asupersync.ObligationKind;
import io.asupersync.ObligationState;
import java.nio.charset.StandardCharsets;

/**
 * A message delivered by a JetStream pull consumer, and the obligation to settle it: an {@link
 * ObligationKind#ACK} obligation held by the task that fetched it.
 *
 * <ul>
 *   <li>{@link #ack} sends {@code +ACK} and commits: the message is done.
 *   <li>{@link #nak} aborts: {@code -NAK} is sent and the server redelivers now.
 *   <li>{@link #term} sends {@code +TERM} and commits: the server never redelivers it.
 *   <li>{@link #inProgress} sends {@code +WPI}: the server restarts the ack wait; the obligation stays.
 * </ul>
 *
 * A task that ends without settling leaks the obligation; the runtime's leak handling aborts it,
 * which sends {@code -NAK}. An ack is sent without waiting for the server (the server redelivers one
 * that is lost, after the consumer's ack wait), so delivery is at least once. Settle from the
 * fetching task (obligations belong to their task).
 */
public final class JetStreamMessage {

  static final String ACK_PREFIX = "$JS.ACK.";
  static final byte[] ACK = bytes("+ACK");
  static final byte[] NAK = bytes("-NAK");
  static final byte[] TERM = bytes("+TERM");
  static final byte[] IN_PROGRESS = bytes("+WPI");

  private final Engine engine;
  private final NatsMessage message;
  private final String ackSubject;
  private final String stream;
  private final String consumer;
  private final long deliveredCount;
  private final long streamSequence;
  private final long deliverySequence;
  private final long pending;
  private final Obligation obligation;

  private JetStreamMessage(Cx cx, Engine engine, NatsMessage message, String ackSubject, String[] t, int at) {
    this.engine = engine;
    this.message = message;
    this.ackSubject = ackSubject;
    this.stream = t[at];
    this.consumer = t[at + 1];
    this.deliveredCount = Long.parseLong(t[at + 2]);
    this.streamSequence = Long.parseLong(t[at + 3]);
    this.deliverySequence = Long.parseLong(t[at + 4]);
    this.pending = Long.parseLong(t[at + 6]);
    this.obligation = cx.reserve(ObligationKind.ACK, "nats jetstream ack", () -> {
      if (engine.sendNoWait(ackSubject, NAK)) {
        engine.telemetry.naks.increment();
      }
    });
  }

  /**
   * Wraps a delivery and reserves its ack obligation for {@code cx}'s task.
   *
   * @throws IllegalArgumentException if the reply subject is not a JetStream ack subject
   */
  static JetStreamMessage reserve(Cx cx, Engine engine, NatsMessage message) {
    String reply = message.replyTo();
    if (reply == null || !reply.startsWith(ACK_PREFIX)) {
      throw new IllegalArgumentException("not a JetStream delivery");
    }
    // $JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<dseq>.<ts>.<pending>, or with <domain>.<account>
    // after ACK (and a trailing token) in the newer form.
    String[] t = reply.split("\\.", -1);
    int at = t.length == 9 ? 2 : t.length >= 11 ? 4 : -1;
    if (at < 0) {
      throw new IllegalArgumentException("not a JetStream delivery");
    }
    try {
      return new JetStreamMessage(cx, engine, message, reply, t, at);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a JetStream delivery", e);
    }
  }

  public NatsMessage message() {
    return message;
  }

  public String stream() {
    return stream;
  }

  public String consumer() {
    return consumer;
  }

  /** How many times the server has delivered this message (1 on the first delivery). */
  public long deliveredCount() {
    return deliveredCount;
  }

  public long streamSequence() {
    return streamSequence;
  }

  public long deliverySequence() {
    return deliverySequence;
  }

  /** Messages still pending for the consumer when this one was delivered. */
  public long pending() {
    return pending;
  }

  /** {@code RESERVED} until acked, termed or nak'ed (or leaked). */
  public ObligationState state() {
    return obligation.state();
  }

  /**
   * Acknowledges: sends {@code +ACK} and commits the obligation. Runs masked, so a pending cancel
   * does not stop an ack of work already done; waits for a connection at most the client's
   * connected-wait.
   *
   * @throws NatsException if no connection came up; the obligation is then aborted (the server
   *     redelivers after the ack wait)
   * @throws IllegalStateException if already settled
   */
  public void ack(Cx cx) throws NatsException {
    settle(cx, "js.ack", ACK, true);
    engine.telemetry.acks.increment();
  }

  /** Negative-acknowledges: aborts the obligation, which sends {@code -NAK} (redelivery now). */
  public void nak(Cx cx) throws NatsException {
    engine.telemetry.traced(cx, "js.nak", () -> {
      obligation.abort();
      return null;
    });
  }

  /** Terminates: sends {@code +TERM} and commits; the server never redelivers this message. */
  public void term(Cx cx) throws NatsException {
    settle(cx, "js.term", TERM, true);
    engine.telemetry.terms.increment();
  }

  /** Tells the server work is in progress ({@code +WPI}), restarting its ack wait; the obligation stays reserved. */
  public void inProgress(Cx cx) throws NatsException {
    if (obligation.state() != ObligationState.RESERVED) {
      throw new IllegalStateException("message is already " + obligation.state());
    }
    settle(cx, "js.in_progress", IN_PROGRESS, false);
  }

  private void settle(Cx cx, String operation, byte[] body, boolean commit) throws NatsException {
    if (obligation.state() != ObligationState.RESERVED) {
      throw new IllegalStateException("message is already " + obligation.state());
    }
    engine.telemetry.traced(cx, operation, () -> {
      NatsException failure = cx.masked(() -> {
        try {
          engine.publish(cx, ackSubject, null, NatsHeaders.empty(), body, false);
          return null;
        } catch (NatsException e) {
          return e;
        }
      });
      if (failure != null) {
        if (commit) {
          obligation.abort();
        }
        throw failure;
      }
      if (commit) {
        obligation.commit();
      }
      return null;
    });
  }

  /** Aborts if still reserved: for a fetch that ends before handing its messages over. */
  void abandon() {
    if (obligation.state() == ObligationState.RESERVED) {
      obligation.abort();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public String toString() {
    return "JetStreamMessage[" + stream + "/" + consumer + " #" + streamSequence + ", delivered " + deliveredCount + ", " + obligation.state() + "]";
  }
}
