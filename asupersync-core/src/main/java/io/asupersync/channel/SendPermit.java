package io.asupersync.channel;

import io.asupersync.Cx;
import io.asupersync.Obligation;
import io.asupersync.ObligationKind;
import io.asupersync.ObligationState;
import java.util.Objects;

/**
 * A reserved slot in a channel: the first phase of a two-phase send. The permit is an obligation of
 * kind {@link ObligationKind#SEND_PERMIT} held by the task that reserved it; it must end in exactly
 * one {@link #send} or {@link #abort}. If the task ends while still holding it (a leak, whatever the
 * runtime's leak response) the slot is given back, so a leaked permit never shrinks the channel.
 *
 * <p>A permit is meant to be used by one thread; {@link #send} and {@link #abort} are nevertheless
 * safe to race with each other and with the runtime's leak handling: exactly one of them wins.
 *
 * @param <T> the message type
 */
public final class SendPermit<T> {

  /** Where a permit delivers to and what it gives back. */
  interface Target<T> {
    /** Turns the reserved slot into a queued message. */
    void deliver(T value);

    /** Gives the reserved slot back. */
    void release();
  }

  private final Target<T> target;
  private final Obligation obligation;

  private SendPermit(Target<T> target, Cx cx, String description) {
    this.target = target;
    this.obligation = cx.reserve(ObligationKind.SEND_PERMIT, description, target::release);
  }

  /**
   * A permit for the slot the caller has just reserved in {@code target}, held by {@code cx}'s task.
   * If the obligation cannot be created, the slot is {@linkplain Target#release given back} before
   * the failure propagates.
   */
  static <T> SendPermit<T> holding(Target<T> target, Cx cx, String description) {
    boolean done = false;
    try {
      SendPermit<T> permit = new SendPermit<>(target, cx, description);
      done = true;
      return permit;
    } finally {
      if (!done) {
        target.release();
      }
    }
  }

  /**
   * Commits the permit and hands {@code value} to the channel. Never blocks and never fails for lack
   * of room, nor because the channel was closed after the permit was reserved: a receiver will
   * still be able to take it. Everything the sending thread did before this call happens-before the
   * receive that returns {@code value}.
   *
   * @throws NullPointerException if {@code value} is null (the permit stays reserved)
   * @throws IllegalStateException if the permit was already used, aborted or leaked
   */
  public void send(T value) {
    Objects.requireNonNull(value, "value");
    obligation.commit();
    target.deliver(value);
  }

  /**
   * Gives the slot back without sending.
   *
   * @throws IllegalStateException if the permit was already used, aborted or leaked
   */
  public void abort() {
    obligation.abort();
  }

  /** {@code RESERVED} until sent (committed), aborted or leaked. */
  public ObligationState state() {
    return obligation.state();
  }

  @Override
  public String toString() {
    return "SendPermit[" + obligation + "]";
  }
}
