package io.asupersync.protocols.kafka;

import static io.asupersync.protocols.kafka.KafkaTestSupport.await;
import static io.asupersync.protocols.kafka.KafkaTestSupport.ok;
import static io.asupersync.protocols.kafka.KafkaTestSupport.readAll;
import static io.asupersync.protocols.kafka.KafkaTestSupport.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.CancelKind;
import io.asupersync.CancelReason;
import io.asupersync.Outcome;
import io.asupersync.ObligationKind;
import io.asupersync.RegionPolicy;
import io.asupersync.Budget;
import io.asupersync.TaskHandle;
import io.asupersync.protocols.kafka.KafkaTestSupport.TracedRuntime;
import io.asupersync.trace.TraceKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many operations with cancels at random moments (seeded), then an audit: every committed record was
 * delivered exactly once, nothing cancelled before its hand-over was written, and every obligation was
 * committed or aborted.
 */
class KafkaCancelTests {
  private static final long SEED = 20_261_129L;

  private final KafkaTestBroker broker = KafkaTestBroker.shared();
  private final TracedRuntime traced = new TracedRuntime();

  @AfterEach
  void closeRuntime() {
    traced.close();
  }

  @Test
  void randomlyCancelledSendsAreDeliveredExactlyOnceOrNotAtAll() {
    int sends = 800;
    String topic = broker.newTopic("cancel-sends", 3);
    Random random = new Random(SEED);
    Set<String> confirmed = ConcurrentHashMap.newKeySet();
    KafkaSender<String, String> sender = KafkaSender.create(
        traced.runtime,
        KafkaProducerConfig.of(broker.bootstrapServers()).with(ProducerConfig.LINGER_MS_CONFIG, 20),
        new StringSerializer(),
        new StringSerializer());
    // The topic's metadata first: on a loaded machine fetching it can outlast every random delay, and a
    // cancel during that wait withdraws the send before its hand-over, so no cancel would hit one in flight.
    ok(traced.runtime.run(cx -> {
      sender.send(cx, new ProducerRecord<>(topic, "warm-up", "warm-up"));
      confirmed.add("warm-up");
      return null;
    }));
    Set<String> spent = ConcurrentHashMap.newKeySet();
    ok(traced.runtime.run(cx -> cx.scope(RegionPolicy.COLLECT_ALL, Budget.unlimited(), scope -> {
      for (int i = 0; i < sends; i++) {
        String id = "s" + i;
        int dice = random.nextInt(100);
        // A tenth start with a spent budget: cancelled before anything is handed over.
        Budget budget = dice < 10 ? Budget.timeout(cx.now(), Duration.ZERO) : Budget.unlimited();
        if (dice < 10) {
          spent.add(id);
        }
        TaskHandle<Void> send = scope.spawn(id, budget, c -> {
          sender.send(c, new ProducerRecord<>(topic, id, id));
          confirmed.add(id);
          return null;
        });
        if (dice >= 60) {
          long delayMicros = random.nextLong(40_000);
          scope.spawn("cancel-" + id, c -> {
            c.sleep(Duration.ofNanos(delayMicros * 1000));
            send.cancel(CancelReason.of(CancelKind.USER, "random cancel"));
            return null;
          });
        }
      }
      return null;
    })));
    await("every pending send is settled", () -> sender.pending().isEmpty());
    sender.close();

    KafkaSender.Stats stats = sender.stats();
    List<String> delivered = values(readAll(topic, "read_committed"));
    assertThat(new HashSet<>(delivered)).as("exactly once").hasSize(delivered.size());
    assertThat(delivered).containsAll(confirmed).hasSize((int) stats.acked());
    assertThat(stats.failed()).isZero();
    assertThat(stats.handedOver()).isEqualTo(stats.acked());
    assertThat(stats.cancelledAfterHandOver()).as("cancels that hit a send in flight").isPositive();
    assertThat(stats.cancelledBeforeHandOver()).isGreaterThanOrEqualTo(spent.size());
    assertThat(stats.cancelledBeforeHandOver() + stats.handedOver()).isEqualTo(sends + 1);
    assertThat(delivered).doesNotContainAnyElementsOf(spent);
    assertThat(stats.pending()).isZero();
    List<TraceKind> obligations = traced.states(ObligationKind.IO_OP);
    assertThat(obligations).doesNotContain(TraceKind.OBLIGATION_RESERVED, TraceKind.OBLIGATION_LEAKED);
    assertThat(obligations.stream().filter(TraceKind.OBLIGATION_COMMITTED::equals)).hasSize((int) stats.acked());
  }

  @Test
  void randomlyCancelledTransactionsLeaveOnlyCommittedOnesVisible() {
    int transactions = 60;
    int perTransaction = 4;
    String topic = broker.newTopic("cancel-tx", 2);
    Random random = new Random(SEED);
    Set<Integer> committed = ConcurrentHashMap.newKeySet();
    Set<Integer> unknown = ConcurrentHashMap.newKeySet();
    try (KafkaTransactor<String, String> transactor = KafkaTransactor.create(
        traced.runtime, KafkaProducerConfig.of(broker.bootstrapServers()), "cancel-tx-" + System.nanoTime(),
        new StringSerializer(), new StringSerializer())) {
      ok(traced.runtime.run(cx -> cx.scope(RegionPolicy.COLLECT_ALL, Budget.unlimited(), scope -> {
        for (int t = 0; t < transactions; t++) {
          int n = t;
          AtomicBoolean began = new AtomicBoolean();
          TaskHandle<Void> tx = scope.spawn("tx" + t, c -> {
            try {
              transactor.inTransaction(c, body -> {
                began.set(true);
                for (int i = 0; i < perTransaction; i++) {
                  body.send(new ProducerRecord<>(topic, "t" + n + "-" + i));
                  c.sleep(Duration.ofMillis(1));
                }
                return null;
              });
            } catch (KafkaClientException e) {
              if (e.reason() == KafkaClientException.Reason.OUTCOME_UNKNOWN) {
                unknown.add(n); // a commit the cancel cut short: either way is right
              }
              throw e;
            }
            committed.add(n);
            return null;
          });
          if (random.nextInt(100) < 50) {
            // Cancel at a random moment of the transaction: during the body, the commit, or after.
            long delayMicros = random.nextLong(15_000);
            scope.spawn("cancel-tx" + t, c -> {
              while (!began.get()) {
                c.sleep(Duration.ofMillis(1));
              }
              c.sleep(Duration.ofNanos(delayMicros * 1000));
              tx.cancel(CancelReason.of(CancelKind.USER, "random cancel"));
              return null;
            });
          }
        }
        return null;
      })));

      KafkaTransactor.Stats stats = transactor.stats();
      assertThat(stats.committed()).isEqualTo(committed.size());
      assertThat(committed.size()).as("some transactions survive").isBetween(1, transactions - 1);
      assertThat(stats.aborted()).as("cancels that hit an open transaction").isPositive();
      List<String> expected = committed.stream()
          .flatMap(n -> IntStream.range(0, perTransaction).mapToObj(i -> "t" + n + "-" + i))
          .toList();
      List<String> visible = new ArrayList<>(values(readAll(topic, "read_committed")));
      visible.removeIf(v -> unknown.contains(Integer.parseInt(v.substring(1, v.indexOf('-')))));
      assertThat(visible).as("exactly the committed transactions, once each").containsExactlyInAnyOrderElementsOf(expected);
      List<TraceKind> obligations = traced.states(ObligationKind.TRANSACTION);
      assertThat(obligations).doesNotContain(TraceKind.OBLIGATION_RESERVED, TraceKind.OBLIGATION_LEAKED);
      assertThat(obligations.stream().filter(TraceKind.OBLIGATION_COMMITTED::equals)).hasSize(committed.size());
      assertThat(obligations).hasSize((int) (stats.committed() + stats.aborted()));
    }
  }

  @Test
  void randomlyAbortedDeliveriesAreRedeliveredUntilEveryRecordIsProcessedOnce() {
    int records = 300;
    String topic = broker.newTopic("cancel-receive", 2);
    try (KafkaSender<String, String> sender = KafkaSender.create(
        traced.runtime, KafkaProducerConfig.of(broker.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
      ok(traced.runtime.run(cx -> {
        for (int w = 0; w < 10; w++) {
          int first = w;
          cx.spawn(c -> {
            for (int i = first; i < records; i += 10) {
              sender.send(c, new ProducerRecord<>(topic, i % 2, null, "r" + i));
            }
            return null;
          });
        }
        return null;
      }));
    }
    Random random = new Random(SEED);
    List<String> processed = new ArrayList<>();
    String group = "cancel-receive-" + System.nanoTime();
    try (KafkaReceiver<String, String> receiver = KafkaReceiver.create(
        traced.runtime,
        KafkaConsumerConfig.of(broker.bootstrapServers(), group)
            .with(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer")
            .with(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 25),
        List.of(topic), new StringDeserializer(), new StringDeserializer())) {
      ok(traced.runtime.run(cx -> {
        while (processed.size() < records) {
          for (KafkaDelivery<String, String> d : receiver.poll(cx, Duration.ofSeconds(1))) {
            if (random.nextInt(100) < 20) {
              d.abort();
            } else {
              processed.add(d.record().value());
              d.commit();
            }
          }
        }
        receiver.commitReady(cx);
        return null;
      }));
      KafkaReceiver.Stats stats = receiver.stats();
      assertThat(stats.aborted()).isPositive();
      assertThat(stats.redelivered()).isEqualTo(stats.aborted());
      assertThat(stats.inFlight()).isZero();
      assertThat(receiver.committedOffsets().values()).containsOnly((long) records / 2);
    }
    assertThat(processed).hasSize(records).doesNotHaveDuplicates();
    List<TraceKind> acks = traced.states(ObligationKind.ACK);
    assertThat(acks).doesNotContain(TraceKind.OBLIGATION_RESERVED, TraceKind.OBLIGATION_LEAKED);
    assertThat(acks.stream().filter(TraceKind.OBLIGATION_COMMITTED::equals)).hasSize(records);
  }
}
