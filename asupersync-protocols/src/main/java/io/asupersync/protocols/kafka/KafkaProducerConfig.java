package io.asupersync.protocols.kafka;

import io.asupersync.protocols.tls.ClientTls;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a {@link KafkaSender} or {@link KafkaTransactor}: kafka-clients producer properties plus
 * our own limits.
 *
 * <p>The producer is always idempotent with {@code acks=all}: properties that would turn either off
 * ({@code enable.idempotence=false}, {@code acks=0|1}, {@code retries=0},
 * {@code max.in.flight.requests.per.connection} above 5) are rejected here, not silently fixed.
 * Serializers are given to {@code create} instead of as properties, because records are serialized
 * before they are handed over so that their size can be checked; {@code transactional.id} is given to
 * {@link KafkaTransactor#create}.
 *
 * @param properties kafka-clients producer properties; {@code bootstrap.servers} is required
 * @param maxMessageBytes largest record (key, value and headers, serialized) accepted for sending;
 *     1 MiB by default. The broker's {@code message.max.bytes} still applies on top.
 * @param closeTimeout how long {@code close} waits for records already handed over to settle
 */
public record KafkaProducerConfig(Map<String, Object> properties, int maxMessageBytes, Duration closeTimeout) {

  public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);
  /** Room for the record batch and request headers around one record of the largest size. */
  private static final int REQUEST_OVERHEAD = 16 * 1024;

  public KafkaProducerConfig {
    properties = Map.copyOf(properties);
    Objects.requireNonNull(closeTimeout, "closeTimeout");
    if (maxMessageBytes < 1) {
      throw new IllegalArgumentException("maxMessageBytes must be positive, was " + maxMessageBytes);
    }
    if (closeTimeout.isNegative()) {
      throw new IllegalArgumentException("closeTimeout must not be negative");
    }
    validate(properties);
  }

  /** Defaults (1 MiB messages, 30 s close timeout) for the cluster at {@code bootstrapServers}. */
  public static KafkaProducerConfig of(String bootstrapServers) {
    return new KafkaProducerConfig(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
        DEFAULT_MAX_MESSAGE_BYTES,
        DEFAULT_CLOSE_TIMEOUT);
  }

  /** A copy with one more producer property. */
  public KafkaProducerConfig with(String name, Object value) {
    Map<String, Object> copy = new HashMap<>(properties);
    copy.put(name, value);
    return new KafkaProducerConfig(copy, maxMessageBytes, closeTimeout);
  }

  /**
   * A copy that connects over TLS with {@code tls}: its trusted CAs, its client certificate (mTLS) if it
   * has one, and its hostname verification (on unless the {@code ClientTls} turned it off; kafka-clients'
   * {@code ssl.endpoint.identification.algorithm} is not consulted). Sets {@code security.protocol} to
   * {@code SSL} ({@code SASL_SSL} when a SASL protocol was set).
   *
   * @throws IllegalArgumentException if file-based {@code ssl.keystore.*} or {@code ssl.truststore.*}
   *     properties are set, which would be ignored
   */
  public KafkaProducerConfig withTls(ClientTls tls) {
    return new KafkaProducerConfig(KafkaTls.with(properties, tls), maxMessageBytes, closeTimeout);
  }

  public KafkaProducerConfig withMaxMessageBytes(int value) {
    return new KafkaProducerConfig(properties, value, closeTimeout);
  }

  public KafkaProducerConfig withCloseTimeout(Duration value) {
    return new KafkaProducerConfig(properties, maxMessageBytes, value);
  }

  /** The properties handed to kafka-clients, with the enforced settings filled in. */
  Map<String, Object> producerProperties() {
    Map<String, Object> p = new HashMap<>(properties);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    long wanted = (long) maxMessageBytes + REQUEST_OVERHEAD;
    Object given = p.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    if (given == null || Long.parseLong(given.toString().trim()) < wanted) {
      p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, (int) Math.min(Integer.MAX_VALUE, wanted));
    }
    return p;
  }

  /** {@code max.block.ms} as kafka-clients will apply it (its default is 60 s). */
  Duration maxBlock() {
    Object value = properties.get(ProducerConfig.MAX_BLOCK_MS_CONFIG);
    return Duration.ofMillis(value == null ? 60_000 : Long.parseLong(value.toString().trim()));
  }

  /** {@code transaction.timeout.ms} as kafka-clients will apply it (its default is 60 s). */
  Duration transactionTimeout() {
    Object value = properties.get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
    return Duration.ofMillis(value == null ? 60_000 : Long.parseLong(value.toString().trim()));
  }

  private static void validate(Map<String, Object> properties) {
    if (!properties.containsKey(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
      throw new IllegalArgumentException("bootstrap.servers is required");
    }
    String idempotence = text(properties, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG);
    if (idempotence != null && !idempotence.equals("true")) {
      throw new IllegalArgumentException("enable.idempotence must stay true, was " + idempotence);
    }
    String acks = text(properties, ProducerConfig.ACKS_CONFIG);
    if (acks != null && !acks.equals("all") && !acks.equals("-1")) {
      throw new IllegalArgumentException("acks must stay all, was " + acks);
    }
    String retries = text(properties, ProducerConfig.RETRIES_CONFIG);
    if (retries != null && Long.parseLong(retries) < 1) {
      throw new IllegalArgumentException("retries must be positive for an idempotent producer, was " + retries);
    }
    String inFlight = text(properties, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
    if (inFlight != null && Long.parseLong(inFlight) > 5) {
      throw new IllegalArgumentException(
          "max.in.flight.requests.per.connection must be at most 5 for an idempotent producer, was " + inFlight);
    }
    for (String forbidden :
        new String[] {
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
          ProducerConfig.TRANSACTIONAL_ID_CONFIG
        }) {
      if (properties.containsKey(forbidden)) {
        throw new IllegalArgumentException(
            forbidden + " is not a property here: serializers and the transactional id are arguments of create");
      }
    }
  }

  private static @Nullable String text(Map<String, Object> properties, String name) {
    Object value = properties.get(name);
    return value == null ? null : value.toString().trim().toLowerCase(Locale.ROOT);
  }
}
