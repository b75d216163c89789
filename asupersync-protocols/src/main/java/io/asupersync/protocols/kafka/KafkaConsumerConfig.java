package io.asupersync.protocols.kafka;

import io.asupersync.protocols.tls.ClientTls;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Settings of a {@link KafkaReceiver}: kafka-clients consumer properties plus how finely a poll is
 * sliced so that cancellation reaches it.
 *
 * <p>Offsets are committed by the receiver, never automatically: {@code enable.auto.commit=true} is
 * rejected. Unless set, {@code isolation.level} is {@code read_committed} (records of aborted or open
 * transactions are never delivered) and {@code auto.offset.reset} is {@code earliest} (a new group
 * starts at the beginning rather than skipping what is already there). Deserializers are arguments of
 * {@link KafkaReceiver#create}.
 *
 * @param properties kafka-clients consumer properties; {@code bootstrap.servers} and {@code group.id}
 *     are required
 * @param pollSlice longest single {@code KafkaConsumer.poll}; a cancel is observed between slices
 */
public record KafkaConsumerConfig(Map<String, Object> properties, Duration pollSlice) {

  public static final Duration DEFAULT_POLL_SLICE = Duration.ofMillis(100);

  public KafkaConsumerConfig {
    properties = Map.copyOf(properties);
    Objects.requireNonNull(pollSlice, "pollSlice");
    if (pollSlice.isNegative() || pollSlice.isZero()) {
      throw new IllegalArgumentException("pollSlice must be positive");
    }
    for (String required : new String[] {ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ConsumerConfig.GROUP_ID_CONFIG}) {
      if (!properties.containsKey(required)) {
        throw new IllegalArgumentException(required + " is required");
      }
    }
    Object autoCommit = properties.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);
    if (autoCommit != null && autoCommit.toString().trim().toLowerCase(Locale.ROOT).equals("true")) {
      throw new IllegalArgumentException(
          "enable.auto.commit must stay false: offsets are committed after processing commits");
    }
    for (String forbidden :
        new String[] {ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG}) {
      if (properties.containsKey(forbidden)) {
        throw new IllegalArgumentException(forbidden + " is not a property here: deserializers are arguments of create");
      }
    }
  }

  /** Defaults for consumer group {@code groupId} of the cluster at {@code bootstrapServers}. */
  public static KafkaConsumerConfig of(String bootstrapServers, String groupId) {
    return new KafkaConsumerConfig(
        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ConsumerConfig.GROUP_ID_CONFIG, groupId),
        DEFAULT_POLL_SLICE);
  }

  /** A copy with one more consumer property. */
  public KafkaConsumerConfig with(String name, Object value) {
    Map<String, Object> copy = new HashMap<>(properties);
    copy.put(name, value);
    return new KafkaConsumerConfig(copy, pollSlice);
  }

  /**
   * A copy that connects over TLS with {@code tls}, as {@link KafkaProducerConfig#withTls} describes.
   *
   * @throws IllegalArgumentException if file-based {@code ssl.keystore.*} or {@code ssl.truststore.*}
   *     properties are set, which would be ignored
   */
  public KafkaConsumerConfig withTls(ClientTls tls) {
    return new KafkaConsumerConfig(KafkaTls.with(properties, tls), pollSlice);
  }

  public KafkaConsumerConfig withPollSlice(Duration value) {
    return new KafkaConsumerConfig(properties, value);
  }

  Map<String, Object> consumerProperties() {
    Map<String, Object> p = new HashMap<>(properties);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return p;
  }

  /** {@code default.api.timeout.ms} as kafka-clients will apply it (its default is 60 s). */
  Duration apiTimeout() {
    Object value = properties.get(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
    return Duration.ofMillis(value == null ? 60_000 : Long.parseLong(value.toString().trim()));
  }
}
