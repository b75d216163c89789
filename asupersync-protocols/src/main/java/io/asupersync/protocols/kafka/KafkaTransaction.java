package io.asupersync.protocols.kafka;

import io.asupersync.CancelledException;
import io.asupersync.Cx;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The open transaction handed to a {@link KafkaTransactor.TransactionBody}; valid only while the body
 * runs. Sends are not waited for one by one: the commit waits for all of them, and a record that fails
 * makes the commit fail and the transaction abort. Use it from the body's task only.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class KafkaTransaction<K, V> {
  private final Cx cx;
  private final Producer<byte[], byte[]> producer;
  private final RecordEncoder<K, V> encoder;
  private int sent;
  private boolean open = true;

  KafkaTransaction(Cx cx, Producer<byte[], byte[]> producer, RecordEncoder<K, V> encoder) {
    this.cx = cx;
    this.producer = producer;
    this.encoder = encoder;
  }

  /**
   * Hands {@code record} to the transaction. While the producer waits for the topic's metadata or for
   * buffer space (up to {@code max.block.ms}), the body's task waits through its {@link Cx}: a cancel or
   * the budget's deadline withdraws the record and ends the wait with {@link CancelledException}.
   *
   * @throws KafkaClientException if the record is too large (checked before sending) or the producer
   *     refused it; either way the transaction will abort when the exception leaves the body
   * @throws CancelledException if the body's task is cancelled or its deadline passes; the transaction
   *     aborts
   * @throws IllegalStateException if the body already ended
   */
  public void send(ProducerRecord<K, V> record) throws KafkaClientException {
    Objects.requireNonNull(record, "record");
    if (!open) {
      throw new IllegalStateException("transaction is over: send from inside its body only");
    }
    ProducerRecord<byte[], byte[]> bytes = encoder.encode(record);
    BlockingCall<Future<RecordMetadata>> handOver =
        BlockingCall.start("kafka-tx-hand-over", cx.waker(), () -> producer.send(bytes));
    Future<RecordMetadata> accepted;
    try {
      accepted = handOver.await(cx);
    } catch (CancelledException e) {
      handOver.withdrawAndWait(cx); // the abort that follows must not race a record still being appended
      throw e;
    } catch (RuntimeException e) {
      throw KafkaClientException.of("transactional send to " + record.topic(), e);
    }
    if (accepted.isDone()) { // refused inside send (metadata or buffer wait timed out, ...)
      try {
        accepted.get();
      } catch (ExecutionException e) {
        throw KafkaClientException.of("transactional send to " + record.topic(), e.getCause());
      } catch (InterruptedException e) {
        throw new IllegalStateException("a completed future does not wait", e);
      }
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
