package io.asupersync.protocols.kafka;

import static io.asupersync.protocols.kafka.KafkaTestSupport.await;
import static io.asupersync.protocols.kafka.KafkaTestSupport.ok;
import static io.asupersync.protocols.kafka.KafkaTestSupport.readAll;
import static io.asupersync.protocols.kafka.KafkaTestSupport.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.Budget;
import io.asupersync.CancelKind;
import io.asupersync.CancelReason;
import io.asupersync.ObligationKind;
import io.asupersync.Outcome;
import io.asupersync.RegionPolicy;
import io.asupersync.TaskHandle;
import io.asupersync.protocols.kafka.KafkaClientException.Reason;
import io.asupersync.protocols.kafka.KafkaTestSupport.TracedRuntime;
import io.asupersync.trace.TraceEvent;
import io.asupersync.trace.TraceKind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KafkaSenderTests {
  private final KafkaTestBroker broker = KafkaTestBroker.shared();
  private final TracedRuntime traced = new TracedRuntime();

  @AfterEach
  void closeRuntime() {
    traced.close();
  }

  private KafkaSender<String, String> sender(KafkaProducerConfig config) {
    return KafkaSender.create(traced.runtime, config, new StringSerializer(), new StringSerializer());
  }

  private KafkaProducerConfig config() {
    return KafkaProducerConfig.of(broker.bootstrapServers());
  }

  @Test
  void sendsAreCommittedOnTheBrokersAck() throws Exception {
    String topic = broker.newTopic("acked", 1);
    try (KafkaSender<String, String> sender = sender(config())) {
      List<RecordMetadata> written = ok(traced.runtime.run(cx -> {
        List<RecordMetadata> out = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          out.add(sender.send(cx, new ProducerRecord<>(topic, "key-" + i, "secret-value-" + i)));
        }
        return out;
      }));

      assertThat(written).extracting(RecordMetadata::offset).containsExactly(0L, 1L, 2L, 3L, 4L);
      assertThat(sender.pending()).isEmpty();
      assertThat(sender.stats()).isEqualTo(new KafkaSender.Stats(5, 5, 0, 0, 0, 0, 0));
    }
    assertThat(traced.states(ObligationKind.IO_OP)).hasSize(5).containsOnly(TraceKind.OBLIGATION_COMMITTED);
    assertThat(values(readAll(topic, "read_committed")))
        .containsExactly("secret-value-0", "secret-value-1", "secret-value-2", "secret-value-3", "secret-value-4");
    List<TraceEvent> calls = traced.clientCalls("send");
    assertThat(calls).hasSize(5).allSatisfy(e -> {
      assertThat(e.attributes()).containsEntry("protocol", "kafka").containsEntry("result", "ok");
      assertThat(e.attributes().values()).noneMatch(v -> v.contains("secret") || v.contains("key-"));
    });
  }

  @Test
  void recordOverTheLimitIsRefusedBeforeAnythingIsReserved() {
    String topic = broker.newTopic("oversize", 1);
    try (KafkaSender<String, String> sender = sender(config())) {
      String big = "x".repeat(KafkaProducerConfig.DEFAULT_MAX_MESSAGE_BYTES + 1);
      Outcome<RecordMetadata> outcome = traced.runtime.run(cx -> sender.send(cx, new ProducerRecord<>(topic, big)));

      assertThat(outcome).isInstanceOfSatisfying(Outcome.Err.class, err ->
          assertThat(err.error()).isInstanceOfSatisfying(KafkaClientException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.MESSAGE_TOO_LARGE)));
      assertThat(sender.stats().rejected()).isEqualTo(1);
      assertThat(sender.stats().handedOver()).isZero();
    }
    assertThat(traced.states(ObligationKind.IO_OP)).isEmpty();
    assertThat(readAll(topic, "read_uncommitted")).isEmpty();
  }

  @Test
  void recordTheBrokerRefusesAbortsItsObligationWithATypedError() {
    String topic = broker.newTopic("small", 1, Map.of("max.message.bytes", "1024"));
    try (KafkaSender<String, String> sender = sender(config())) {
      Outcome<RecordMetadata> outcome =
          traced.runtime.run(cx -> sender.send(cx, new ProducerRecord<>(topic, "y".repeat(4096))));

      assertThat(reasonOf(outcome)).isEqualTo(Reason.MESSAGE_TOO_LARGE);
      assertThat(sender.stats().failed()).isEqualTo(1);
    }
    assertThat(traced.states(ObligationKind.IO_OP)).hasSize(1).containsOnly(TraceKind.OBLIGATION_ABORTED);
  }

  @Test
  void sendToAnUnreachableClusterTimesOutAndAbortsItsObligation() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    KafkaProducerConfig unreachable = KafkaProducerConfig.of("127.0.0.1:" + closedPort)
        .with(ProducerConfig.MAX_BLOCK_MS_CONFIG, 300)
        .withCloseTimeout(Duration.ZERO);
    try (KafkaSender<String, String> sender = sender(unreachable)) {
      Outcome<RecordMetadata> outcome = traced.runtime.run(cx -> sender.send(cx, new ProducerRecord<>("nowhere", "v")));

      assertThat(reasonOf(outcome)).isEqualTo(Reason.TIMED_OUT);
      assertThat(sender.pending()).isEmpty();
    }
    assertThat(traced.states(ObligationKind.IO_OP)).hasSize(1).containsOnly(TraceKind.OBLIGATION_ABORTED);
    assertThat(traced.clientCalls("send")).singleElement()
        .satisfies(e -> assertThat(e.attributes()).containsEntry("result", "error").containsEntry("reason", "TIMED_OUT"));
  }

  /** A sender whose records wait in the producer's buffer until it is closed (linger of a minute). */
  private KafkaSender<String, String> lingeringSender() {
    return sender(config().with(ProducerConfig.LINGER_MS_CONFIG, 60_000));
  }

  @Test
  void callerCancelledAfterTheHandOverIsReleasedWhileTheSendStaysPendingUntilSettled() {
    String topic = broker.newTopic("lingering", 1);
    KafkaSender<String, String> sender = lingeringSender();
    TaskHandle<Outcome<RecordMetadata>> caller =
        traced.runtime.spawn("caller", cx -> sender.send(cx, new ProducerRecord<>(topic, "kept")));
    await("the record is handed over", () -> sender.pending().size() == 1);

    caller.cancel(CancelReason.of(CancelKind.USER, "caller gave up"));
    await("the caller is released", caller::isDone);

    assertThat(caller.outcome().orElseThrow()).isInstanceOfSatisfying(Outcome.Ok.class,
        scope -> assertThat(scope.value()).isInstanceOf(Outcome.Cancelled.class));
    assertThat(sender.pending()).singleElement().satisfies(p -> {
      assertThat(p.callerCancelled()).isTrue();
      assertThat(p.topic()).isEqualTo(topic);
    });
    assertThat(sender.stats().cancelledAfterHandOver()).isEqualTo(1);
    assertThat(traced.states(ObligationKind.IO_OP)).containsExactly(TraceKind.OBLIGATION_RESERVED);
    assertThat(traced.clientCalls("send")).singleElement()
        .satisfies(e -> assertThat(e.attribute("result")).isEqualTo("cancelled-pending"));

    sender.close(); // flushes: the broker acknowledges the record the caller no longer waits for

    assertThat(sender.pending()).isEmpty();
    assertThat(sender.stats().acked()).isEqualTo(1);
    assertThat(traced.states(ObligationKind.IO_OP)).containsExactly(TraceKind.OBLIGATION_COMMITTED);
    assertThat(traced.clientCalls("send")).last()
        .satisfies(e -> assertThat(e.attributes()).containsEntry("result", "ok").containsEntry("callerCancelled", "true"));
    assertThat(values(readAll(topic, "read_committed"))).containsExactly("kept");
  }

  @Test
  void budgetDeadlineBoundsTheWaitForTheAck() {
    String topic = broker.newTopic("deadline", 1);
    KafkaSender<String, String> sender = lingeringSender();
    Outcome<RecordMetadata> outcome = traced.runtime.run(cx -> ok(cx.scope(
        RegionPolicy.FAIL_FAST,
        Budget.timeout(cx.now(), Duration.ofMillis(300)),
        c -> sender.send(c, new ProducerRecord<>(topic, "late")))));

    assertThat(outcome).isInstanceOfSatisfying(Outcome.Panicked.class, p ->
        assertThat(p.cause()).hasMessageContaining("DEADLINE"));
    assertThat(sender.pending()).singleElement().satisfies(p -> assertThat(p.callerCancelled()).isTrue());

    sender.close();

    assertThat(sender.pending()).isEmpty();
    assertThat(traced.states(ObligationKind.IO_OP)).containsExactly(TraceKind.OBLIGATION_COMMITTED);
    assertThat(values(readAll(topic, "read_committed"))).containsExactly("late");
  }

  @Test
  void configurationsThatWeakenIdempotenceOrAcksAreRejected() {
    KafkaProducerConfig base = config();
    assertThatThrownBy(() -> base.with(ProducerConfig.ACKS_CONFIG, "1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("acks");
    assertThatThrownBy(() -> base.with(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("enable.idempotence");
    assertThatThrownBy(() -> base.with(ProducerConfig.RETRIES_CONFIG, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retries");
    assertThatThrownBy(() -> base.with(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 6))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max.in.flight");
    assertThatThrownBy(() -> base.with(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "t"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(base.with(ProducerConfig.ACKS_CONFIG, "-1").producerProperties())
        .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
        .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
  }

  private static Reason reasonOf(Outcome<?> outcome) {
    assertThat(outcome).isInstanceOf(Outcome.Err.class);
    Exception error = ((Outcome.Err<?>) outcome).error();
    assertThat(error).isInstanceOf(KafkaClientException.class);
    return ((KafkaClientException) error).reason();
  }
}
