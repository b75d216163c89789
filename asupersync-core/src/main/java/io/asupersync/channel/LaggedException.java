package io.asupersync.channel;

/**
 * Thrown by {@link BroadcastChannel.Subscriber#recv} when the subscriber fell more than the channel's
 * capacity behind and the oldest messages it had not read were overwritten. The subscriber has already
 * moved on to the oldest message still held, so the next receive continues from there.
 */
public final class LaggedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final long missed;

  LaggedException(long missed) {
    super("subscriber lagged behind and missed " + missed + " message(s)", null, false, false);
    this.missed = missed;
  }

  /** How many messages this subscriber skipped; always at least 1. */
  public long missed() {
    return missed;
  }
}
