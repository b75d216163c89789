package io.asupersync.protocols.redis;

import io.asupersync.Cx;
import io.asupersync.Obligation;
import io.asupersync.ObligationKind;
import io.asupersync.ObligationState;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One stream entry delivered to a consumer of a group ({@link RedisClient#xreadgroup} or {@link
 * RedisClient#xautoclaim}), held as an {@link ObligationKind#ACK} obligation of the receiving task.
 *
 * <p>{@link #ack} sends XACK and commits the obligation: the entry leaves the group's pending list.
 * {@link #abort} (or a task that ends holding it) leaves the entry pending in the group: Redis 7 has
 * no negative acknowledgement, so a later reader reclaims it with {@link RedisClient#xautoclaim} once
 * it has been idle long enough. Delivery is therefore at least once; deduplicate by {@link #id()}.
 * The same holds for entries whose XREADGROUP was cancelled after it was sent: the server delivered
 * them into the pending list, nobody received them, and XAUTOCLAIM reclaims them.
 */
public final class StreamDelivery {

  private final RedisClient client;
  private final String stream;
  private final String group;
  private final String id;
  private final Map<String, byte[]> fields;
  private final Obligation obligation;

  StreamDelivery(RedisClient client, Cx cx, String stream, String group, String id, Map<String, byte[]> fields) {
    this.client = client;
    this.stream = stream;
    this.group = group;
    this.id = id;
    this.fields = Map.copyOf(fields);
    this.obligation = cx.reserve(ObligationKind.ACK, "redis stream " + stream + " entry " + id + " for group " + group);
  }

  public String stream() {
    return stream;
  }

  public String group() {
    return group;
  }

  /** The entry id ({@code 1700000000000-0}). */
  public String id() {
    return id;
  }

  /** Field names to values (binary-safe); the arrays are shared, do not modify them. */
  public Map<String, byte[]> fields() {
    return fields;
  }

  /** A field's value as UTF-8 text, null if absent. */
  public @Nullable String field(String name) {
    byte[] v = fields.get(name);
    return v == null ? null : new String(v, StandardCharsets.UTF_8);
  }

  public ObligationState state() {
    return obligation.state();
  }

  /**
   * Acknowledges the entry (XACK) and commits the obligation.
   *
   * @return whether the server still had the entry pending for this group (false when another consumer
   *     claimed it meanwhile, or it was already acknowledged)
   * @throws RedisException if the XACK failed: the obligation stays reserved; retry or {@link #abort}
   * @throws io.asupersync.CancelledException if the caller was cancelled first: the obligation is
   *     aborted (the XACK may still have been applied; either way nothing is lost)
   */
  public boolean ack(Cx cx) throws RedisException {
    RespValue reply;
    try {
      reply = client.command(cx, "XACK", stream, group, id);
    } catch (io.asupersync.CancelledException e) {
      obligation.abort();
      throw e;
    }
    obligation.commit();
    return reply instanceof RespValue.IntegerReply n && n.value() == 1;
  }

  /** Leaves the entry pending in the group, to be reclaimed by {@link RedisClient#xautoclaim}. */
  public void abort() {
    obligation.abort();
  }

  @Override
  public String toString() {
    return "StreamDelivery[" + stream + " " + id + ", " + obligation.state() + "]";
  }
}
