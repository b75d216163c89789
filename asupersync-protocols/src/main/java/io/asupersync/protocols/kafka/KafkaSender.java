package io.asupersync.protocols.kafka;

import io.asupersync.CancelledException;
import io.asupersync.Cx;
import io.asupersync.Obligation;
import io.asupersync.ObligationKind;
import io.asupersync.Runtime;
import io.asupersync.Waker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * Sends records through an idempotent, {@code acks=all} kafka-clients producer, each send an obligation
 * that is settled by the broker's answer.
 *
 * <p><b>One send.</b> {@link #send} serializes the record and checks its size (an oversized record fails
 * with {@link KafkaClientException.Reason#MESSAGE_TOO_LARGE} before anything is reserved), reserves an
 * {@link ObligationKind#IO_OP} obligation, hands the record to the producer, and waits through the
 * caller's {@link Cx} for the answer: the obligation is committed when the broker acknowledged the
 * record (all in-sync replicas have it) and aborted when the producer reports a failure, which the
 * caller receives as a {@link KafkaClientException}.
 *
 * <p><b>Cancellation.</b> Before the hand-over, a cancelled caller sends nothing and its reservation is
 * aborted. That includes a hand-over still blocked in kafka-clients (waiting up to {@code max.block.ms}
 * for the topic's metadata or for buffer space): it runs on a thread of its own while the caller waits
 * through its {@link Cx}, so a cancel, or the caller's budget deadline, withdraws it at once and the
 * caller gets {@link CancelledException} rather than blocking. After the hand-over the record cannot be
 * taken back: the caller still gets {@link CancelledException} at once (also when its budget's deadline
 * passes), but the send stays in {@link
 * #pending()} with {@code callerCancelled} set, and its obligation is committed or aborted when the
 * producer reports the record's fate; the stats and a {@code CLIENT_CALL} trace event with result
 * {@code cancelled-pending} record it, and a second event records the settlement. A cancelled send is
 * never silently dropped, and never sent twice: the producer is idempotent and this layer never
 * retries.
 *
 * <p><b>Who holds the obligations.</b> The obligations are held by a small keeper task this sender runs
 * in its {@link Runtime}, not by the callers, so that a caller released by cancellation can end without
 * leaking an effect that is still in flight. {@link #close} (or the runtime's shutdown) flushes the
 * producer within the close timeout; every obligation is settled before the keeper ends.
 *
 * <p>Thread-safe; any number of tasks may send concurrently. Not for the lab runtime (it does real I/O).
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class KafkaSender<K, V> implements AutoCloseable {
  private final Runtime runtime;
  private final Producer<byte[], byte[]> producer;
  private final RecordEncoder<K, V> encoder;
  private final Duration closeTimeout;
  private final Queue<Send> reservations = new ConcurrentLinkedQueue<>();
  private final Map<Long, Send> handedOver = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  /** Reserved and not yet settled; the keeper ends only when it is zero. */
  private final AtomicInteger unsettled = new AtomicInteger();
  private final CountDownLatch keeperDone = new CountDownLatch(1);
  private final Counters counters = new Counters();
  private volatile boolean closing;
  private volatile @Nullable Waker keeper;

  private KafkaSender(Runtime runtime, KafkaProducerConfig config, Serializer<K> keys, Serializer<V> values) {
    this.runtime = runtime;
    this.encoder = new RecordEncoder<>(keys, values, config.maxMessageBytes());
    this.closeTimeout = config.closeTimeout();
    this.producer = new KafkaProducer<>(config.producerProperties());
    try {
      runtime.spawn("kafka-sender-keeper", this::keep);
    } catch (RuntimeException e) {
      producer.close(Duration.ZERO);
      throw e;
    }
  }

  /**
   * Creates a sender whose producer connects to the cluster in {@code config}.
   *
   * @throws IllegalArgumentException if {@code config} would weaken idempotence or acks=all
   * @throws org.apache.kafka.common.KafkaException if kafka-clients rejects the configuration
   */
  public static <K, V> KafkaSender<K, V> create(
      Runtime runtime, KafkaProducerConfig config, Serializer<K> keys, Serializer<V> values) {
    Objects.requireNonNull(runtime, "runtime");
    return new KafkaSender<>(runtime, config, keys, values);
  }

  /**
   * Sends {@code record} and waits until the broker acknowledged it.
   *
   * @return where the record was written
   * @throws KafkaClientException if the record is too large (nothing reserved or sent), the sender is
   *     closed, or the producer reported a failure (the obligation was aborted)
   * @throws CancelledException if the caller is cancelled or its deadline passes; after the hand-over the
   *     send stays in {@link #pending()} until the producer reports its fate
   */
  public RecordMetadata send(Cx cx, ProducerRecord<K, V> record) throws KafkaClientException {
    Objects.requireNonNull(record, "record");
    try {
      cx.checkpoint();
    } catch (CancelledException e) {
      counters.cancelledBeforeHandOver.increment();
      throw e;
    }
    ProducerRecord<byte[], byte[]> bytes;
    try {
      bytes = encoder.encode(record);
    } catch (KafkaClientException e) {
      counters.rejected.increment();
      KafkaTrace.call(runtime, cx.taskId(), cx.regionId(), 0, "send", "error", Map.of(
          "topic", record.topic(), "reason", e.reason().name()));
      throw e;
    }
    Send send = new Send(sequence.incrementAndGet(), bytes.topic(), bytes.partition(), cx);
    awaitReservation(cx, send);
    return awaitSettlement(cx, send, handOver(cx, send, bytes));
  }

  private void awaitReservation(Cx cx, Send send) throws KafkaClientException {
    if (closing) {
      throw closed();
    }
    reservations.add(send);
    if (closing && reservations.remove(send)) {
      throw closed(); // the keeper may have drained the queue already: nobody would answer
    }
    wakeKeeper();
    try {
      while (true) {
        int state = send.state();
        if (state == Send.RESERVED) {
          return;
        }
        if (state == Send.REFUSED) {
          throw closed();
        }
        cx.park(null);
        cx.checkpoint();
      }
    } catch (CancelledException e) {
      if (send.abandon()) {
        Obligation reserved = send.obligation;
        if (reserved != null) {
          reserved.abort();
          unsettledDown();
        }
        counters.cancelledBeforeHandOver.increment();
        trace(send, "send", "cancelled", Map.of());
      }
      throw e;
    }
  }

  /**
   * Hands the record to the producer on a thread of its own: {@code KafkaProducer.send} blocks up to
   * {@code max.block.ms} while it waits for the topic's metadata or for buffer space, and the caller
   * must stay free to observe a cancel or its deadline meanwhile.
   */
  private BlockingCall<?> handOver(Cx cx, Send send, ProducerRecord<byte[], byte[]> bytes) {
    handedOver.put(send.seq, send);
    return BlockingCall.start("kafka-hand-over-" + send.seq, cx.waker(), () -> {
      send.handOverThread = Thread.currentThread();
      producer.send(bytes, (metadata, failure) -> {
        if (Thread.currentThread() == send.handOverThread) {
          send.early(metadata, failure); // refused inside send: settled once the hand-over returned
        } else {
          settle(send, metadata, failure);
        }
      });
      send.handedOverAt = runtime.clock().now();
      return null;
    });
  }

  /** Once the hand-over returned: counts it and settles a send refused synchronously. Idempotent. */
  private void absorb(Send send, BlockingCall<?> handOver) {
    if (!send.absorb()) {
      return;
    }
    counters.handedOver.increment();
    Throwable thrown = handOver.failure();
    if (thrown != null) {
      // closed producer, a failed interceptor: it never reached the accumulator
      settle(send, null, thrown instanceof Exception e ? e : new IllegalStateException(thrown));
    } else if (send.early) {
      settle(send, send.earlyMetadata, send.earlyFailure);
    }
  }

  private RecordMetadata awaitSettlement(Cx cx, Send send, BlockingCall<?> handOver) throws KafkaClientException {
    try {
      while (true) {
        if (handOver.isDone()) {
          absorb(send, handOver);
          if (send.isSettled()) {
            break;
          }
        }
        cx.park(null);
        cx.checkpoint();
      }
    } catch (CancelledException e) {
      if (!handOver.isDone()) {
        handOver.withdrawAndWait(cx);
      }
      if (handOver.endedByWithdrawal()) {
        withdrawn(send);
        throw e;
      }
      // Handed over; or, if kafka-clients ignored the interrupt past the grace, settled once it returns.
      handOver.whenDone(() -> {
        if (handOver.endedByWithdrawal()) {
          withdrawn(send);
        } else {
          absorb(send, handOver);
        }
      });
      if (send.releaseCaller()) {
        counters.cancelledAfterHandOver.increment();
        trace(send, "send", "cancelled-pending", Map.of());
      }
      throw e;
    }
    Exception failure = send.failure;
    if (failure != null) {
      throw KafkaClientException.of("send to " + send.topic, failure);
    }
    return Objects.requireNonNull(send.metadata);
  }

  /** The caller was cancelled while the hand-over blocked, and the interrupt ended it: nothing was sent. */
  private void withdrawn(Send send) {
    handedOver.remove(send.seq);
    send.settle(null, null);
    Objects.requireNonNull(send.obligation).abort();
    counters.cancelledBeforeHandOver.increment();
    trace(send, "send", "cancelled", Map.of("during", "hand-over"));
    unsettledDown();
  }

  /** Runs on the producer's I/O thread (or the sending thread when the producer fails at once). */
  private void settle(Send send, @Nullable RecordMetadata metadata, @Nullable Exception failure) {
    if (!send.settle(metadata, failure)) {
      return;
    }
    Obligation obligation = Objects.requireNonNull(send.obligation);
    if (failure == null) {
      obligation.commit();
      counters.acked.increment();
    } else {
      obligation.abort();
      counters.failed.increment();
    }
    handedOver.remove(send.seq);
    String result = failure == null ? "ok" : "error";
    Map<String, String> details = failure == null
        ? Map.of("partition", String.valueOf(Objects.requireNonNull(metadata).partition()))
        : Map.of("reason", KafkaClientException.reasonOf(failure).name());
    trace(send, "send", result, send.callerGone ? withCallerCancelled(details) : details);
    send.caller.wake();
    unsettledDown();
  }

  private void unsettledDown() {
    if (unsettled.decrementAndGet() == 0 && closing) {
      wakeKeeper();
    }
  }

  private static Map<String, String> withCallerCancelled(Map<String, String> details) {
    Map<String, String> copy = new HashMap<>(details);
    copy.put("callerCancelled", "true");
    return copy;
  }

  /** The keeper: reserves obligations on behalf of callers, then outlives every one of them. */
  private Void keep(Cx cx) {
    keeper = cx.waker();
    try {
      while (true) {
        Send send;
        while ((send = reservations.poll()) != null) {
          reserveFor(cx, send);
        }
        if (closing || cx.isCancelRequested()) {
          break;
        }
        cx.park(null);
      }
    } finally {
      cx.runMasked(() -> drain(cx));
      keeperDone.countDown();
    }
    return null;
  }

  private void reserveFor(Cx cx, Send send) {
    if (send.reserve(() -> {
      unsettled.incrementAndGet();
      return cx.reserve(ObligationKind.IO_OP, "kafka send to " + send.topic);
    })) {
      send.caller.wake();
    }
  }

  private void drain(Cx cx) {
    closing = true;
    Send send;
    while ((send = reservations.poll()) != null) {
      send.refuse();
      send.caller.wake();
    }
    producer.close(closeTimeout); // fails what it could not deliver in time: every callback has run
    Instant until = cx.now().plus(closeTimeout);
    // A caller between its reservation and the hand-over settles at once on the closed producer.
    while (unsettled.get() > 0 && cx.now().isBefore(until)) {
      cx.park(until);
    }
  }

  private void wakeKeeper() {
    Waker w = keeper;
    if (w != null) {
      w.wake();
    }
  }

  private void trace(Send send, String operation, String result, Map<String, String> details) {
    Map<String, String> attrs = new HashMap<>(details);
    attrs.put("topic", send.topic);
    Obligation o = send.obligation;
    KafkaTrace.call(runtime, send.callerTask, send.callerRegion, o == null ? 0 : o.id(), operation, result, attrs);
  }

  private KafkaClientException closed() {
    return new KafkaClientException(KafkaClientException.Reason.CLOSED, "sender is closed");
  }

  /**
   * Sends handed to the producer whose fate is not known yet, oldest first; includes sends whose caller
   * was cancelled meanwhile. A snapshot: never the record's key or value.
   */
  public List<PendingSend> pending() {
    List<PendingSend> out = new ArrayList<>();
    for (Send s : handedOver.values()) {
      Obligation o = s.obligation;
      Instant at = s.handedOverAt;
      if (o != null && at != null && !s.isSettled()) {
        out.add(new PendingSend(o.id(), s.topic, s.partition, at, s.callerGone));
      }
    }
    out.sort(Comparator.comparing(PendingSend::handedOverAt).thenComparingLong(PendingSend::obligationId));
    return out;
  }

  /** Counters since this sender was created. */
  public Stats stats() {
    return new Stats(
        counters.handedOver.sum(),
        counters.acked.sum(),
        counters.failed.sum(),
        counters.rejected.sum(),
        counters.cancelledBeforeHandOver.sum(),
        counters.cancelledAfterHandOver.sum(),
        handedOver.size());
  }

  /**
   * Stops accepting sends, waits up to the close timeout for records already handed over (failing the
   * rest), and returns once every obligation is settled. Idempotent.
   */
  @Override
  public void close() {
    closing = true;
    wakeKeeper();
    try {
      if (!keeperDone.await(closeTimeout.toMillis() * 2 + 5_000, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("Kafka sender keeper did not finish");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Totals since the sender was created.
   *
   * @param handedOver records handed to the producer
   * @param acked records acknowledged by the broker (obligation committed)
   * @param failed records the producer reported as failed (obligation aborted)
   * @param rejected records refused before the hand-over (too large)
   * @param cancelledBeforeHandOver sends cancelled before the hand-over: nothing was sent
   * @param cancelledAfterHandOver sends whose caller was cancelled after the hand-over; each is also
   *     counted in {@code acked} or {@code failed} once settled
   * @param pending records handed over whose fate is not known yet
   */
  public record Stats(
      long handedOver,
      long acked,
      long failed,
      long rejected,
      long cancelledBeforeHandOver,
      long cancelledAfterHandOver,
      int pending) {}

  private static final class Counters {
    final LongAdder handedOver = new LongAdder();
    final LongAdder acked = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder cancelledBeforeHandOver = new LongAdder();
    final LongAdder cancelledAfterHandOver = new LongAdder();
  }

  /** One send's life: queued for a reservation, reserved, handed over, settled. Guarded by itself. */
  private static final class Send {
    static final int QUEUED = 0;
    static final int RESERVED = 1;
    static final int ABANDONED = 2;
    static final int REFUSED = 3;

    final long seq;
    final String topic;
    final @Nullable Integer partition;
    final Waker caller;
    final long callerTask;
    final long callerRegion;
    private int state = QUEUED;
    volatile @Nullable Obligation obligation;
    volatile @Nullable Instant handedOverAt;
    private boolean settled;
    volatile boolean callerGone;
    volatile @Nullable RecordMetadata metadata;
    volatile @Nullable Exception failure;
    volatile @Nullable Thread handOverThread;
    private boolean absorbed;
    /** A failure the producer reported inside {@code send}, on the hand-over thread. */
    volatile boolean early;
    volatile @Nullable RecordMetadata earlyMetadata;
    volatile @Nullable Exception earlyFailure;

    Send(long seq, String topic, @Nullable Integer partition, Cx cx) {
      this.seq = seq;
      this.topic = topic;
      this.partition = partition;
      this.caller = cx.waker();
      this.callerTask = cx.taskId();
      this.callerRegion = cx.regionId();
    }

    synchronized int state() {
      return state;
    }

    /** Keeper side: reserves unless the caller gave up first. */
    synchronized boolean reserve(java.util.function.Supplier<Obligation> reservation) {
      if (state != QUEUED) {
        return false;
      }
      obligation = reservation.get();
      state = RESERVED;
      return true;
    }

    synchronized void refuse() {
      if (state == QUEUED) {
        state = REFUSED;
      }
    }

    /**
     * Caller side, cancelled before the hand-over: gives the send up unless the sender refused it
     * already; a reservation made meanwhile is then in {@link #obligation}, for the caller to abort.
     */
    synchronized boolean abandon() {
      if (state != QUEUED && state != RESERVED) {
        return false;
      }
      state = ABANDONED;
      return true;
    }

    synchronized boolean settle(@Nullable RecordMetadata md, @Nullable Exception e) {
      if (settled) {
        return false;
      }
      settled = true;
      metadata = md;
      failure = e;
      return true;
    }

    void early(@Nullable RecordMetadata md, @Nullable Exception e) {
      earlyMetadata = md;
      earlyFailure = e;
      early = true;
    }

    synchronized boolean absorb() {
      if (absorbed) {
        return false;
      }
      absorbed = true;
      return true;
    }

    synchronized boolean isSettled() {
      return settled;
    }

    /** Caller side, cancelled after the hand-over: whether the send is still pending. */
    synchronized boolean releaseCaller() {
      if (settled) {
        return false;
      }
      callerGone = true;
      return true;
    }
  }
}
