package io.asupersync.protocols.nats;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Budget;
import io.asupersync.Cx;
import io.asupersync.ObligationState;
import io.asupersync.Outcome;
import io.asupersync.RegionPolicy;
import io.asupersync.Runtime;
import io.asupersync.RuntimeSnapshot;
import io.asupersync.TaskHandle;
import io.asupersync.testsupport.NatsServerProcess;
import io.asupersync.trace.TraceEvent;
import io.asupersync.trace.TraceKind;
import io.asupersync.trace.TraceSink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Thousands of JetStream publishes and fetches, a random share of them cancelled by a random scope
 * deadline at whatever point they reached. Afterwards: every acknowledged publish is in the stream,
 * retrying the rest with the same message id stores each exactly once, every message is processed,
 * and every ack obligation a fetch reserved was committed or aborted (none leaked).
 */
class JetStreamCancelTests {

  private static final int MESSAGES = 2000;
  private static final int PUBLISHERS = 8;
  private static final int CONSUMERS = 4;
  private static final Duration HARD_LIMIT = Duration.ofSeconds(90);

  /** Ack obligations by id, from the trace: reserved, and settled (committed, aborted or leaked). */
  static final class AckLedger implements TraceSink {
    final Set<Long> reserved = ConcurrentHashMap.newKeySet();
    final Set<Long> committed = ConcurrentHashMap.newKeySet();
    final Set<Long> aborted = ConcurrentHashMap.newKeySet();
    final Set<Long> leaked = ConcurrentHashMap.newKeySet();

    @Override
    public void accept(TraceEvent e) {
      switch (e.kind()) {
        case OBLIGATION_RESERVED -> {
          if ("ACK".equals(e.attributes().get("kind"))) {
            reserved.add(e.obligationId());
          }
        }
        case OBLIGATION_COMMITTED -> committed.add(e.obligationId());
        case OBLIGATION_ABORTED -> aborted.add(e.obligationId());
        case OBLIGATION_LEAKED -> leaked.add(e.obligationId());
        default -> {}
      }
    }
  }

  @Test
  void randomCancelsLoseNoAcknowledgedPublishAndLeaveNoAckObligationOpen() throws Exception {
    AckLedger ledger = new AckLedger();
    AtomicInteger publishCancels = new AtomicInteger();
    AtomicInteger fetchCancels = new AtomicInteger();
    try (NatsServerProcess server = NatsServerProcess.start("");
        Runtime runtime = Runtime.builder().seed(6).traceSink(ledger).build()) {
      runtime.run(cx -> {
        try (NatsClient nats = NatsClient.builder(runtime).server(server.url()).connect(cx)) {
          JetStream js = nats.jetStream();
          js.createStream(cx, StreamConfig.of("CANCEL", "cancel.>").inMemory());

          Set<String> acked = ConcurrentHashMap.newKeySet();
          List<TaskHandle<Void>> publishers = new ArrayList<>();
          for (int w = 0; w < PUBLISHERS; w++) {
            int first = w;
            publishers.add(cx.spawn("publisher-" + w, c -> {
              for (int i = first; i < MESSAGES; i += PUBLISHERS) {
                String id = "m-" + i;
                Outcome<PubAck> o = c.scope(RegionPolicy.FAIL_FAST, randomDeadline(c),
                    s -> js.publish(s, "cancel.work", id, id.getBytes(UTF_8)));
                switch (o) {
                  case Outcome.Ok<PubAck> ok -> acked.add(id);
                  case Outcome.Cancelled<PubAck> cancelled -> publishCancels.incrementAndGet();
                  default -> o.orThrow();
                }
              }
              return null;
            }));
          }
          for (TaskHandle<Void> p : publishers) {
            p.join(cx).orThrow();
          }
          assertThat(publishCancels.get()).as("cancelled publishes").isPositive();
          assertThat(acked).as("acknowledged publishes").isNotEmpty();

          // Every acknowledged publish is stored, and stored once.
          Map<String, Integer> stored = readAll(cx, js, "verify");
          assertThat(stored.keySet()).containsAll(acked);
          assertThat(stored.values()).allMatch(n -> n == 1);

          // At least once with deduplication: retry everything not acknowledged under its id.
          int duplicates = 0;
          for (int i = 0; i < MESSAGES; i++) {
            String id = "m-" + i;
            if (!acked.contains(id) && js.publish(cx, "cancel.work", id, id.getBytes(UTF_8)).duplicate()) {
              duplicates++;
            }
          }
          assertThat(js.streamInfo(cx, "CANCEL").messages()).isEqualTo(MESSAGES);
          assertThat(duplicates).as("retries the stream had already stored").isEqualTo(stored.size() - acked.size());

          // Fetch and ack with random cancels until every message was processed.
          js.createConsumer(cx, "CANCEL", ConsumerConfig.durable("work").withAckWait(Duration.ofSeconds(2)).withMaxAckPending(10_000));
          Set<String> processed = ConcurrentHashMap.newKeySet();
          Instant giveUp = cx.now().plus(HARD_LIMIT);
          List<TaskHandle<Void>> consumers = new ArrayList<>();
          for (int w = 0; w < CONSUMERS; w++) {
            consumers.add(cx.spawn("consumer-" + w, c -> {
              while (processed.size() < MESSAGES && c.now().isBefore(giveUp)) {
                Outcome<Void> o = c.scope(RegionPolicy.FAIL_FAST, randomDeadline(c), s -> {
                  List<JetStreamMessage> batch = js.fetch(s, "CANCEL", "work", 25, Duration.ofMillis(200));
                  try {
                    for (JetStreamMessage m : batch) {
                      m.ack(s);
                      processed.add(m.message().headers().first("Nats-Msg-Id"));
                      s.checkpoint();
                    }
                  } finally {
                    for (JetStreamMessage m : batch) {
                      if (m.state() == ObligationState.RESERVED) {
                        m.nak(s);
                      }
                    }
                  }
                  return null;
                });
                if (o instanceof Outcome.Cancelled<Void>) {
                  fetchCancels.incrementAndGet();
                } else {
                  o.orThrow();
                }
              }
              return null;
            }));
          }
          for (TaskHandle<Void> c : consumers) {
            c.join(cx).orThrow();
          }
          assertThat(processed).hasSize(MESSAGES);
          assertThat(fetchCancels.get()).as("cancelled fetches").isPositive();
          // Inboxes are released on the event loop, just after their fetch returned.
          Poll.until("no request or fetch is pending", () -> nats.stats().pendingRequests() == 0);
          return null;
        }
      }).orThrow();

      RuntimeSnapshot snapshot = runtime.snapshot();
      assertThat(snapshot.counters().obligationsLeaked()).isZero();
      assertThat(snapshot.obligations()).isEmpty();
      assertThat(ledger.leaked).isEmpty();
      Set<Long> settled = new java.util.HashSet<>(ledger.committed);
      settled.addAll(ledger.aborted);
      assertThat(settled).as("ack obligations committed or aborted").containsAll(ledger.reserved);
      assertThat(ledger.reserved).hasSizeGreaterThanOrEqualTo(MESSAGES);
      assertThat(runtime.trace().events(e -> e.kind() == TraceKind.CLIENT_CALL && "cancelled".equals(e.attributes().get("result")), 10)).isNotEmpty();
    }
  }

  /** A quarter of the operations run without a deadline (progress), the rest get 0-4 ms. */
  private static Budget randomDeadline(Cx cx) {
    if (cx.random().nextInt(4) == 0) {
      return Budget.unlimited();
    }
    return Budget.unlimited().withDeadline(cx.now().plusNanos(cx.random().nextLong(4_000_000)));
  }

  /** Every message id in the stream with how often it is stored, read through a fresh consumer. */
  private static Map<String, Integer> readAll(Cx cx, JetStream js, String consumer) throws NatsException {
    js.createConsumer(cx, "CANCEL", ConsumerConfig.durable(consumer));
    Map<String, Integer> ids = new HashMap<>();
    while (true) {
      List<JetStreamMessage> batch = js.fetch(cx, "CANCEL", consumer, 500, Duration.ZERO);
      if (batch.isEmpty()) {
        break;
      }
      for (JetStreamMessage m : batch) {
        ids.merge(m.message().headers().first("Nats-Msg-Id"), 1, Integer::sum);
        m.ack(cx);
      }
    }
    js.deleteConsumer(cx, "CANCEL", consumer);
    return ids;
  }
}
