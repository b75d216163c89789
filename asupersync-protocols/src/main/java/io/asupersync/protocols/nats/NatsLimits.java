package io.asupersync.protocols.nats;

/**
 * Limits on what a NATS server may send this client, and on what the client buffers for a slow
 * subscriber. The decoder checks every announced length against them before it waits for or
 * allocates the bytes; a server that exceeds one is treated as broken: the connection is closed and
 * every operation in flight on it fails as outcome unknown.
 *
 * @param maxControlLine bytes of one control line ({@code MSG ...}, {@code INFO {...}}) without its
 *     CRLF, default 4096; also bounds the server's INFO document
 * @param maxPayload bytes of one message (headers and data), default 1 MiB; the limit in force is the
 *     smaller of this and the {@code max_payload} the server announces, for both directions
 * @param maxHeaderBytes bytes of one message's header section, default 64 KiB (at most {@code
 *     maxPayload})
 * @param subscriptionCapacity messages queued for one subscription before newer ones are dropped as
 *     a slow consumer, default 8192
 * @param subscriptionPendingBytes payload bytes queued for one subscription before newer messages are
 *     dropped as a slow consumer, default 64 MiB
 */
public record NatsLimits(
    int maxControlLine,
    int maxPayload,
    int maxHeaderBytes,
    int subscriptionCapacity,
    long subscriptionPendingBytes) {

  public NatsLimits {
    positive("maxControlLine", maxControlLine);
    positive("maxPayload", maxPayload);
    positive("maxHeaderBytes", maxHeaderBytes);
    positive("subscriptionCapacity", subscriptionCapacity);
    positive("subscriptionPendingBytes", subscriptionPendingBytes);
    if (maxControlLine < 64) {
      throw new IllegalArgumentException("maxControlLine must be at least 64, was " + maxControlLine);
    }
    if (maxHeaderBytes > maxPayload) {
      throw new IllegalArgumentException("maxHeaderBytes (" + maxHeaderBytes + ") must not exceed maxPayload (" + maxPayload + ")");
    }
  }

  /** The defaults from the design: control line 4 KiB, payload 1 MiB, headers 64 KiB, 8192 messages and 64 MiB per subscription. */
  public static NatsLimits defaults() {
    return new NatsLimits(4096, 1024 * 1024, 64 * 1024, 8192, 64L * 1024 * 1024);
  }

  public NatsLimits withMaxControlLine(int value) {
    return new NatsLimits(value, maxPayload, maxHeaderBytes, subscriptionCapacity, subscriptionPendingBytes);
  }

  public NatsLimits withMaxPayload(int value) {
    return new NatsLimits(maxControlLine, value, Math.min(maxHeaderBytes, value), subscriptionCapacity, subscriptionPendingBytes);
  }

  public NatsLimits withMaxHeaderBytes(int value) {
    return new NatsLimits(maxControlLine, maxPayload, value, subscriptionCapacity, subscriptionPendingBytes);
  }

  public NatsLimits withSubscriptionCapacity(int value) {
    return new NatsLimits(maxControlLine, maxPayload, maxHeaderBytes, value, subscriptionPendingBytes);
  }

  public NatsLimits withSubscriptionPendingBytes(long value) {
    return new NatsLimits(maxControlLine, maxPayload, maxHeaderBytes, subscriptionCapacity, value);
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
