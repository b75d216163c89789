package io.asupersync.protocols.redis;

import io.asupersync.Cx;
import io.asupersync.Obligation;
import io.asupersync.ObligationState;
import java.nio.charset.StandardCharsets;

/**
 * An element taken by {@link RedisClient#reliablePop}: it sits in the processing list until this
 * lease is committed (LREM from the processing list: the element is consumed) or aborted (moved back
 * to the tail of the source list, where it is the next one popped). Backed by an {@link
 * io.asupersync.ObligationKind#LEASE} obligation of the task that popped it, so a task that ends
 * holding one is a reported leak, and the element is given back then too (the abort action of an
 * obligation also runs when it leaks).
 *
 * <p>If the client is closed or the connection lost before a give-back is written, the element stays
 * in the processing list; {@link RedisClient#requeue} moves everything found there back to the
 * source (run it at start-up for the processing lists this service owns).
 */
public final class ListLease {

  private final RedisClient client;
  private final String source;
  private final String processing;
  private final byte[] value;
  private final Obligation obligation;

  ListLease(RedisClient client, Cx cx, String source, String processing, byte[] value) {
    this.client = client;
    this.source = source;
    this.processing = processing;
    this.value = value;
    this.obligation = cx.reserve(
        io.asupersync.ObligationKind.LEASE,
        "redis list element from " + source + " held in " + processing,
        () -> client.runDetached(RedisCommands.moveBack(
            bytes(source), bytes(processing), value, ListSide.RIGHT.name(), ListSide.LEFT.name())));
  }

  /** The element. */
  public byte[] value() {
    return value.clone();
  }

  /** The element as UTF-8 text. */
  public String text() {
    return new String(value, StandardCharsets.UTF_8);
  }

  public String source() {
    return source;
  }

  public String processing() {
    return processing;
  }

  public ObligationState state() {
    return obligation.state();
  }

  /**
   * Consumes the element: removes it from the processing list, then commits the obligation. If this
   * throws (the connection broke, or the caller was cancelled) the obligation is still reserved: call
   * it again, or {@link #abort()}, which gives the element back only if it is still in the processing
   * list, so the element is delivered at least once and never lost. A cancelled commit aborts the
   * lease the same way.
   */
  public void commit(Cx cx) throws RedisException {
    try {
      client.command(cx, "LREM", processing, 1, value);
    } catch (io.asupersync.CancelledException e) {
      obligation.abort();
      throw e;
    }
    obligation.commit();
  }

  /**
   * Gives the element back: returns at once, and the client moves it from the processing list to the
   * tail of the source list in the background (only if it is still in the processing list).
   */
  public void abort() {
    obligation.abort();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "ListLease[" + source + " -> " + processing + ", " + value.length + " bytes, " + obligation.state() + "]";
  }

}
