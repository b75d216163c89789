package io.asupersync.protocols.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Budget;
import io.asupersync.CancelKind;
import io.asupersync.CancelReason;
import io.asupersync.Outcome;
import io.asupersync.RegionPolicy;
import io.asupersync.Runtime;
import io.asupersync.TaskHandle;
import io.asupersync.protocols.client.CallOutcome;
import io.asupersync.protocols.client.RecordingObserver;
import io.asupersync.protocols.http.HttpResponse;
import io.asupersync.trace.TraceEvent;
import io.asupersync.trace.TraceKind;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The call observer: sees each call start and end with its status, and the metadata it adds is sent. */
@Timeout(60)
class GrpcClientObserverTests {

  static final String SERVICE = "test.Observed";
  static final MethodDescriptor<String, String> TRACEPARENT = unary("Traceparent");
  static final MethodDescriptor<String, String> MISSING = unary("Missing");
  /** Served by a plain stream route that never answers and, unlike a gRPC handler, has no deadline of its own. */
  static final MethodDescriptor<String, String> HOLD = unary("Hold");

  static final BlockingQueue<String> held = new LinkedBlockingQueue<>();
  static GrpcTestServer fixture;

  static MethodDescriptor<String, String> unary(String name) {
    return MethodDescriptor.unary(SERVICE, name, Utf8Codec.INSTANCE, Utf8Codec.INSTANCE);
  }

  @BeforeAll
  static void start() {
    GrpcService service = GrpcService.builder(SERVICE)
        .unary(TRACEPARENT, (cx, call, request) -> String.valueOf(call.requestMetadata().first("traceparent")))
        .unary(MISSING, (cx, call, request) -> {
          throw new GrpcStatusException(StatusCode.NOT_FOUND, "no such thing");
        })
        .build();
    fixture = new GrpcTestServer(
        runtime -> GrpcRouter.builder().service(service).build(),
        server -> server.streamRoute("POST", HOLD.path(), (cx, request) -> {
          held.add("held");
          cx.sleep(Duration.ofHours(1));
          return HttpResponse.ok("woke");
        }));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static GrpcClient client(RecordingObserver observer) {
    return GrpcClient.builder("127.0.0.1", fixture.port()).observer(observer).trace(fixture.runtime.trace()).build();
  }

  @Test
  void observerSeesTheCallAndTheMetadataItAddsReachesTheServer() throws Exception {
    RecordingObserver observer = new RecordingObserver();
    try (GrpcClient client = client(observer)) {
      String seen = fixture.runtime.run(cx -> client.unary(cx, TRACEPARENT, "x")).orThrow();

      assertThat(seen).isEqualTo(RecordingObserver.TRACEPARENT);
      assertThat(observer.started.poll())
          .isEqualTo("GRPC test.Observed/Traceparent http://127.0.0.1:" + fixture.port() + "/test.Observed/Traceparent");
      assertThat(observer.nextEnd()).isEqualTo(new CallOutcome.GrpcStatus(Status.OK));
      assertThat(observer.ended).isEmpty();
      assertThat(fixture.runtime.trace().events(e -> e.kind() == TraceKind.CLIENT_CALL, 1000).getLast().attributes())
          .containsEntry("result", "OK")
          .containsEntry("traceId", "0af7651916cd43dd8448eb211c80319c");
    }
  }

  @Test
  void errorStatusEndsTheCallWithThatStatus() throws Exception {
    RecordingObserver observer = new RecordingObserver();
    try (GrpcClient client = client(observer)) {
      Outcome<String> call = fixture.runtime.run(cx -> client.unary(cx, MISSING, "x"));

      assertThat(call).isInstanceOf(Outcome.Err.class);
      assertThat(observer.nextEnd()).isEqualTo(new CallOutcome.GrpcStatus(Status.of(StatusCode.NOT_FOUND, "no such thing")));
      assertThat(observer.ended).isEmpty();
    }
  }

  @Test
  void callerDeadlineEndsTheCallCancelledWithKindDeadline() throws Exception {
    RecordingObserver observer = new RecordingObserver();
    try (GrpcClient client = client(observer)) {
      Outcome<String> call = fixture.runtime.run(cx -> cx.scope(
          RegionPolicy.FAIL_FAST,
          Budget.unlimited().withDeadline(cx.now().plus(Duration.ofMillis(200))),
          c -> client.unary(c, HOLD, "x"))).orThrow();

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
    try (GrpcClient client = client(observer)) {
      TaskHandle<Outcome<String>> caller = fixture.runtime.spawn("caller", cx -> client.unary(cx, HOLD, "x"));
      assertThat(held.poll(10, TimeUnit.SECONDS)).isEqualTo("held");

      caller.cancel(CancelReason.of(CancelKind.USER, "caller gave up"));

      assertThat(observer.nextEnd()).isInstanceOfSatisfying(CallOutcome.Cancelled.class,
          cancelled -> assertThat(cancelled.reason().root().kind()).isEqualTo(CancelKind.USER));
      // the call's trace event is recorded after the observer heard the end (its attributes join it)
      Predicate<TraceEvent> heldCall = e -> e.kind() == TraceKind.CLIENT_CALL && e.attributes().get("operation").endsWith("/Hold");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (fixture.runtime.trace().events(heldCall, 1).isEmpty()) {
        assertThat(System.nanoTime()).as("CLIENT_CALL event of the held call recorded").isLessThan(deadline);
        Thread.sleep(5);
      }
      assertThat(fixture.runtime.trace().events(heldCall, 1).getLast().attributes())
          .containsEntry("result", "cancelled:PARENT_CANCELLED");
    }
  }

  @Test
  void unreachableServerEndsTheCallUnavailable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    RecordingObserver observer = new RecordingObserver();
    try (Runtime runtime = Runtime.builder().build();
        GrpcClient client = GrpcClient.builder("127.0.0.1", closedPort).observer(observer).build()) {
      runtime.run(cx -> client.unary(cx, TRACEPARENT, "x"));

      assertThat(observer.nextEnd()).isInstanceOfSatisfying(CallOutcome.GrpcStatus.class,
          ended -> assertThat(ended.status().code()).isEqualTo(StatusCode.UNAVAILABLE));
    }
  }
}
