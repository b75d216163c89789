package io.asupersync.protocols.http.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Budget;
import io.asupersync.CancelKind;
import io.asupersync.CancelReason;
import io.asupersync.Outcome;
import io.asupersync.RegionPolicy;
import io.asupersync.Runtime;
import io.asupersync.TaskHandle;
import io.asupersync.trace.TraceEvent;
import io.asupersync.trace.TraceKind;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A call's deadline is the caller's budget; cancelling the caller abandons the request on the wire. */
class HttpClientCancellationTests {
  /** RST_STREAM error code CANCEL (RFC 9113 §7). */
  private static final long CANCEL = 0x8;

  static Runtime runtime;

  @BeforeAll
  static void start() {
    runtime = Runtime.builder().build();
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  @ParameterizedTest(name = "h2c={0}")
  @ValueSource(booleans = {false, true})
  void callerDeadlineCancelsTheCallWithKindDeadline(boolean h2) throws Exception {
    try (TestHttpServer server = HttpClientTests.server(h2); HttpClient client = HttpClientTests.client(runtime, h2)) {
      Outcome<Outcome<ClientResponse>> outer = runtime.run(cx -> cx.scope(
          RegionPolicy.FAIL_FAST,
          Budget.unlimited().withDeadline(cx.now().plus(Duration.ofMillis(300))),
          c -> client.send(c, ClientRequest.get(server.uri("/hold")))));

      Outcome<ClientResponse> call = outer.orThrow();
      assertThat(call).isInstanceOfSatisfying(Outcome.Cancelled.class,
          cancelled -> assertThat(cancelled.reason().kind()).isEqualTo(CancelKind.DEADLINE));
      if (h2) {
        assertThat(server.resets.poll(5, TimeUnit.SECONDS)).isEqualTo(CANCEL);
      } else {
        await(() -> server.closedConnections.get() == 1);
      }
      TraceEvent traced = lastCall();
      assertThat(traced.attributes()).containsEntry("result", "cancelled:DEADLINE");
      String body = runtime.run(cx -> client.send(cx, ClientRequest.get(server.uri("/hello"))).string(cx)).orThrow();
      assertThat(body).isEqualTo("hello");
    }
  }

  @Test
  void cancellingTheCallerResetsTheH2StreamAndKeepsTheConnection() throws Exception {
    try (TestHttpServer server = TestHttpServer.h2c(); HttpClient client = HttpClientTests.client(runtime, true)) {
      TaskHandle<Outcome<ClientResponse>> caller =
          runtime.spawn("caller", cx -> client.send(cx, ClientRequest.get(server.uri("/hold"))));
      assertThat(server.requests.poll(5, TimeUnit.SECONDS)).isEqualTo("/hold");

      caller.cancel(CancelReason.of(CancelKind.USER, "caller gave up"));

      assertThat(server.resets.poll(5, TimeUnit.SECONDS)).isEqualTo(CANCEL);
      await(caller::isDone);
      assertCancelledByUser(caller);
      String body = runtime.run(cx -> client.send(cx, ClientRequest.get(server.uri("/hello"))).string(cx)).orThrow();
      assertThat(body).isEqualTo("hello");
      assertThat(server.connections.get()).isEqualTo(1);
      assertThat(server.closedConnections.get()).isZero();
    }
  }

  @Test
  void cancellingTheCallerClosesTheHttp1Connection() throws Exception {
    try (TestHttpServer server = TestHttpServer.http1(); HttpClient client = HttpClientTests.client(runtime, false)) {
      TaskHandle<Outcome<ClientResponse>> caller =
          runtime.spawn("caller", cx -> client.send(cx, ClientRequest.get(server.uri("/hold"))));
      assertThat(server.requests.poll(5, TimeUnit.SECONDS)).isEqualTo("/hold");

      caller.cancel(CancelReason.of(CancelKind.USER, "caller gave up"));

      await(() -> server.closedConnections.get() == 1);
      await(caller::isDone);
      assertCancelledByUser(caller);
      String body = runtime.run(cx -> client.send(cx, ClientRequest.get(server.uri("/hello"))).string(cx)).orThrow();
      assertThat(body).isEqualTo("hello");
      assertThat(server.connections.get()).isEqualTo(2);
    }
  }

  @Test
  void closingAnUnreadH2ResponseResetsItsStream() throws Exception {
    try (TestHttpServer server = TestHttpServer.h2c(); HttpClient client = HttpClientTests.client(runtime, true)) {
      // larger than the 1 MiB stream window, so the server is still sending when the client resets
      runtime.run(cx -> {
        try (ClientResponse response = client.send(cx, ClientRequest.get(server.uri("/bytes?n=4000000")))) {
          assertThat(response.readChunk(cx)).isNotEmpty();
        }
        return null;
      }).orThrow();

      assertThat(server.resets.poll(5, TimeUnit.SECONDS)).isEqualTo(CANCEL);
    }
  }

  @Test
  void deadlineWhileReadingTheBodyCancelsTheRead() throws Exception {
    try (TestHttpServer server = TestHttpServer.h2c(); HttpClient client = HttpClientTests.client(runtime, true)) {
      // headers arrive at once; the body never ends because the reader stops draining past the window
      Outcome<Outcome<Integer>> outer = runtime.run(cx -> {
        ClientResponse response = client.send(cx, ClientRequest.get(server.uri("/bytes?n=1000000")));
        return cx.scope(RegionPolicy.FAIL_FAST, Budget.unlimited().withDeadline(cx.now().plus(Duration.ofMillis(200))), c -> {
          response.readChunk(c);
          c.sleep(Duration.ofSeconds(30));
          return response.status();
        });
      });
      assertThat(outer.orThrow()).isInstanceOf(Outcome.Cancelled.class);
    }
  }

  /** A spawned root task's outcome is its scope's outcome: Ok(Cancelled(PARENT_CANCELLED <- USER)). */
  private static void assertCancelledByUser(TaskHandle<Outcome<ClientResponse>> caller) throws Exception {
    Outcome<ClientResponse> call = caller.outcome().orElseThrow().orThrow();
    assertThat(call).isInstanceOfSatisfying(Outcome.Cancelled.class,
        cancelled -> assertThat(cancelled.reason().root().kind()).isEqualTo(CancelKind.USER));
  }

  private static TraceEvent lastCall() {
    List<TraceEvent> calls = runtime.trace().events(e -> e.kind() == TraceKind.CLIENT_CALL, 1000);
    return calls.get(calls.size() - 1);
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(5);
    }
  }
}
