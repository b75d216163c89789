package io.asupersync.protocols.nats;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.Cx;
import io.asupersync.ObligationState;
import io.asupersync.Runtime;
import io.asupersync.TaskBody;
import io.asupersync.testsupport.NatsServerProcess;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JetStreamTests {

  private static final Duration FETCH_WAIT = Duration.ofSeconds(2);

  static NatsServerProcess server;
  static Runtime runtime;

  @BeforeAll
  static void start() throws Exception {
    server = NatsServerProcess.start("");
    runtime = Runtime.builder().build();
  }

  @AfterAll
  static void stop() {
    if (runtime != null) {
      runtime.close();
    }
    if (server != null) {
      server.close();
    }
  }

  static <T> T withJetStream(String stream, JsBody<T> body) throws Exception {
    return runtime.run((TaskBody<T>) cx -> {
      try (NatsClient nats = NatsClient.builder(runtime).server(server.url()).connect(cx)) {
        JetStream js = nats.jetStream();
        js.createStream(cx, StreamConfig.of(stream, stream.toLowerCase() + ".>").inMemory());
        try {
          return body.run(cx, nats, js);
        } finally {
          js.deleteStream(cx, stream);
        }
      }
    }).orThrow();
  }

  interface JsBody<T> {
    T run(Cx cx, NatsClient nats, JetStream js) throws Exception;
  }

  @Test
  void publishIsAcknowledgedAndARepeatedMessageIdIsStoredOnce() throws Exception {
    withJetStream("DEDUP", (cx, nats, js) -> {
      PubAck first = js.publish(cx, "dedup.a", "order-1", "x".getBytes(UTF_8));
      PubAck again = js.publish(cx, "dedup.a", "order-1", "x".getBytes(UTF_8));
      PubAck other = js.publish(cx, "dedup.a", "order-2", "y".getBytes(UTF_8));
      assertThat(first).isEqualTo(new PubAck("DEDUP", 1, false));
      assertThat(again).isEqualTo(new PubAck("DEDUP", 1, true));
      assertThat(other.sequence()).isEqualTo(2);
      assertThat(js.streamInfo(cx, "DEDUP").messages()).isEqualTo(2);
      return null;
    });
  }

  @Test
  void publishToASubjectNoStreamCapturesIsNoResponders() throws Exception {
    runtime.run(cx -> {
      try (NatsClient nats = NatsClient.builder(runtime).server(server.url()).connect(cx)) {
        assertThatThrownBy(() -> nats.jetStream().publish(cx, "not.captured", new byte[0]))
            .isInstanceOf(NatsNoRespondersException.class);
        return null;
      }
    }).orThrow();
  }

  @Test
  void missingStreamIsAnApiErrorWithItsCodes() throws Exception {
    runtime.run(cx -> {
      try (NatsClient nats = NatsClient.builder(runtime).server(server.url()).connect(cx)) {
        assertThatThrownBy(() -> nats.jetStream().streamInfo(cx, "NO_SUCH_STREAM"))
            .isInstanceOfSatisfying(JetStreamApiException.class, e -> {
              assertThat(e.code()).isEqualTo(404);
              assertThat(e.errorCode()).isEqualTo(JetStreamApiException.STREAM_NOT_FOUND);
            });
        return null;
      }
    }).orThrow();
  }

  @Test
  void fetchedMessagesAreAckObligationsSettledByAckNakAndTerm() throws Exception {
    withJetStream("WORK", (cx, nats, js) -> {
      for (int i = 0; i < 3; i++) {
        js.publish(cx, "work.item", "w-" + i, ("item " + i).getBytes(UTF_8));
      }
      js.createConsumer(cx, "WORK", ConsumerConfig.durable("workers"));
      List<JetStreamMessage> batch = js.fetch(cx, "WORK", "workers", 3, FETCH_WAIT);
      assertThat(batch).hasSize(3).allSatisfy(m -> assertThat(m.state()).isEqualTo(ObligationState.RESERVED));
      assertThat(batch.get(0).streamSequence()).isEqualTo(1);
      assertThat(batch.get(0).message().headers().first("Nats-Msg-Id")).isEqualTo("w-0");
      batch.get(0).ack(cx);
      batch.get(1).nak(cx);
      batch.get(2).term(cx);
      assertThat(batch.get(0).state()).isEqualTo(ObligationState.COMMITTED);
      assertThat(batch.get(1).state()).isEqualTo(ObligationState.ABORTED);
      assertThat(batch.get(2).state()).isEqualTo(ObligationState.COMMITTED);
      assertThatThrownBy(() -> batch.get(0).ack(cx)).isInstanceOf(IllegalStateException.class);

      List<JetStreamMessage> redelivered = js.fetch(cx, "WORK", "workers", 3, Duration.ofMillis(300));
      assertThat(redelivered).hasSize(1);
      assertThat(redelivered.get(0).streamSequence()).isEqualTo(2);
      assertThat(redelivered.get(0).deliveredCount()).isEqualTo(2);
      redelivered.get(0).ack(cx);
      assertThat(js.fetch(cx, "WORK", "workers", 3, Duration.ZERO)).isEmpty();
      NatsStats stats = nats.stats();
      assertThat(stats.acks()).isEqualTo(2);
      assertThat(stats.naks()).isEqualTo(1);
      assertThat(stats.terms()).isEqualTo(1);
      return null;
    });
  }

  @Test
  void inProgressKeepsTheObligationReserved() throws Exception {
    withJetStream("SLOW", (cx, nats, js) -> {
      js.publish(cx, "slow.job", "job".getBytes(UTF_8));
      js.createConsumer(cx, "SLOW", ConsumerConfig.durable("slow").withAckWait(Duration.ofSeconds(30)));
      JetStreamMessage m = js.fetch(cx, "SLOW", "slow", 1, FETCH_WAIT).get(0);
      m.inProgress(cx);
      assertThat(m.state()).isEqualTo(ObligationState.RESERVED);
      m.ack(cx);
      assertThat(m.state()).isEqualTo(ObligationState.COMMITTED);
      return null;
    });
  }

  @Test
  void aTaskThatEndsWithoutSettlingLeaksAndTheLeakNaksForRedelivery() throws Exception {
    withJetStream("LEAKY", (cx, nats, js) -> {
      js.publish(cx, "leaky.job", "job".getBytes(UTF_8));
      js.createConsumer(cx, "LEAKY", ConsumerConfig.durable("leaky").withAckWait(Duration.ofSeconds(30)));
      long leakedBefore = runtime.snapshot().counters().obligationsLeaked();
      cx.spawn("forgetful", c -> js.fetch(c, "LEAKY", "leaky", 1, FETCH_WAIT).size()).join(cx);
      assertThat(runtime.snapshot().counters().obligationsLeaked()).isEqualTo(leakedBefore + 1);
      // The ack wait is 30 s: getting it back at once shows the leak sent -NAK.
      List<JetStreamMessage> again = js.fetch(cx, "LEAKY", "leaky", 1, FETCH_WAIT);
      assertThat(again).hasSize(1);
      assertThat(again.get(0).deliveredCount()).isEqualTo(2);
      again.get(0).ack(cx);
      return null;
    });
  }

  @Test
  void fetchFromAMissingConsumerReturnsNothingAndLeavesNothingPending() throws Exception {
    withJetStream("EMPTY", (cx, nats, js) -> {
      assertThat(js.fetch(cx, "EMPTY", "nobody", 1, Duration.ofMillis(50))).isEmpty();
      Poll.until("the fetch inbox is released", () -> nats.stats().pendingRequests() == 0);
      return null;
    });
  }

  @Test
  void streamAndConsumerNamesMustBeSubjectTokens() {
    assertThatThrownBy(() -> StreamConfig.of("a.b", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ConsumerConfig.durable("c*")).isInstanceOf(IllegalArgumentException.class);
  }
}
