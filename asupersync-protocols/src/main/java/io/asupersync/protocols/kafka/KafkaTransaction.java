package io.asupersync.protocols.kafka;

import java.util.Objects;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The open transaction handed to a {@link KafkaTransactor.TransactionBody}; valid only while the body
 * runs. Sends are not waited for one by one: the commit waits for all of them, and a record that fails
 * makes the commit fail and the transaction abort. Use it from the body's task only.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class KafkaTransaction<K, V> {
  private final Producer<byte[], byte[]> producer;
  private final RecordEncoder<K, V> encoder;
  private int sent;
  private boolean open = true;

  KafkaTransaction(Producer<byte[], byte[]> producer, RecordEncoder<K, V> encoder) {
    this.producer = producer;
    this.encoder = encoder;
  }

  /**
   * Hands {@code record} to the transaction. May block up to {@code max.block.ms} while the producer
   * fetches metadata or waits for buffer space.
   *
   * @throws KafkaClientException if the record is too large (checked before sending) or the producer
   *     refused it; either way the transaction will abort when the exception leaves the body
   * @throws IllegalStateException if the body already ended
   */
  public void send(ProducerRecord<K, V> record) throws KafkaClientException {
    Objects.requireNonNull(record, "record");
    if (!open) {
      throw new IllegalStateException("transaction is over: send from inside its body only");
    }
    ProducerRecord<byte[], byte[]> bytes = encoder.encode(record);
    try {
      producer.send(bytes);
    } catch (RuntimeException e) {
      throw KafkaClientException.of("transactional send to " + record.topic(), e);
    }
    sent++;
  }

  /** Records handed to this transaction so far. */
  public int sent() {
    return sent;
  }

  void close() {
    open = false;
  }
}
