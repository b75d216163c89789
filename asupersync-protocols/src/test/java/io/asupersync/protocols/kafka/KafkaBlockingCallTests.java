package io.asupersync.protocols.kafka;

import static io.asupersync.protocols.kafka.KafkaTestSupport.await;
import static io.asupersync.protocols.kafka.KafkaTestSupport.ok;
import static io.asupersync.protocols.kafka.KafkaTestSupport.readAll;
import static io.asupersync.protocols.kafka.KafkaTestSupport.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Budget;
import io.asupersync.CancelKind;
import io.asupersync.CancelReason;
import io.asupersync.ObligationKind;
import io.asupersync.Outcome;
import io.asupersync.RegionPolicy;
import io.asupersync.TaskHandle;
import io.asupersync.protocols.kafka.KafkaTestSupport.TracedRuntime;
import io.asupersync.trace.TraceKind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Calls that block inside kafka-clients for up to {@code max.block.ms} (60 s by default, which every
 * producer here keeps) end when the caller's budget runs out or it is cancelled, with the typed cancel,
 * and leave nothing behind. The topics named "missing" do not exist (the test broker does not create
 * topics on demand), so metadata for them never arrives. The class timeout is far below 60 s: a call
 * that waited for kafka-clients' own timeout fails the test.
 */
@Timeout(30)
class KafkaBlockingCallTests {
  private static final Duration SHORT = Duration.ofMillis(300);

  private final KafkaTestBroker broker = KafkaTestBroker.shared();
  private final TracedRuntime traced = new TracedRuntime();

  @AfterEach
  void closeRuntime() {
    traced.close();
  }

  private KafkaSender<String, String> sender() {
    return KafkaSender.create(traced.runtime, KafkaProducerConfig.of(broker.bootstrapServers()),
        new StringSerializer(), new StringSerializer());
  }

  private static String missingTopic(String prefix) {
    return prefix + "-missing-" + System.nanoTime();
  }

  @Test
  void sendWaitingForMetadataEndsAtTheCallersDeadlineWithNothingSent() {
    String topic = missingTopic("deadline");
    KafkaSender<String, String> sender = sender();

    Outcome<RecordMetadata> outcome = ok(traced.runtime.run(cx -> cx.scope(
        RegionPolicy.FAIL_FAST, Budget.timeout(cx.now(), SHORT),
        c -> sender.send(c, new ProducerRecord<>(topic, "never")))));

    assertThat(outcome).isInstanceOfSatisfying(Outcome.Cancelled.class,
        c -> assertThat(c.reason().kind()).isEqualTo(CancelKind.DEADLINE));
    KafkaSender.Stats stats = sender.stats();
    assertThat(stats.cancelledBeforeHandOver()).isEqualTo(1);
    assertThat(stats.handedOver()).isZero();
    assertThat(stats.failed()).isZero();
    assertThat(sender.pending()).isEmpty();
    assertThat(traced.states(ObligationKind.IO_OP)).containsExactly(TraceKind.OBLIGATION_ABORTED);
    assertThat(traced.clientCalls("send")).singleElement().satisfies(e -> assertThat(e.attributes())
        .containsEntry("result", "cancelled").containsEntry("during", "hand-over"));

    broker.createTopic(topic, 1); // had the record stayed queued in the producer, it would go out now
    sender.close();
    assertThat(readAll(topic, "read_uncommitted")).isEmpty();
  }

  @Test
  void cancelWithdrawsASendWaitingForMetadataAndTheSenderStaysUsable() {
    String topic = missingTopic("cancel");
    KafkaSender<String, String> sender = sender();
    TaskHandle<Outcome<RecordMetadata>> caller =
        traced.runtime.spawn("caller", cx -> sender.send(cx, new ProducerRecord<>(topic, "withdrawn")));
    await("the send is reserved", () -> traced.states(ObligationKind.IO_OP).contains(TraceKind.OBLIGATION_RESERVED));

    caller.cancel(CancelReason.of(CancelKind.USER, "caller gave up"));
    await("the caller is released", caller::isDone);

    assertThat(caller.outcome().orElseThrow()).isInstanceOfSatisfying(Outcome.Ok.class,
        scope -> assertThat(scope.value()).isInstanceOf(Outcome.Cancelled.class));
    assertThat(sender.stats().cancelledBeforeHandOver()).isEqualTo(1);
    assertThat(traced.states(ObligationKind.IO_OP)).containsExactly(TraceKind.OBLIGATION_ABORTED);

    broker.createTopic(topic, 1);
    RecordMetadata written = ok(traced.runtime.run(cx -> sender.send(cx, new ProducerRecord<>(topic, "kept"))));
    sender.close();

    assertThat(written.offset()).isZero();
    assertThat(values(readAll(topic, "read_uncommitted"))).containsExactly("kept");
  }

  @Test
  void transactionalSendWaitingForMetadataEndsAtTheDeadlineAndTheTransactionAborts() {
    String missing = missingTopic("tx");
    String topic = broker.newTopic("tx-after", 1);
    try (KafkaTransactor<String, String> transactor = KafkaTransactor.create(
        traced.runtime, KafkaProducerConfig.of(broker.bootstrapServers()), "blocking-tx-" + System.nanoTime(),
        new StringSerializer(), new StringSerializer())) {
      commitOne(transactor, topic, "before");
      Outcome<Void> cut = ok(traced.runtime.run(cx -> cx.scope(
          RegionPolicy.FAIL_FAST, Budget.timeout(cx.now(), SHORT), c -> {
            transactor.inTransaction(c, tx -> {
              tx.send(new ProducerRecord<>(topic, "aborted"));
              tx.send(new ProducerRecord<>(missing, "never"));
              return null;
            });
            return null;
          })));

      assertThat(cut).isInstanceOfSatisfying(Outcome.Cancelled.class,
          c -> assertThat(c.reason().kind()).isEqualTo(CancelKind.DEADLINE));
      commitOne(transactor, topic, "after");
      KafkaTransactor.Stats stats = transactor.stats();
      assertThat(stats.aborted()).isEqualTo(1);
      assertThat(stats.committed()).isEqualTo(2);
      assertThat(stats.producersCreated()).as("the producer survived the cut").isEqualTo(1);
    }
    assertThat(values(readAll(topic, "read_committed"))).containsExactly("before", "after");
    assertThat(traced.states(ObligationKind.TRANSACTION)).containsExactlyInAnyOrder(
        TraceKind.OBLIGATION_COMMITTED, TraceKind.OBLIGATION_ABORTED, TraceKind.OBLIGATION_COMMITTED);
  }

  private void commitOne(KafkaTransactor<String, String> transactor, String topic, String value) {
    ok(traced.runtime.run(cx -> transactor.inTransaction(cx, tx -> {
      tx.send(new ProducerRecord<>(topic, value));
      return null;
    })));
  }

  @Test
  void registeringTheTransactionalProducerWithAnUnreachableClusterEndsAtTheDeadline() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    try (KafkaTransactor<String, String> transactor = KafkaTransactor.create(
        traced.runtime, KafkaProducerConfig.of("127.0.0.1:" + closedPort), "unreachable-" + System.nanoTime(),
        new StringSerializer(), new StringSerializer())) {
      Outcome<String> outcome = ok(traced.runtime.run(cx -> cx.scope(
          RegionPolicy.FAIL_FAST, Budget.timeout(cx.now(), SHORT),
          c -> transactor.inTransaction(c, tx -> "never"))));

      assertThat(outcome).isInstanceOfSatisfying(Outcome.Cancelled.class,
          c -> assertThat(c.reason().kind()).isEqualTo(CancelKind.DEADLINE));
      assertThat(transactor.stats().producersCreated()).isZero();
    }
    assertThat(traced.states(ObligationKind.TRANSACTION)).isEmpty();
  }

  @Test
  void receiverCommitAndPollEndAtTheCallersDeadline() {
    String topic = broker.newTopic("receive-deadline", 1);
    KafkaTestSupport.produce(topic, List.of("a"));
    try (KafkaReceiver<String, String> receiver = KafkaReceiver.create(
        traced.runtime, KafkaConsumerConfig.of(broker.bootstrapServers(), "deadline-" + System.nanoTime()),
        List.of(topic), new StringDeserializer(), new StringDeserializer())) {
      ok(traced.runtime.run(cx -> {
        List<KafkaDelivery<String, String>> got = List.of();
        while (got.isEmpty()) {
          got = receiver.poll(cx, Duration.ofSeconds(1));
        }
        got.forEach(KafkaDelivery::commit);
        return null;
      }));

      // Commits the processed record's offset, then waits for a minute of records that never come.
      Outcome<List<KafkaDelivery<String, String>>> outcome = ok(traced.runtime.run(cx -> cx.scope(
          RegionPolicy.FAIL_FAST, Budget.timeout(cx.now(), SHORT), c -> receiver.poll(c, Duration.ofMinutes(1)))));

      assertThat(outcome).isInstanceOfSatisfying(Outcome.Cancelled.class,
          c -> assertThat(c.reason().kind()).isEqualTo(CancelKind.DEADLINE));
      assertThat(receiver.committedOffsets()).containsValue(1L);
      assertThat(receiver.stats().offsetCommits()).isEqualTo(1);
    }
  }
}
