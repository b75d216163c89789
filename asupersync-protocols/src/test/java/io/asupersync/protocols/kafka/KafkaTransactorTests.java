package io.asupersync.protocols.kafka;

import static io.asupersync.protocols.kafka.KafkaTestSupport.await;
import static io.asupersync.protocols.kafka.KafkaTestSupport.ok;
import static io.asupersync.protocols.kafka.KafkaTestSupport.readAll;
import static io.asupersync.protocols.kafka.KafkaTestSupport.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.CancelKind;
import io.asupersync.CancelReason;
import io.asupersync.ObligationKind;
import io.asupersync.Outcome;
import io.asupersync.TaskHandle;
import io.asupersync.protocols.kafka.KafkaClientException.Reason;
import io.asupersync.protocols.kafka.KafkaTestSupport.TracedRuntime;
import io.asupersync.trace.TraceKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KafkaTransactorTests {
  private static final AtomicInteger IDS = new AtomicInteger();

  private final KafkaTestBroker broker = KafkaTestBroker.shared();
  private final TracedRuntime traced = new TracedRuntime();

  @AfterEach
  void closeRuntime() {
    traced.close();
  }

  private KafkaTransactor<String, String> transactor(String id, KafkaProducerConfig config) {
    return KafkaTransactor.create(traced.runtime, config, id, new StringSerializer(), new StringSerializer());
  }

  private KafkaProducerConfig config() {
    return KafkaProducerConfig.of(broker.bootstrapServers());
  }

  private static String newId() {
    return "tx-" + IDS.incrementAndGet() + "-" + System.nanoTime();
  }

  @Test
  void committedTransactionIsVisibleToReadCommittedConsumers() {
    String topic = broker.newTopic("tx-commit", 2);
    try (KafkaTransactor<String, String> transactor = transactor(newId(), config())) {
      int sent = ok(traced.runtime.run(cx -> transactor.inTransaction(cx, tx -> {
        for (int i = 0; i < 3; i++) {
          tx.send(new ProducerRecord<>(topic, "r" + i));
        }
        return tx.sent();
      })));

      assertThat(sent).isEqualTo(3);
      assertThat(transactor.stats()).isEqualTo(new KafkaTransactor.Stats(1, 0, 3, 1));
    }
    assertThat(values(readAll(topic, "read_committed"))).containsExactlyInAnyOrder("r0", "r1", "r2");
    assertThat(traced.states(ObligationKind.TRANSACTION)).containsExactly(TraceKind.OBLIGATION_COMMITTED);
    assertThat(traced.clientCalls("transaction")).singleElement()
        .satisfies(e -> assertThat(e.attribute("result")).isEqualTo("ok"));
  }

  @Test
  void cancelledScopeAbortsTheTransactionAndItsRecordsStayInvisible() {
    String topic = broker.newTopic("tx-cancel", 1);
    AtomicBoolean sent = new AtomicBoolean();
    try (KafkaTransactor<String, String> transactor = transactor(newId(), config())) {
      TaskHandle<Outcome<String>> task = traced.runtime.spawn("tx", cx -> transactor.inTransaction(cx, tx -> {
        for (int i = 0; i < 3; i++) {
          tx.send(new ProducerRecord<>(topic, "doomed" + i));
        }
        sent.set(true);
        cx.sleep(Duration.ofMinutes(1)); // until cancelled
        return "unreachable";
      }));
      await("the body has sent its records", sent::get);

      task.cancel(CancelReason.of(CancelKind.USER, "scope cancelled"));
      await("the transaction task ends", task::isDone);

      assertThat(task.outcome().orElseThrow()).isInstanceOfSatisfying(Outcome.Ok.class,
          scope -> assertThat(scope.value()).isInstanceOf(Outcome.Cancelled.class));
      assertThat(transactor.stats().aborted()).isEqualTo(1);

      // The same producer goes on with the next transaction.
      ok(traced.runtime.run(cx -> transactor.inTransaction(cx, tx -> {
        tx.send(new ProducerRecord<>(topic, "after"));
        return null;
      })));
      assertThat(transactor.stats()).isEqualTo(new KafkaTransactor.Stats(1, 1, 1, 1));
    }
    assertThat(values(readAll(topic, "read_committed"))).containsExactly("after");
    assertThat(traced.states(ObligationKind.TRANSACTION))
        .containsExactlyInAnyOrder(TraceKind.OBLIGATION_ABORTED, TraceKind.OBLIGATION_COMMITTED);
  }

  @Test
  void failingBodyAbortsTheTransaction() {
    String topic = broker.newTopic("tx-fail", 1);
    try (KafkaTransactor<String, String> transactor = transactor(newId(), config())) {
      Outcome<Object> outcome = traced.runtime.run(cx -> transactor.inTransaction(cx, tx -> {
        tx.send(new ProducerRecord<>(topic, "half"));
        throw new java.io.IOException("downstream failed");
      }));

      assertThat(outcome).isInstanceOfSatisfying(Outcome.Err.class, err ->
          assertThat(err.error()).isInstanceOfSatisfying(KafkaClientException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.TRANSACTION_ABORTED);
            assertThat(e).hasCauseInstanceOf(java.io.IOException.class);
          }));
    }
    assertThat(readAll(topic, "read_committed")).isEmpty();
    assertThat(traced.states(ObligationKind.TRANSACTION)).containsExactly(TraceKind.OBLIGATION_ABORTED);
  }

  @Test
  void producerIsRecreatedAfterATransactionTimeout() {
    String topic = broker.newTopic("tx-timeout", 1);
    String id = newId();
    KafkaProducerConfig shortTransactions = config().with(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 1000);
    try (KafkaTransactor<String, String> transactor = transactor(id, shortTransactions)) {
      Outcome<Object> outcome = traced.runtime.run(cx -> transactor.inTransaction(cx, tx -> {
        tx.send(new ProducerRecord<>(topic, "expired"));
        awaitCoordinatorAbort(id);
        return null;
      }));

      assertThat(outcome).isInstanceOfSatisfying(Outcome.Err.class, err ->
          assertThat(err.error()).isInstanceOfSatisfying(KafkaClientException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.TRANSACTION_TIMED_OUT)));

      ok(traced.runtime.run(cx -> transactor.inTransaction(cx, tx -> {
        tx.send(new ProducerRecord<>(topic, "fresh"));
        return null;
      })));
      assertThat(transactor.stats().producersCreated()).isEqualTo(2);
      assertThat(transactor.stats().committed()).isEqualTo(1);
    }
    assertThat(values(readAll(topic, "read_committed"))).containsExactly("fresh");
    assertThat(traced.states(ObligationKind.TRANSACTION))
        .containsExactlyInAnyOrder(TraceKind.OBLIGATION_ABORTED, TraceKind.OBLIGATION_COMMITTED);
  }

  /** Waits until the coordinator has aborted the open transaction of {@code id} on its own. */
  private void awaitCoordinatorAbort(String id) throws Exception {
    Instant until = Instant.now().plusSeconds(30);
    while (true) {
      TransactionState state =
          broker.admin().describeTransactions(List.of(id)).description(id).get().state();
      if (state == TransactionState.PREPARE_ABORT || state == TransactionState.COMPLETE_ABORT) {
        return;
      }
      if (Instant.now().isAfter(until)) {
        throw new AssertionError("coordinator never aborted " + id + "; state " + state);
      }
      Thread.sleep(50); // polling the coordinator's state, not waiting for time to pass
    }
  }
}
