package io.asupersync.protocols.kafka;

import static io.asupersync.protocols.kafka.KafkaTestSupport.await;
import static io.asupersync.protocols.kafka.KafkaTestSupport.ok;
import static io.asupersync.protocols.kafka.KafkaTestSupport.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.CancelKind;
import io.asupersync.CancelReason;
import io.asupersync.Cx;
import io.asupersync.LeakResponse;
import io.asupersync.ObligationKind;
import io.asupersync.Outcome;
import io.asupersync.TaskHandle;
import io.asupersync.protocols.kafka.KafkaTestSupport.TracedRuntime;
import io.asupersync.trace.TraceKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

class KafkaReceiverTests {
  private static final AtomicInteger GROUPS = new AtomicInteger();

  private final KafkaTestBroker broker = KafkaTestBroker.shared();

  private KafkaReceiver<String, String> receiver(TracedRuntime traced, String topic, String group) {
    return KafkaReceiver.create(
        traced.runtime,
        KafkaConsumerConfig.of(broker.bootstrapServers(), group).with(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer"),
        List.of(topic),
        new StringDeserializer(),
        new StringDeserializer());
  }

  private static String newGroup() {
    return "group-" + GROUPS.incrementAndGet();
  }

  /** Polls until {@code n} deliveries arrived. */
  static List<KafkaDelivery<String, String>> take(Cx cx, KafkaReceiver<String, String> receiver, int n)
      throws KafkaClientException {
    List<KafkaDelivery<String, String>> out = new ArrayList<>();
    while (out.size() < n) {
      out.addAll(receiver.poll(cx, Duration.ofSeconds(1)));
    }
    return out;
  }

  private OptionalLong groupOffset(String group, TopicPartition tp) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        broker.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    OffsetAndMetadata om = offsets.get(tp);
    return om == null ? OptionalLong.empty() : OptionalLong.of(om.offset());
  }

  @Test
  void offsetIsCommittedOnlyAfterProcessingCommitsAndEveryEarlierRecordIsDone() {
    String topic = broker.newTopic("offsets", 1);
    TopicPartition tp = new TopicPartition(topic, 0);
    String group = newGroup();
    produce(topic, List.of("a", "b", "c"));
    try (TracedRuntime traced = new TracedRuntime();
        KafkaReceiver<String, String> receiver = receiver(traced, topic, group)) {
      ok(traced.runtime.run(cx -> {
        List<KafkaDelivery<String, String>> d = take(cx, receiver, 3);
        assertThat(d).extracting(x -> x.record().value()).containsExactly("a", "b", "c");

        d.get(1).commit(); // a later record done first commits nothing
        receiver.commitReady(cx);
        assertThat(groupOffset(group, tp)).isEmpty();

        d.get(0).commit();
        receiver.commitReady(cx);
        assertThat(groupOffset(group, tp)).hasValue(2);

        d.get(2).commit();
        receiver.commitReady(cx);
        assertThat(groupOffset(group, tp)).hasValue(3);
        assertThat(receiver.committedOffsets()).containsEntry(tp, 3L);
        return null;
      }));
      assertThat(receiver.stats()).isEqualTo(new KafkaReceiver.Stats(3, 0, 3, 0, 2, 0));
      assertThat(traced.states(ObligationKind.ACK)).hasSize(3).containsOnly(TraceKind.OBLIGATION_COMMITTED);
    }
  }

  @Test
  void abortedRecordIsRedeliveredAndTheRecordsAfterItAreNotDeliveredTwice() throws Exception {
    String topic = broker.newTopic("redeliver", 1);
    TopicPartition tp = new TopicPartition(topic, 0);
    String group = newGroup();
    produce(topic, List.of("a", "b", "c"));
    try (TracedRuntime traced = new TracedRuntime()) {
      try (KafkaReceiver<String, String> receiver = receiver(traced, topic, group)) {
        ok(traced.runtime.run(cx -> {
          List<KafkaDelivery<String, String>> d = take(cx, receiver, 3);
          d.get(0).commit();
          d.get(1).abort();
          d.get(2).commit();

          KafkaDelivery<String, String> again = take(cx, receiver, 1).getFirst();
          assertThat(again.record().value()).isEqualTo("b");
          assertThat(again.isRedelivery()).isTrue();
          assertThat(receiver.poll(cx, Duration.ofMillis(300))).isEmpty();
          assertThat(groupOffset(group, tp)).hasValue(1); // stops before the aborted record

          again.commit();
          receiver.commitReady(cx);
          assertThat(groupOffset(group, tp)).hasValue(3);
          return null;
        }));
        assertThat(receiver.stats()).isEqualTo(new KafkaReceiver.Stats(3, 1, 3, 1, 2, 0));
      }
      try (KafkaReceiver<String, String> restarted = receiver(traced, topic, group)) {
        List<KafkaDelivery<String, String>> none = ok(traced.runtime.run(cx -> restarted.poll(cx, Duration.ofMillis(500))));
        assertThat(none).isEmpty();
      }
      assertThat(traced.states(ObligationKind.ACK))
          .containsExactlyInAnyOrder(
              TraceKind.OBLIGATION_COMMITTED, TraceKind.OBLIGATION_ABORTED,
              TraceKind.OBLIGATION_COMMITTED, TraceKind.OBLIGATION_COMMITTED);
    }
  }

  @Test
  void recordWhoseTaskEndedWithoutSettlingItIsRedelivered() {
    String topic = broker.newTopic("leaked", 1);
    produce(topic, List.of("x"));
    try (TracedRuntime traced = new TracedRuntime(LeakResponse.SILENT);
        KafkaReceiver<String, String> receiver = receiver(traced, topic, newGroup())) {
      ok(traced.runtime.run(cx -> {
        // This task ends holding the delivery's obligation: the runtime resolves it as leaked.
        assertThat(ok(cx.spawn("forgetful", c -> take(c, receiver, 1).size()).join(cx))).isEqualTo(1);

        KafkaDelivery<String, String> again = take(cx, receiver, 1).getFirst();
        assertThat(again.record().value()).isEqualTo("x");
        assertThat(again.isRedelivery()).isTrue();
        again.commit();
        return null;
      }));
      assertThat(receiver.stats().aborted()).isEqualTo(1);
      assertThat(traced.states(ObligationKind.ACK))
          .containsExactlyInAnyOrder(TraceKind.OBLIGATION_LEAKED, TraceKind.OBLIGATION_COMMITTED);
    }
  }

  @Test
  void secondDrivingTaskIsRefusedAndACancelReachesAWaitingPoll() {
    String topic = broker.newTopic("idle", 1);
    try (TracedRuntime traced = new TracedRuntime();
        KafkaReceiver<String, String> receiver = receiver(traced, topic, newGroup())) {
      TaskHandle<Outcome<List<KafkaDelivery<String, String>>>> waiting =
          traced.runtime.spawn("waiting", cx -> receiver.poll(cx, Duration.ofMinutes(1)));
      Outcome<Boolean> second = traced.runtime.run(cx -> {
        while (true) {
          try {
            receiver.poll(cx, Duration.ZERO);
          } catch (IllegalStateException e) {
            return e.getMessage().contains("single-threaded");
          }
          cx.sleep(Duration.ofMillis(10));
        }
      });
      assertThat(ok(second)).isTrue();

      waiting.cancel(CancelReason.of(CancelKind.USER, "stop waiting"));
      await("the waiting poll observes the cancel", waiting::isDone);
      assertThat(waiting.outcome().orElseThrow()).isInstanceOfSatisfying(Outcome.Ok.class,
          scope -> assertThat(scope.value()).isInstanceOf(Outcome.Cancelled.class));
    }
  }

  @Test
  void autoCommitIsRejected() {
    assertThatThrownBy(() -> KafkaConsumerConfig.of(broker.bootstrapServers(), "g")
            .with(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("enable.auto.commit");
    assertThat(KafkaConsumerConfig.of(broker.bootstrapServers(), "g").consumerProperties())
        .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
        .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
  }
}
