package io.asupersync.protocols.kafka;

import io.asupersync.CancelledException;
import io.asupersync.Cx;
import io.asupersync.Obligation;
import io.asupersync.ObligationKind;
import io.asupersync.Runtime;
import io.asupersync.sync.Mutex;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownProducerIdException;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * Runs Kafka transactions through one transactional, idempotent, {@code acks=all} producer.
 *
 * <p>{@link #inTransaction} waits (through the caller's {@link Cx}) for the producer, since a
 * transactional producer runs one transaction at a time, reserves an {@link ObligationKind#TRANSACTION}
 * obligation, begins the transaction, runs the body, and commits. The obligation is committed only when
 * the broker confirmed the commit; otherwise it is aborted and the transaction with it:
 *
 * <ul>
 *   <li>the body threw, or the caller was cancelled (also by its deadline) at any point before the
 *       commit: the transaction is aborted and the exception (or {@link CancelledException}) propagates;
 *       a read_committed consumer never sees its records;
 *   <li>the body ran longer than {@code transaction.timeout.ms}: the coordinator aborts it on its own,
 *       so it is not committed; the producer is closed and recreated ({@link
 *       KafkaClientException.Reason#TRANSACTION_TIMED_OUT});
 *   <li>the commit or abort timed out on the client, or the producer was fenced or lost its epoch: the
 *       producer is closed and recreated, which also settles the transaction on the broker ({@link
 *       KafkaClientException.Reason#OUTCOME_UNKNOWN} for a commit whose fate is unknown, {@link
 *       KafkaClientException.Reason#FENCED} otherwise).
 * </ul>
 *
 * <p><b>Budget and cancellation.</b> Every call that blocks in kafka-clients (registering the producer,
 * a send waiting for metadata or buffer space, the commit) runs on a thread of its own while the caller
 * waits through its {@link Cx}, so a cancel or the budget's deadline ends the wait at once instead of
 * after {@code max.block.ms}:
 *
 * <ul>
 *   <li>before the commit: the transaction is aborted and {@link CancelledException} propagates;
 *   <li>during the commit: a commit under way cannot be taken back, so it is given up to {@link
 *       #CLEANUP_BOUND} (cancellation masked) to finish. Confirmed, the transaction counts as committed
 *       and {@code inTransaction} returns; the cancel is observed at the caller's next checkpoint.
 *       Otherwise its fate is unknown: the producer is recreated, the obligation aborted, and the
 *       caller gets {@link KafkaClientException.Reason#OUTCOME_UNKNOWN} with the {@link
 *       CancelledException} as its cause.
 * </ul>
 *
 * <p>The abort is cleanup too: it runs with cancellation masked, bounded by {@code max.block.ms} and
 * {@link #CLEANUP_BOUND}; a producer that cannot abort within that is closed and recreated, which makes
 * the coordinator abort the transaction.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class KafkaTransactor<K, V> implements AutoCloseable {
  /**
   * Longest wait, with cancellation masked, for cleanup: an abort after a failure or a cancel, and a
   * commit already under way when the caller is cancelled. {@code max.block.ms} bounds it too.
   */
  public static final Duration CLEANUP_BOUND = Duration.ofSeconds(5);

  private final Runtime runtime;
  private final Map<String, Object> producerProperties;
  private final String transactionalId;
  private final RecordEncoder<K, V> encoder;
  private final Duration transactionTimeout;
  private final Duration closeTimeout;
  private final Duration cleanupBound;
  private final Mutex exclusive = new Mutex();
  private final LongAdder committed = new LongAdder();
  private final LongAdder aborted = new LongAdder();
  private final LongAdder producersCreated = new LongAdder();
  private final LongAdder recordsCommitted = new LongAdder();
  /** Guarded by {@link #exclusive}, except in {@link #close}. */
  private @Nullable Producer<byte[], byte[]> producer;
  private volatile boolean closed;

  private KafkaTransactor(
      Runtime runtime,
      KafkaProducerConfig config,
      String transactionalId,
      Serializer<K> keys,
      Serializer<V> values) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.transactionalId = Objects.requireNonNull(transactionalId, "transactionalId");
    if (transactionalId.isBlank()) {
      throw new IllegalArgumentException("transactionalId must not be blank");
    }
    Map<String, Object> p = config.producerProperties();
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    this.producerProperties = Map.copyOf(p);
    this.encoder = new RecordEncoder<>(keys, values, config.maxMessageBytes());
    this.transactionTimeout = config.transactionTimeout();
    this.closeTimeout = config.closeTimeout();
    Duration maxBlock = config.maxBlock();
    this.cleanupBound = maxBlock.compareTo(CLEANUP_BOUND) < 0 ? maxBlock : CLEANUP_BOUND;
  }

  /**
   * Creates a transactor; its producer is created and registered with the transaction coordinator
   * ({@code initTransactions}, which fences older producers with the same id) on first use.
   *
   * @throws IllegalArgumentException if {@code config} would weaken idempotence or acks=all
   */
  public static <K, V> KafkaTransactor<K, V> create(
      Runtime runtime, KafkaProducerConfig config, String transactionalId, Serializer<K> keys, Serializer<V> values) {
    return new KafkaTransactor<>(runtime, config, transactionalId, keys, values);
  }

  /** The body of a transaction: sends through {@code tx}, returns a value. */
  @FunctionalInterface
  public interface TransactionBody<K, V, T> {
    T run(KafkaTransaction<K, V> tx) throws Exception;
  }

  /**
   * Runs {@code body} in a transaction and commits it.
   *
   * @return the body's value, once the commit is confirmed
   * @throws KafkaClientException if the transaction was not committed; a checked exception from the
   *     body arrives as the cause of one with reason {@link KafkaClientException.Reason#TRANSACTION_ABORTED};
   *     a cancel or deadline that cut the commit short gives {@link
   *     KafkaClientException.Reason#OUTCOME_UNKNOWN}
   * @throws CancelledException if the caller was cancelled (or its deadline passed) before the commit;
   *     the transaction was aborted
   */
  public <T> T inTransaction(Cx cx, TransactionBody<K, V, T> body) throws KafkaClientException {
    Objects.requireNonNull(body, "body");
    cx.checkpoint();
    try (Mutex.Guard guard = exclusive.lock(cx)) {
      if (closed) {
        throw new KafkaClientException(KafkaClientException.Reason.CLOSED, "transactor is closed");
      }
      Producer<byte[], byte[]> p = producer(cx);
      Obligation obligation = cx.reserve(ObligationKind.TRANSACTION, "kafka transaction " + transactionalId);
      long began = System.nanoTime();
      try {
        p.beginTransaction();
      } catch (KafkaException e) {
        discard(p);
        obligation.abort();
        throw failed(cx, obligation, KafkaClientException.of("begin transaction", e));
      }
      KafkaTransaction<K, V> tx = new KafkaTransaction<>(cx, p, encoder);
      T value;
      try {
        value = body.run(tx);
        cx.checkpoint(); // a cancel that arrived during the body aborts rather than commits
      } catch (KafkaClientException | RuntimeException | Error e) {
        abort(cx, p, obligation, e instanceof CancelledException ? "cancelled" : "error");
        throw e;
      } catch (Exception e) {
        abort(cx, p, obligation, "error");
        throw new KafkaClientException(
            KafkaClientException.Reason.TRANSACTION_ABORTED, "transaction body failed; transaction aborted", e);
      } finally {
        tx.close();
      }
      if (Duration.ofNanos(System.nanoTime() - began).compareTo(transactionTimeout) >= 0) {
        // The coordinator aborts it by itself (or already did); the producer's epoch is spent.
        tryAbort(cx, p); // fails once the coordinator bumped the epoch: the producer is replaced anyway
        discard(p);
        obligation.abort();
        throw failed(cx, obligation, new KafkaClientException(
            KafkaClientException.Reason.TRANSACTION_TIMED_OUT,
            "transaction ran longer than transaction.timeout.ms (" + transactionTimeout.toMillis() + " ms); aborted"));
      }
      commit(cx, p, obligation);
      recordsCommitted.add(tx.sent());
      return value;
    }
  }

  private void commit(Cx cx, Producer<byte[], byte[]> p, Obligation obligation) throws KafkaClientException {
    BlockingCall<Void> commit = BlockingCall.start("kafka-tx-commit", cx.waker(), () -> {
      p.commitTransaction();
      return null;
    });
    try {
      commit.await(cx);
    } catch (CancelledException e) {
      // A commit under way cannot be taken back; given time, its fate is known in the common case.
      if (!commit.awaitMasked(cx, cleanupBound)) {
        commit.withdrawAndWait(cx); // may still complete on the coordinator, and cannot be aborted now
      }
      if (!commit.succeeded()) {
        discard(p);
        obligation.abort();
        throw failed(cx, obligation, new KafkaClientException(
            KafkaClientException.Reason.OUTCOME_UNKNOWN,
            "commit not confirmed before the caller was cancelled (" + e.reason().kind() + "); producer recreated",
            e));
      }
      // it completed after all: committed, and the cancel is observed at the caller's next checkpoint
    } catch (TimeoutException e) {
      discard(p);
      obligation.abort();
      throw failed(cx, obligation, new KafkaClientException(
          KafkaClientException.Reason.OUTCOME_UNKNOWN, "commit not confirmed in time; producer recreated", e));
    } catch (KafkaException e) {
      if (isFatal(e)) {
        discard(p);
        obligation.abort();
        throw failed(cx, obligation, KafkaClientException.of("commit transaction", e));
      }
      // Abortable: a record of the transaction failed; the producer stays usable once aborted.
      abort(cx, p, obligation, "error");
      throw new KafkaClientException(
          KafkaClientException.Reason.TRANSACTION_ABORTED, "commit failed; transaction aborted", e);
    }
    obligation.commit();
    committed.increment();
    KafkaTrace.call(runtime, cx.taskId(), cx.regionId(), obligation.id(), "transaction", "ok", Map.of());
  }

  /**
   * Aborts the open transaction, masked and bounded, since the caller may be cancelled already; a
   * producer that cannot abort cleanly in time is replaced.
   */
  private void abort(Cx cx, Producer<byte[], byte[]> p, Obligation obligation, String result) {
    if (!tryAbort(cx, p)) {
      discard(p);
    }
    obligation.abort();
    aborted.increment();
    KafkaTrace.call(runtime, cx.taskId(), cx.regionId(), obligation.id(), "transaction", result, Map.of());
  }

  /** {@code abortTransaction} with cancellation masked, within {@link #cleanupBound}; whether it succeeded. */
  private boolean tryAbort(Cx cx, Producer<byte[], byte[]> p) {
    BlockingCall<Void> abort = BlockingCall.start("kafka-tx-abort", cx.waker(), () -> {
      p.abortTransaction();
      return null;
    });
    if (!abort.awaitMasked(cx, cleanupBound)) {
      abort.withdrawAndWait(cx);
      return false;
    }
    return abort.succeeded();
  }

  private KafkaClientException failed(Cx cx, Obligation obligation, KafkaClientException e) {
    aborted.increment();
    KafkaTrace.call(runtime, cx.taskId(), cx.regionId(), obligation.id(), "transaction", "error",
        Map.of("reason", e.reason().name()));
    return e;
  }

  private static boolean isFatal(Throwable e) {
    Throwable t = e;
    while (t != null) {
      if (t instanceof ProducerFencedException
          || t instanceof InvalidProducerEpochException
          || t instanceof InvalidPidMappingException
          || t instanceof UnknownProducerIdException
          || t instanceof TimeoutException
          || t instanceof IllegalStateException) {
        return true;
      }
      t = t.getCause();
    }
    return false;
  }

  private Producer<byte[], byte[]> producer(Cx cx) throws KafkaClientException {
    Producer<byte[], byte[]> p = producer;
    if (p != null) {
      return p;
    }
    Producer<byte[], byte[]> created = new KafkaProducer<>(producerProperties);
    BlockingCall<Void> init = BlockingCall.start("kafka-tx-init", cx.waker(), () -> {
      created.initTransactions();
      return null;
    });
    try {
      init.await(cx);
    } catch (CancelledException e) {
      init.withdrawAndWait(cx);
      created.close(Duration.ZERO);
      throw e;
    } catch (KafkaException e) {
      created.close(Duration.ZERO);
      throw KafkaClientException.of("init transactions for " + transactionalId, e);
    }
    p = created;
    producersCreated.increment();
    producer = p;
    return p;
  }

  private void discard(Producer<byte[], byte[]> p) {
    if (producer == p) {
      producer = null;
    }
    p.close(Duration.ZERO);
  }

  /** Counters since this transactor was created. */
  public Stats stats() {
    return new Stats(committed.sum(), aborted.sum(), recordsCommitted.sum(), producersCreated.sum());
  }

  /** Closes the producer; a transaction in progress is aborted by the coordinator. Idempotent. */
  @Override
  public void close() {
    closed = true;
    Producer<byte[], byte[]> p = producer;
    if (p != null) {
      producer = null;
      p.close(closeTimeout);
    }
  }

  /**
   * Totals since the transactor was created.
   *
   * @param committed transactions whose commit the broker confirmed
   * @param aborted transactions aborted or not confirmed
   * @param recordsCommitted records in committed transactions
   * @param producersCreated producers created: 1 plus one per recreation after a timeout or fencing
   */
  public record Stats(long committed, long aborted, long recordsCommitted, long producersCreated) {}
}
