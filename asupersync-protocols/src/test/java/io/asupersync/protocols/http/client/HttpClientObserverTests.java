package io.asupersync.protocols.http.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.Budget;
import io.asupersync.CancelKind;
import io.asupersync.CancelReason;
import io.asupersync.Outcome;
import io.asupersync.RegionPolicy;
import io.asupersync.Runtime;
import io.asupersync.TaskHandle;
import io.asupersync.protocols.client.CallOutcome;
import io.asupersync.protocols.client.RecordingObserver;
import io.asupersync.protocols.http.AsupersyncServer;
import io.asupersync.protocols.http.HttpResponse;
import io.asupersync.trace.TraceEvent;
import io.asupersync.trace.TraceKind;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The call observer: sees each call start and end with its outcome, and the headers it adds are sent. */
@Timeout(60)
class HttpClientObserverTests {

  static Runtime runtime;
  static AsupersyncServer server;
  static final BlockingQueue<String> held = new LinkedBlockingQueue<>();

  @BeforeAll
  static void start() {
    runtime = Runtime.builder().build();
    server = AsupersyncServer.builder(runtime)
        .bindAddress(InetAddress.getLoopbackAddress())
        .cleartextPort(0)
        .get("/items/{id}", (cx, request) -> HttpResponse.ok(String.valueOf(request.headers().first("traceparent"))))
        .get("/down", (cx, request) -> HttpResponse.text(503, "down"))
        .get("/hold", (cx, request) -> {
          held.add("held");
          cx.sleep(Duration.ofHours(1));
          return HttpResponse.ok("woke");
        })
        .start();
  }

  @AfterAll
  static void stop() {
    server.close();
    runtime.close();
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.cleartextPort() + path);
  }

  private static HttpClient client(RecordingObserver observer, boolean h2) throws Exception {
    return HttpClient.builder(runtime).cleartextHttp2(h2).observer(observer).build();
  }

  @ParameterizedTest(name = "h2c={0}")
  @ValueSource(booleans = {false, true})
  void observerSeesTheCallAndTheHeaderItAddsReachesTheServer(boolean h2) throws Exception {
    RecordingObserver observer = new RecordingObserver();
    try (HttpClient client = client(observer, h2)) {
      String body = runtime.run(cx -> client.send(cx, ClientRequest.get(uri("/items/42?x=1"))).string(cx)).orThrow();

      assertThat(body).isEqualTo(RecordingObserver.TRACEPARENT);
      assertThat(observer.started.poll())
          .isEqualTo("HTTP GET http://127.0.0.1:" + server.cleartextPort() + "/items/42");
      assertThat(observer.nextEnd()).isEqualTo(new CallOutcome.HttpStatus(200));
      assertThat(observer.ended).isEmpty();
      TraceEvent traced = runtime.trace().events(e -> e.kind() == TraceKind.CLIENT_CALL, 1000).getLast();
      assertThat(traced.attributes())
          .containsEntry("result", "200")
          .containsEntry("traceId", "0af7651916cd43dd8448eb211c80319c");
    }
  }

  @Test
  void errorStatusEndsTheCallWithThatStatus() throws Exception {
    RecordingObserver observer = new RecordingObserver();
    try (HttpClient client = client(observer, false)) {
      int status = runtime.run(cx -> {
        try (ClientResponse response = client.send(cx, ClientRequest.get(uri("/down")))) {
          return response.status();
        }
      }).orThrow();

      assertThat(status).isEqualTo(503);
      assertThat(observer.nextEnd()).isEqualTo(new CallOutcome.HttpStatus(503));
    }
  }

  @Test
  void callerDeadlineEndsTheCallCancelledWithKindDeadline() throws Exception {
    RecordingObserver observer = new RecordingObserver();
    try (HttpClient client = client(observer, true)) {
      Outcome<ClientResponse> call = runtime.run(cx -> cx.scope(
          RegionPolicy.FAIL_FAST,
          Budget.unlimited().withDeadline(cx.now().plus(Duration.ofMillis(200))),
          c -> client.send(c, ClientRequest.get(uri("/hold"))))).orThrow();

      assertThat(call).isInstanceOf(Outcome.Cancelled.class);
      assertThat(observer.nextEnd()).isInstanceOfSatisfying(CallOutcome.Cancelled.class,
          cancelled -> assertThat(cancelled.reason().kind()).isEqualTo(CancelKind.DEADLINE));
      assertThat(observer.ended).isEmpty();
    }
  }

  @Test
  void cancellingTheCallerEndsTheCallCancelled() throws Exception {
    RecordingObserver observer = new RecordingObserver();
    held.clear();
    try (HttpClient client = client(observer, false)) {
      TaskHandle<Outcome<ClientResponse>> caller =
          runtime.spawn("caller", cx -> client.send(cx, ClientRequest.get(uri("/hold"))));
      assertThat(held.poll(10, TimeUnit.SECONDS)).isEqualTo("held");

      caller.cancel(CancelReason.of(CancelKind.USER, "caller gave up"));

      assertThat(observer.nextEnd()).isInstanceOfSatisfying(CallOutcome.Cancelled.class,
          cancelled -> assertThat(cancelled.reason().root().kind()).isEqualTo(CancelKind.USER));
    }
  }

  @Test
  void unreachableServerEndsTheCallFailed() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    RecordingObserver observer = new RecordingObserver();
    try (HttpClient client = client(observer, false)) {
      Outcome<ClientResponse> call = runtime.run(cx -> client.send(cx, ClientRequest.get("http://127.0.0.1:" + closedPort + "/")));

      assertThat(call).isInstanceOf(Outcome.Err.class);
      assertThat(observer.nextEnd()).isInstanceOfSatisfying(CallOutcome.Failed.class,
          failed -> assertThat(failed.error()).isInstanceOf(HttpClientException.class));
    }
  }

  @Test
  void headerTheClientOwnsIsRefusedBeforeAnythingIsSent() throws Exception {
    try (HttpClient client = HttpClient.builder(runtime).observer(call -> {
      call.header("content-length", "0");
      throw new AssertionError("unreachable");
    }).build()) {
      assertThatThrownBy(() -> runtime.run(cx -> client.send(cx, ClientRequest.get(uri("/items/1")))).orThrow())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("content-length");
    }
  }
}
