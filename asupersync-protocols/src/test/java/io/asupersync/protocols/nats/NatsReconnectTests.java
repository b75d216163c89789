package io.asupersync.protocols.nats;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Outcome;
import io.asupersync.Runtime;
import io.asupersync.TaskHandle;
import io.asupersync.testsupport.NatsServerProcess;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NatsReconnectTests {

  private static final Duration WAIT = Duration.ofSeconds(10);

  NatsServerProcess server;
  Runtime runtime;

  @BeforeEach
  void start() throws Exception {
    server = NatsServerProcess.start("");
    runtime = Runtime.builder().build();
  }

  @AfterEach
  void stop() {
    if (runtime != null) {
      runtime.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private NatsClient.Builder client() {
    return NatsClient.builder(runtime).server(server.url()).reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200), 0.5);
  }

  @Test
  void subscriptionResumesAfterTheServerIsKilledAndRestarted() throws Exception {
    runtime.run(cx -> {
      try (NatsClient nats = client().awaitConnected(Duration.ofSeconds(20)).connect(cx)) {
        NatsSubscription sub = nats.subscribe(cx, "events");
        nats.flush(cx, WAIT);
        server.kill();
        Poll.until("the client noticed the loss", () -> !nats.isConnected());
        // Issued during the outage: waits for the new connection, then goes out after the replayed SUB.
        TaskHandle<Void> during = cx.spawn("publish-during-outage", c -> {
          nats.publish(c, "events", "during".getBytes(UTF_8));
          return null;
        });
        server.restart();
        assertThat(during.join(cx)).isInstanceOf(Outcome.Ok.class);
        assertThat(new String(sub.next(cx).data(), UTF_8)).isEqualTo("during");
        assertThat(nats.stats().reconnects()).isEqualTo(1);
        try (NatsClient other = client().connect(cx)) {
          other.publish(cx, "events", "after".getBytes(UTF_8));
        }
        assertThat(new String(sub.next(cx).data(), UTF_8)).isEqualTo("after");
        return null;
      }
    }).orThrow();
  }

  @Test
  void requestInFlightWhenTheServerDiesFailsAsOutcomeUnknown() throws Exception {
    NatsException failure = runtime.run(cx -> {
      try (NatsClient nats = client().connect(cx)) {
        NatsSubscription silent = nats.subscribe(cx, "svc.silent");
        nats.flush(cx, WAIT);
        TaskHandle<NatsException> requester = cx.spawn("requester", c -> {
          try {
            nats.request(c, "svc.silent", new byte[0], WAIT);
            throw new AssertionError("request succeeded");
          } catch (NatsException e) {
            return e;
          }
        });
        silent.next(cx);
        server.kill();
        NatsException e = requester.join(cx).orThrow();
        assertThat(nats.stats().pendingRequests()).isZero();
        return e;
      }
    }).orThrow();
    assertThat(failure.reason()).isEqualTo(NatsException.Reason.OUTCOME_UNKNOWN);
  }

  @Test
  void clientGivesUpAfterMaxReconnectAttemptsAndReportsClosed() throws Exception {
    NatsException failure = runtime.run(cx -> {
      try (NatsClient nats = client().maxReconnectAttempts(2).connect(cx)) {
        server.kill();
        Poll.until("the client gave up", () -> {
          try {
            return runtime.run(c -> {
              try {
                nats.flush(c, WAIT);
                return false;
              } catch (NatsException e) {
                return e.reason() == NatsException.Reason.CLOSED;
              }
            }).orThrow();
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
        try {
          nats.publish(cx, "x", new byte[0]);
          throw new AssertionError("publish succeeded");
        } catch (NatsException expected) {
          return expected;
        }
      }
    }).orThrow();
    assertThat(failure.reason()).isEqualTo(NatsException.Reason.CLOSED);
  }

  @Test
  void backoffGrowsUpToItsCapAndIsReproducibleFromTheSeed() throws Exception {
    Runtime seeded = Runtime.builder().seed(42).build();
    try {
      java.util.List<Duration> first = backoffs(seeded);
      java.util.List<Duration> second = backoffs(seeded);
      assertThat(first).isEqualTo(second);
      assertThat(first.get(0)).isBetween(Duration.ofMillis(20), Duration.ofMillis(30));
      assertThat(first.get(1)).isBetween(Duration.ofMillis(40), Duration.ofMillis(60));
      assertThat(first.get(7)).isBetween(Duration.ofMillis(200), Duration.ofMillis(300));
    } finally {
      seeded.close();
    }
  }

  private java.util.List<Duration> backoffs(Runtime seeded) {
    NatsClient.Builder b = NatsClient.builder(seeded).server(server.url()).reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200), 0.5);
    Engine engine = new Engine(b);
    try {
      java.util.List<Duration> out = new java.util.ArrayList<>();
      for (int i = 1; i <= 8; i++) {
        out.add(engine.backoff(i));
      }
      return out;
    } finally {
      engine.close();
    }
  }
}
