package io.asupersync.protocols.kafka;

import io.asupersync.Cx;
import io.asupersync.ObligationKind;
import io.asupersync.Runtime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.Deserializer;
import org.jspecify.annotations.Nullable;

/**
 * Consumes records of a consumer group with manual offset commits: each record is delivered as a
 * {@link KafkaDelivery} carrying a processing obligation, and a partition's offset is committed only
 * past records whose obligations committed, never past one still in flight or aborted. An aborted
 * record is redelivered by a later {@link #poll}; records after it that were already processed or are
 * still in flight are not delivered twice by this receiver. Delivery is at least once: after a
 * rebalance or a restart, whatever was not committed is delivered again (to this or another member).
 *
 * <p><b>Threading.</b> {@code KafkaConsumer} is single-threaded, so every call that touches it ({@link
 * #poll}, {@link #commitReady}, {@link #close}) must come from one task at a time, the driving task;
 * overlapping calls fail with {@link IllegalStateException}. Deliveries may be committed or aborted from
 * any task or thread: that only updates the receiver's ledger, and the driving task's next {@code poll}
 * or {@code commitReady} turns it into {@code commitSync} calls and seeks, on its own thread. Rebalance
 * callbacks run inside {@code poll} on that thread too; a revoked partition's committable offset is
 * committed before it is given up, and its in-flight deliveries no longer count.
 *
 * <p><b>Cancellation.</b> {@code poll} waits in slices of {@link KafkaConsumerConfig#pollSlice()} and is a
 * checkpoint between slices, so a cancel (or the budget's deadline) is observed within one slice. Once
 * a slice returned records, they are delivered before any checkpoint, so a cancel never consumes a
 * record without delivering it. Offset commits are bounded by the smaller of the caller's remaining
 * budget and {@code default.api.timeout.ms}, and sliced like polls: a cancel or the deadline ends one
 * with {@link io.asupersync.CancelledException} within a slice, and the offsets stay committable. The
 * commit of a revoked partition's offsets, which runs inside a poll, is bounded by the poll's deadline
 * too. (Consumer calls are never interrupted: the consumer does network I/O on the calling thread.)
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class KafkaReceiver<K, V> implements AutoCloseable {
  private final Runtime runtime;
  private final Consumer<K, V> consumer;
  private final Duration pollSlice;
  private final Duration apiTimeout;
  private final ReentrantLock driver = new ReentrantLock();
  private final Map<TopicPartition, PartitionLedger> ledgers = new ConcurrentHashMap<>();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder redelivered = new LongAdder();
  private final LongAdder processed = new LongAdder();
  private final LongAdder aborted = new LongAdder();
  private final LongAdder offsetCommits = new LongAdder();
  private boolean closed;
  /** The deadline of the driving call in progress, for the rebalance callbacks it runs; driver only. */
  private @Nullable Instant callDeadline;

  private KafkaReceiver(Runtime runtime, Consumer<K, V> consumer, KafkaConsumerConfig config, Collection<String> topics) {
    this.runtime = runtime;
    this.consumer = consumer;
    this.pollSlice = config.pollSlice();
    this.apiTimeout = config.apiTimeout();
    consumer.subscribe(List.copyOf(topics), new Rebalance());
  }

  /**
   * Creates a receiver subscribed to {@code topics} in the group named by {@code config}.
   *
   * @throws IllegalArgumentException if {@code config} turns on auto-commit
   */
  public static <K, V> KafkaReceiver<K, V> create(
      Runtime runtime,
      KafkaConsumerConfig config,
      Collection<String> topics,
      Deserializer<K> keys,
      Deserializer<V> values) {
    Objects.requireNonNull(runtime, "runtime");
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("subscribe to at least one topic");
    }
    Consumer<K, V> consumer = new KafkaConsumer<>(config.consumerProperties(), keys, values);
    try {
      return new KafkaReceiver<>(runtime, consumer, config, topics);
    } catch (RuntimeException e) {
      consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ZERO));
      throw e;
    }
  }

  /**
   * Commits what became committable, seeks back to aborted records, then waits up to {@code maxWait}
   * for records and delivers them, each with a processing obligation held by {@code cx}'s task.
   *
   * @return the delivered records in partition order; empty if none arrived in time
   * @throws KafkaClientException if committing offsets failed (nothing is lost: the offsets stay
   *     committable) or the consumer failed
   * @throws io.asupersync.CancelledException if the caller is cancelled while no records were delivered
   * @throws IllegalStateException if another task is driving this receiver, or it is closed
   */
  public List<KafkaDelivery<K, V>> poll(Cx cx, Duration maxWait) throws KafkaClientException {
    drive(cx);
    try {
      cx.checkpoint();
      settle(cx);
      Instant until = cx.now().plus(maxWait);
      while (true) {
        ConsumerRecords<K, V> records;
        try {
          records = consumer.poll(slice(cx, until));
        } catch (KafkaException e) {
          throw KafkaClientException.of("poll", e);
        }
        List<KafkaDelivery<K, V>> out = deliver(cx, records);
        if (!out.isEmpty() || !cx.now().isBefore(until)) {
          if (!records.isEmpty()) {
            KafkaTrace.call(runtime, cx.taskId(), cx.regionId(), 0, "poll", "ok",
                Map.of("records", String.valueOf(out.size())));
          }
          return out;
        }
        cx.checkpoint();
        settle(cx);
      }
    } finally {
      release();
    }
  }

  /**
   * Commits every offset that became committable and seeks back to aborted records, without waiting
   * for new ones.
   *
   * @throws KafkaClientException if the commit failed; the offsets stay committable
   */
  public void commitReady(Cx cx) throws KafkaClientException {
    drive(cx);
    try {
      settle(cx);
    } finally {
      release();
    }
  }

  private void drive(Cx cx) {
    if (!driver.tryLock()) {
      throw new IllegalStateException("KafkaReceiver is single-threaded: another task is driving it");
    }
    if (closed) {
      driver.unlock();
      throw new IllegalStateException("KafkaReceiver is closed");
    }
    callDeadline = cx.remaining().deadline();
  }

  private void release() {
    callDeadline = null;
    driver.unlock();
  }

  private Duration slice(Cx cx, Instant until) {
    Instant now = cx.now();
    Duration left = Duration.between(now, until);
    Instant deadline = cx.remaining().deadline();
    if (deadline != null && deadline.isBefore(until)) {
      left = Duration.between(now, deadline);
    }
    if (left.isNegative()) {
      return Duration.ZERO;
    }
    return left.compareTo(pollSlice) < 0 ? left : pollSlice;
  }

  private List<KafkaDelivery<K, V>> deliver(Cx cx, ConsumerRecords<K, V> records) {
    List<KafkaDelivery<K, V>> out = new ArrayList<>(records.count());
    for (ConsumerRecord<K, V> r : records) {
      TopicPartition tp = new TopicPartition(r.topic(), r.partition());
      PartitionLedger ledger = ledgers.computeIfAbsent(tp, PartitionLedger::new);
      PartitionLedger.Admission admission = ledger.admit(r.offset());
      if (admission == PartitionLedger.Admission.SKIP) {
        continue;
      }
      long offset = r.offset();
      var obligation = cx.reserve(ObligationKind.ACK, "kafka record " + tp + "@" + offset, () -> {
        ledger.aborted(offset);
        aborted.increment();
      });
      boolean again = admission == PartitionLedger.Admission.REDELIVERY;
      (again ? redelivered : delivered).increment();
      out.add(new KafkaDelivery<>(r, obligation, ledger, again, processed));
    }
    return out;
  }

  /** Seeks back to aborted records and commits what is committable; on the driving task's thread. */
  private void settle(Cx cx) throws KafkaClientException {
    Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
    for (PartitionLedger ledger : ledgers.values()) {
      OptionalLong seek = ledger.takeSeek();
      if (seek.isPresent()) {
        consumer.seek(ledger.partition, seek.getAsLong());
        KafkaTrace.call(runtime, cx.taskId(), cx.regionId(), 0, "redeliver", "ok",
            Map.of("topic", ledger.partition.topic(), "partition", String.valueOf(ledger.partition.partition())));
      }
      OptionalLong next = ledger.committable();
      if (next.isPresent()) {
        commits.put(ledger.partition, new OffsetAndMetadata(next.getAsLong()));
      }
    }
    if (commits.isEmpty()) {
      return;
    }
    try {
      commitInSlices(cx, commits);
    } catch (KafkaException e) {
      KafkaTrace.call(runtime, cx.taskId(), cx.regionId(), 0, "commit-offsets", "error",
          Map.of("reason", KafkaClientException.reasonOf(e).name()));
      throw KafkaClientException.of("commit offsets", e);
    }
    commits.forEach((tp, om) -> {
      PartitionLedger ledger = ledgers.get(tp);
      if (ledger != null) {
        ledger.committed(om.offset());
      }
    });
    offsetCommits.increment();
    KafkaTrace.call(runtime, cx.taskId(), cx.regionId(), 0, "commit-offsets", "ok",
        Map.of("partitions", String.valueOf(commits.size())));
  }

  /**
   * {@code commitSync} in slices of at most {@link #pollSlice}, a checkpoint between them, until it
   * succeeds or {@code default.api.timeout.ms} passes; committing the same offsets again is harmless.
   */
  private void commitInSlices(Cx cx, Map<TopicPartition, OffsetAndMetadata> commits) {
    Instant until = cx.now().plus(apiTimeout);
    while (true) {
      try {
        consumer.commitSync(commits, slice(cx, until));
        return;
      } catch (TimeoutException e) {
        if (!cx.now().isBefore(until)) {
          throw e;
        }
        cx.checkpoint(); // the caller's deadline, if it came first, ends the commit here
      }
    }
  }

  /** What is left of {@code bound} before the driving call's deadline; driver only. */
  private Duration boundedByCall(Duration bound) {
    Instant deadline = callDeadline;
    if (deadline == null) {
      return bound;
    }
    Duration left = Duration.between(runtime.clock().now(), deadline);
    return left.isNegative() ? Duration.ZERO : left.compareTo(bound) < 0 ? left : bound;
  }

  /**
   * Per partition, the next offset to read as far as this receiver knows: the last one it committed, or
   * where it started.
   */
  public Map<TopicPartition, Long> committedOffsets() {
    Map<TopicPartition, Long> out = new HashMap<>();
    for (PartitionLedger ledger : ledgers.values()) {
      long c = ledger.committedOffset();
      if (c >= 0) {
        out.put(ledger.partition, c);
      }
    }
    return out;
  }

  /** Counters since this receiver was created. */
  public Stats stats() {
    int inFlight = 0;
    for (PartitionLedger ledger : ledgers.values()) {
      inFlight += ledger.inFlight();
    }
    return new Stats(delivered.sum(), redelivered.sum(), processed.sum(), aborted.sum(), offsetCommits.sum(), inFlight);
  }

  /**
   * Commits what is committable (bounded by {@code default.api.timeout.ms}) and closes the consumer.
   * Records still in flight are not committed: the group delivers them again. Call it from the driving
   * task, or once that task has stopped. Idempotent.
   */
  @Override
  public void close() {
    driver.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
      for (PartitionLedger ledger : ledgers.values()) {
        ledger.committable().ifPresent(next -> commits.put(ledger.partition, new OffsetAndMetadata(next)));
      }
      try {
        if (!commits.isEmpty()) {
          consumer.commitSync(commits, apiTimeout);
        }
      } catch (KafkaException ignored) {
        // uncommitted offsets are delivered again: at least once, as documented
      } finally {
        consumer.close();
      }
    } finally {
      driver.unlock();
    }
  }

  /**
   * Totals since the receiver was created.
   *
   * @param delivered records delivered for the first time
   * @param redelivered records delivered again after an abort
   * @param processed deliveries committed
   * @param aborted deliveries aborted (or leaked, which counts as aborted)
   * @param offsetCommits successful {@code commitSync} calls
   * @param inFlight deliveries neither committed nor aborted
   */
  public record Stats(
      long delivered, long redelivered, long processed, long aborted, long offsetCommits, int inFlight) {}

  /** Runs inside {@code poll}, on the driving task's thread. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
      for (TopicPartition tp : partitions) {
        PartitionLedger ledger = ledgers.remove(tp);
        if (ledger != null) {
          ledger.committable().ifPresent(next -> commits.put(tp, new OffsetAndMetadata(next)));
          ledger.retire();
        }
      }
      if (!commits.isEmpty()) {
        try {
          consumer.commitSync(commits, boundedByCall(apiTimeout));
        } catch (KafkaException ignored) {
          // the new owner starts from the last committed offset: at least once
        }
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      for (TopicPartition tp : partitions) {
        PartitionLedger ledger = ledgers.remove(tp);
        if (ledger != null) {
          ledger.retire();
        }
      }
    }
  }
}
