package io.asupersync.protocols.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.LeakResponse;
import io.asupersync.ObligationKind;
import io.asupersync.Outcome;
import io.asupersync.Runtime;
import io.asupersync.trace.TraceEvent;
import io.asupersync.trace.TraceKind;
import io.asupersync.trace.TraceSink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Runtime with a recorded trace, condition polling and a plain reader of whole topics. */
final class KafkaTestSupport {
  private KafkaTestSupport() {}

  /** A runtime that traces obligations into a queue and panics a task that leaks one. */
  static final class TracedRuntime implements AutoCloseable {
    final ConcurrentLinkedQueue<TraceEvent> events = new ConcurrentLinkedQueue<>();
    final Runtime runtime;

    TracedRuntime() {
      this(LeakResponse.PANIC);
    }

    TracedRuntime(LeakResponse leaks) {
      runtime = Runtime.builder()
          .traceObligations(true)
          .leakResponse(leaks)
          .traceCapacity(1024)
          .traceSink(TraceSink.of(events::add))
          .build();
    }

    /** Final state per obligation of {@code kind} (RESERVED while not settled), by obligation id. */
    Map<Long, TraceKind> obligations(ObligationKind kind) {
      Map<Long, TraceKind> out = new HashMap<>();
      for (TraceEvent e : events) {
        if (e.kind() == TraceKind.OBLIGATION_RESERVED && e.attribute("kind").equals(kind.name())) {
          out.put(e.obligationId(), TraceKind.OBLIGATION_RESERVED);
        }
      }
      for (TraceEvent e : events) {
        if (out.containsKey(e.obligationId())
            && (e.kind() == TraceKind.OBLIGATION_COMMITTED
                || e.kind() == TraceKind.OBLIGATION_ABORTED
                || e.kind() == TraceKind.OBLIGATION_LEAKED)) {
          assertThat(out.put(e.obligationId(), e.kind()))
              .as("obligation %d settled twice", e.obligationId())
              .isEqualTo(TraceKind.OBLIGATION_RESERVED);
        }
      }
      return out;
    }

    /** The final states of the obligations of {@code kind}, one per obligation. */
    List<TraceKind> states(ObligationKind kind) {
      return List.copyOf(obligations(kind).values());
    }

    List<TraceEvent> clientCalls(String operation) {
      List<TraceEvent> out = new ArrayList<>();
      for (TraceEvent e : events) {
        if (e.kind() == TraceKind.CLIENT_CALL && operation.equals(e.attributes().get("operation"))) {
          out.add(e);
        }
      }
      return out;
    }

    @Override
    public void close() {
      runtime.close();
    }
  }

  static void await(String what, BooleanSupplier condition) {
    Instant until = Instant.now().plusSeconds(30);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(until)) {
        throw new AssertionError("timed out waiting until " + what);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  /** The value of an Ok outcome; any other outcome fails the test with its cause attached. */
  static <T> T ok(Outcome<T> outcome) {
    return switch (outcome) {
      case Outcome.Ok<T> ok -> ok.value();
      case Outcome.Err<T> err -> throw new AssertionError("expected Ok, was Err", err.error());
      case Outcome.Panicked<T> p -> throw new AssertionError("expected Ok, was Panicked", p.cause());
      case Outcome.Cancelled<T> c -> throw new AssertionError("expected Ok, was " + c);
    };
  }

  /** Every record of {@code topic} up to its end (the last stable offset under read_committed). */
  static List<ConsumerRecord<String, String>> readAll(String topic, String isolation) {
    Map<String, Object> props = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.shared().bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition()))
          .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<String, String>> out = new ArrayList<>();
      Instant until = Instant.now().plusSeconds(30);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (Instant.now().isAfter(until)) {
          throw new AssertionError("could not read " + topic + " to its end " + end);
        }
        consumer.poll(Duration.ofMillis(100)).forEach(out::add);
      }
      return out;
    }
  }

  /** Writes {@code values} to partition 0 of {@code topic} with a plain producer and waits for the acks. */
  static void produce(String topic, List<String> values) {
    Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.shared().bootstrapServers());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      for (String v : values) {
        producer.send(new ProducerRecord<>(topic, 0, null, v));
      }
      producer.flush();
    }
  }

  static List<String> values(List<ConsumerRecord<String, String>> records) {
    return records.stream().map(ConsumerRecord::value).toList();
  }
}
