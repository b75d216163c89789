package io.asupersync.protocols.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializes records before they are handed to the producer, so that the size limit is checked on the
 * exact bytes that would be sent and an oversized record never reaches the producer.
 */
final class RecordEncoder<K, V> {
  private final Serializer<K> keys;
  private final Serializer<V> values;
  private final int maxMessageBytes;

  RecordEncoder(Serializer<K> keys, Serializer<V> values, int maxMessageBytes) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.values = Objects.requireNonNull(values, "values");
    this.maxMessageBytes = maxMessageBytes;
  }

  ProducerRecord<byte[], byte[]> encode(ProducerRecord<K, V> record) throws KafkaClientException {
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    byte[] key = record.key() == null ? null : keys.serialize(record.topic(), headers, record.key());
    byte[] value = record.value() == null ? null : values.serialize(record.topic(), headers, record.value());
    long size = (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
    for (Header h : headers) {
      size += h.key().getBytes(StandardCharsets.UTF_8).length + (h.value() == null ? 0 : h.value().length);
    }
    if (size > maxMessageBytes) {
      throw new KafkaClientException(
          KafkaClientException.Reason.MESSAGE_TOO_LARGE,
          "record for topic " + record.topic() + " is " + size + " bytes, over the limit of " + maxMessageBytes);
    }
    return new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(), key, value, headers);
  }
}
