package io.asupersync.protocols.kafka;

import io.asupersync.Obligation;
import io.asupersync.ObligationKind;
import io.asupersync.ObligationState;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One record delivered by {@link KafkaReceiver#poll}, with its processing obligation (kind {@link
 * ObligationKind#ACK}, held by the task that polled). {@link #commit} says the record was processed:
 * its offset becomes committable once every earlier record of its partition is processed too. {@link
 * #abort} gives it back: a later poll redelivers it. If the holding task ends without settling it, the
 * runtime's leak response applies and the record is redelivered as if aborted.
 *
 * <p>{@code commit} and {@code abort} may be called from any thread, exactly once between them.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class KafkaDelivery<K, V> {
  private final ConsumerRecord<K, V> record;
  private final Obligation obligation;
  private final PartitionLedger ledger;
  private final boolean redelivery;
  private final LongAdder processed;

  KafkaDelivery(
      ConsumerRecord<K, V> record,
      Obligation obligation,
      PartitionLedger ledger,
      boolean redelivery,
      LongAdder processed) {
    this.record = record;
    this.obligation = obligation;
    this.ledger = ledger;
    this.redelivery = redelivery;
    this.processed = processed;
  }

  public ConsumerRecord<K, V> record() {
    return record;
  }

  /** Whether this record was delivered before and aborted. */
  public boolean isRedelivery() {
    return redelivery;
  }

  /** Id of the processing obligation, as in the runtime's trace and snapshot. */
  public long obligationId() {
    return obligation.id();
  }

  public ObligationState state() {
    return obligation.state();
  }

  /**
   * Marks the record processed.
   *
   * @throws IllegalStateException if it was already committed, aborted or leaked
   */
  public void commit() {
    obligation.commit();
    ledger.done(record.offset());
    processed.increment();
  }

  /**
   * Gives the record back for redelivery.
   *
   * @throws IllegalStateException if it was already committed, aborted or leaked
   */
  public void abort() {
    obligation.abort();
  }
}
