package io.asupersync.protocols.nats;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A durable pull consumer with explicit acknowledgement, delivering from the start of the stream.
 *
 * @param durableName consumer name (no {@code .}, {@code *}, {@code >} or whitespace)
 * @param filterSubject only messages on this subject, or null for all
 * @param ackWait how long the server waits for an ack before redelivering
 * @param maxDeliver deliveries per message before the server gives up; -1 for no limit
 * @param maxAckPending unacknowledged messages the server hands out at most
 */
public record ConsumerConfig(String durableName, @Nullable String filterSubject, Duration ackWait, long maxDeliver, long maxAckPending) {

  public ConsumerConfig {
    JetStream.checkName(durableName, "consumer name");
    Objects.requireNonNull(ackWait, "ackWait");
    if (ackWait.isNegative() || ackWait.isZero()) {
      throw new IllegalArgumentException("ackWait must be positive");
    }
  }

  /** Ack wait 30 s, no delivery limit, 1000 pending acks, no filter. */
  public static ConsumerConfig durable(String name) {
    return new ConsumerConfig(name, null, Duration.ofSeconds(30), -1, 1000);
  }

  public ConsumerConfig withAckWait(Duration value) {
    return new ConsumerConfig(durableName, filterSubject, value, maxDeliver, maxAckPending);
  }

  public ConsumerConfig withFilterSubject(@Nullable String value) {
    return new ConsumerConfig(durableName, value, ackWait, maxDeliver, maxAckPending);
  }

  public ConsumerConfig withMaxAckPending(long value) {
    return new ConsumerConfig(durableName, filterSubject, ackWait, maxDeliver, value);
  }
}
