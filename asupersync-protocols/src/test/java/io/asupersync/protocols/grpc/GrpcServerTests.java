package io.asupersync.protocols.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.Budget;
import io.asupersync.CancelKind;
import io.asupersync.CancelledException;
import io.asupersync.Outcome;
import io.asupersync.RegionPolicy;
import io.asupersync.TaskBody;
import io.asupersync.protocols.http.HttpHeaders;
import io.asupersync.trace.TraceKind;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The gRPC server on a real port: call shapes, the call region, status mapping, limits and the wire form of answers. */
@Timeout(60)
class GrpcServerTests {

  static final String SERVICE = "test.Probe";
  static final int LIMIT = 64 * 1024;

  static final MethodDescriptor<String, String> ECHO = unary("Echo");
  static final MethodDescriptor<String, String> SLEEP = unary("Sleep");
  static final MethodDescriptor<String, String> PANIC = unary("Panic");
  static final MethodDescriptor<String, String> CHECKED = unary("Checked");
  static final MethodDescriptor<String, String> QUOTA = unary("Quota");
  static final MethodDescriptor<String, String> DEADLINE = unary("Deadline");
  static final MethodDescriptor<String, String> BIG = unary("Big");
  static final MethodDescriptor<String, String> COUNT =
      MethodDescriptor.serverStreaming(SERVICE, "Count", Utf8Codec.INSTANCE, Utf8Codec.INSTANCE);
  static final MethodDescriptor<String, String> FAIL_FIRST =
      MethodDescriptor.serverStreaming(SERVICE, "FailFirst", Utf8Codec.INSTANCE, Utf8Codec.INSTANCE);
  static final MethodDescriptor<String, String> COLLECT =
      MethodDescriptor.clientStreaming(SERVICE, "Collect", Utf8Codec.INSTANCE, Utf8Codec.INSTANCE);
  static final MethodDescriptor<String, String> CHAT =
      MethodDescriptor.bidiStreaming(SERVICE, "Chat", Utf8Codec.INSTANCE, Utf8Codec.INSTANCE);
  static final MethodDescriptor<String, String> HOLD =
      MethodDescriptor.bidiStreaming(SERVICE, "Hold", Utf8Codec.INSTANCE, Utf8Codec.INSTANCE);

  /** What the handlers saw that the client cannot: starts and cancellations. */
  static final BlockingQueue<String> events = new LinkedBlockingQueue<>();

  static GrpcTestServer fixture;
  static GrpcHealth health;
  static GrpcTestServer capped;

  static MethodDescriptor<String, String> unary(String name) {
    return MethodDescriptor.unary(SERVICE, name, Utf8Codec.INSTANCE, Utf8Codec.INSTANCE);
  }

  static GrpcService probe() {
    return GrpcService.builder(SERVICE)
        .unary(ECHO, (cx, call, request) -> request)
        .unary(SLEEP, (cx, call, request) -> {
          try {
            cx.sleep(Duration.ofHours(1));
          } catch (CancelledException e) {
            events.add("sleep cancelled " + e.reason().kind());
            throw e;
          }
          return "woke";
        })
        .unary(PANIC, (cx, call, request) -> {
          throw new IllegalStateException("bug with a secret inside");
        })
        .unary(CHECKED, (cx, call, request) -> {
          throw new IOException("disk on fire");
        })
        .unary(QUOTA, (cx, call, request) ->
            cx.<String>scope(RegionPolicy.FAIL_FAST, Budget.unlimited().withPollQuota(5), c -> {
              while (true) {
                c.checkpoint();
              }
            }).orThrow())
        .unary(DEADLINE, (cx, call, request) -> {
          Instant deadline = call.deadline();
          assertThat(cx.budget().deadline()).isEqualTo(deadline);
          return deadline == null ? "none" : Long.toString(Duration.between(cx.now(), deadline).toMillis());
        })
        .unary(BIG, (cx, call, request) -> "x".repeat(Integer.parseInt(request)))
        .serverStreaming(COUNT, (cx, call, request, responses) -> {
          call.addHeader("x-count", request);
          for (int i = 0; i < Integer.parseInt(request); i++) {
            responses.send(cx, Integer.toString(i));
          }
          call.addTrailer("x-sent", request);
        })
        .serverStreaming(FAIL_FIRST, (cx, call, request, responses) -> {
          throw new GrpcStatusException(Status.of(StatusCode.NOT_FOUND, "nothing ☺ here"), HttpHeaders.of("x-why", "absent"));
        })
        .clientStreaming(COLLECT, (cx, call, requests) -> {
          StringBuilder all = new StringBuilder();
          for (String r = requests.next(cx); r != null; r = requests.next(cx)) {
            all.append(r);
          }
          return all.toString();
        })
        .bidiStreaming(CHAT, (cx, call, requests, responses) -> {
          for (String r = requests.next(cx); r != null; r = requests.next(cx)) {
            responses.send(cx, r.toUpperCase(java.util.Locale.ROOT));
          }
        })
        .bidiStreaming(HOLD, (cx, call, requests, responses) -> {
          cx.spawn("held child", c -> {
            try {
              events.add("child started");
              c.sleep(Duration.ofHours(1));
            } catch (CancelledException e) {
              events.add("child cancelled");
              throw e;
            }
            return null;
          });
          requests.next(cx);
        })
        .build();
  }

  @BeforeAll
  static void start() {
    health = GrpcHealth.create();
    health.setStatus(SERVICE, GrpcHealth.ServingStatus.SERVING);
    fixture = new GrpcTestServer(runtime -> GrpcRouter.builder()
        .service(probe())
        .service(health.service())
        .limits(GrpcLimits.defaults().withMaxInboundMessageBytes(LIMIT).withMaxOutboundMessageBytes(LIMIT))
        .trace(runtime.trace())
        .build());
    capped = new GrpcTestServer(runtime -> GrpcRouter.builder().service(probe()).limits(GrpcLimits.defaults().withMaxTimeout(Duration.ofMillis(100))).build());
  }

  @AfterAll
  static void stop() {
    fixture.close();
    capped.close();
  }

  private static <T> T run(TaskBody<T> body) throws Exception {
    return fixture.runtime.run(body).orThrow();
  }

  private static String call(MethodDescriptor<String, String> method, String request) throws Exception {
    return run(cx -> fixture.client.unary(cx, method, request));
  }

  private static void assertStatus(ThrowingCallable call, StatusCode code) {
    assertThatThrownBy(call).isInstanceOfSatisfying(GrpcStatusException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  // ---- call shapes

  @Test
  void unaryCallReturnsTheHandlersResponse() throws Exception {
    assertThat(call(ECHO, "héllo")).isEqualTo("héllo");
  }

  @Test
  void serverStreamingSendsEveryMessageThenOkWithMetadata() throws Exception {
    List<Object> seen = run(cx -> {
      List<Object> got = new ArrayList<>();
      try (ClientCall<String, String> c = fixture.client.start(cx, COUNT)) {
        c.sendLast(cx, "3");
        got.add(c.headers(cx).first("x-count"));
        for (String r = c.next(cx); r != null; r = c.next(cx)) {
          got.add(r);
        }
        got.add(c.trailers().first("x-sent"));
        got.add(c.status());
      }
      return got;
    });
    assertThat(seen).containsExactly("3", "0", "1", "2", "3", Status.OK);
  }

  @Test
  void clientStreamingReadsUntilTheHalfClose() throws Exception {
    String all = run(cx -> {
      try (ClientCall<String, String> c = fixture.client.start(cx, COLLECT)) {
        for (String part : new String[] {"a", "", "bc"}) {
          c.send(cx, part);
        }
        c.halfClose();
        return c.next(cx);
      }
    });
    assertThat(all).isEqualTo("abc");
  }

  @Test
  void bidiAnswersEachMessageAsItArrives() throws Exception {
    List<String> replies = run(cx -> {
      List<String> got = new ArrayList<>();
      try (ClientCall<String, String> c = fixture.client.start(cx, CHAT)) {
        for (String word : new String[] {"ping", "pong"}) {
          c.send(cx, word);
          got.add(c.next(cx));
        }
        c.halfClose();
        assertThat(c.next(cx)).isNull();
      }
      return got;
    });
    assertThat(replies).containsExactly("PING", "PONG");
  }

  @Test
  void gzipRequestsAreInflated() throws Exception {
    try (GrpcClient gzip = GrpcClient.builder("127.0.0.1", fixture.port()).gzipRequests(true).build()) {
      String big = "compressible ".repeat(1000);
      assertThat(fixture.runtime.run(cx -> gzip.unary(cx, ECHO, big)).orThrow()).isEqualTo(big);
    }
  }

  // ---- outcome → status

  @Test
  void panickingHandlerIsInternalInATrailersOnlyAnswerNotAnHttp500() throws Exception {
    try (GrpcWire wire = GrpcWire.connect(fixture.port())) {
      wire.headers(1, GrpcWire.call(PANIC.path()), false);
      wire.data(1, GrpcWire.message(0, "x".getBytes(StandardCharsets.UTF_8)), true);
      GrpcWire.Answer answer = wire.answer(1);
      assertThat(answer.trailersOnly()).isTrue();
      assertThat(answer.last().status()).hasToString("200");
      assertThat(answer.grpcStatus()).isEqualTo("13");
      assertThat(String.valueOf(answer.last().get("grpc-message"))).doesNotContain("secret");
    }
  }

  @Test
  void undeclaredCheckedExceptionIsUnknown() {
    assertStatus(() -> call(CHECKED, "x"), StatusCode.UNKNOWN);
  }

  @Test
  void spentPollQuotaIsResourceExhausted() {
    assertStatus(() -> call(QUOTA, "x"), StatusCode.RESOURCE_EXHAUSTED);
  }

  @Test
  void statusExceptionBeforeAnyMessageIsTrailersOnlyWithItsMessageAndTrailers() throws Exception {
    try (GrpcWire wire = GrpcWire.connect(fixture.port())) {
      wire.headers(1, GrpcWire.call(FAIL_FIRST.path()), false);
      wire.data(1, GrpcWire.message(0, new byte[0]), true);
      GrpcWire.Answer answer = wire.answer(1);
      assertThat(answer.trailersOnly()).isTrue();
      assertThat(answer.grpcStatus()).isEqualTo("5");
      assertThat(String.valueOf(answer.last().get("grpc-message"))).isEqualTo("nothing %E2%98%BA here");
      assertThat(String.valueOf(answer.last().get("x-why"))).isEqualTo("absent");
      assertThat(String.valueOf(answer.last().get("content-type"))).isEqualTo("application/grpc");
    }
    assertThatThrownBy(() -> run(cx -> {
          try (ClientCall<String, String> c = fixture.client.start(cx, FAIL_FIRST)) {
            c.sendLast(cx, "");
            return c.next(cx);
          }
        }))
        .isInstanceOfSatisfying(GrpcStatusException.class, e -> {
          assertThat(e.status()).isEqualTo(Status.of(StatusCode.NOT_FOUND, "nothing ☺ here"));
          assertThat(e.trailers().first("x-why")).isEqualTo("absent");
        });
  }

  // ---- the call region

  @Test
  void serverTimeoutCapEndsTheCallDeadlineExceeded() throws Exception {
    events.clear();
    assertThatThrownBy(() -> capped.runtime.run(cx -> capped.client.unary(cx, SLEEP, "x")).orThrow())
        .isInstanceOfSatisfying(GrpcStatusException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED));
    assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("sleep cancelled DEADLINE");
  }

  @Test
  void clientDeadlineBecomesTheHandlersBudget() throws Exception {
    String left = run(cx -> cx.scope(RegionPolicy.FAIL_FAST, Budget.timeout(cx.now(), Duration.ofSeconds(30)), c -> fixture.client.unary(c, DEADLINE, "")).orThrow());
    assertThat(Long.parseLong(left)).isBetween(20_000L, 30_000L);
    assertThat(call(DEADLINE, "")).isEqualTo("none");
  }

  @Test
  void clientResetCancelsTheCallRegionWithItsTasks() throws Exception {
    events.clear();
    Outcome<String> outcome = fixture.runtime.run(cx -> {
      ClientCall<String, String> c = fixture.client.start(cx, HOLD);
      assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("child started");
      c.cancel("client gives up");
      return c.next(cx);
    });
    assertThat(outcome).isInstanceOfSatisfying(Outcome.Err.class, e -> assertThat(((GrpcStatusException) e.error()).code()).isEqualTo(StatusCode.CANCELLED));
    assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("child cancelled");
    awaitNoCallsInFlight(fixture);
  }

  @Test
  void cancelledCallerEndsCancelledAndTheServerDrainsTheCall() throws Exception {
    events.clear();
    call(ECHO, "connect first, so that the deadline below is spent on the call");
    Outcome<String> outcome = fixture.runtime.run(cx -> cx.scope(RegionPolicy.FAIL_FAST, Budget.timeout(cx.now(), Duration.ofMillis(200)), c -> fixture.client.unary(c, SLEEP, "x")).orThrow());
    assertThat(outcome).isInstanceOfSatisfying(Outcome.Cancelled.class, c -> assertThat(c.reason().kind()).isEqualTo(CancelKind.DEADLINE));
    assertThat(Status.fromOutcome(outcome).code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED);
    assertThat(events.poll(10, TimeUnit.SECONDS)).startsWith("sleep cancelled");
    awaitNoCallsInFlight(fixture);
  }

  static void awaitNoCallsInFlight(GrpcTestServer server) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.server.inFlight() > 0 && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(5);
    }
    assertThat(server.server.inFlight()).as("calls in flight").isZero();
  }

  // ---- answers before the handler

  @Test
  void unknownServiceAndMethodAreUnimplementedTrailersOnly() throws Exception {
    try (GrpcWire wire = GrpcWire.connect(fixture.port())) {
      wire.headers(1, GrpcWire.call("/no.Such/Method"), true);
      wire.headers(3, GrpcWire.call("/" + SERVICE + "/NoSuchMethod"), true);
      for (int stream : new int[] {1, 3}) {
        GrpcWire.Answer answer = wire.answer(stream);
        assertThat(answer.trailersOnly()).isTrue();
        assertThat(answer.grpcStatus()).isEqualTo("12");
      }
    }
  }

  @Test
  void malformedTimeoutIsInternalTrailersOnly() throws Exception {
    for (String bad : new String[] {"123456789S", "1s", "-1S", "1.5S", "S"}) {
      try (GrpcWire wire = GrpcWire.connect(fixture.port())) {
        wire.headers(1, GrpcWire.call(ECHO.path()).add("grpc-timeout", bad), false);
        wire.data(1, GrpcWire.message(0, new byte[] {'x'}), true);
        GrpcWire.Answer answer = wire.answer(1);
        assertThat(answer.trailersOnly()).as(bad).isTrue();
        assertThat(answer.grpcStatus()).as(bad).isEqualTo("13");
      }
    }
    assertThat(fixture.runtime.trace().events(e -> e.kind() == TraceKind.PROTOCOL_ERROR && "grpc".equals(e.attributes().get("protocol")), 100))
        .anySatisfy(e -> assertThat(e.attributes()).containsEntry("reason", "malformed grpc-timeout").containsEntry("route", ECHO.fullName()));
  }

  @Test
  void zeroTimeoutIsDeadlineExceededOnArrival() throws Exception {
    try (GrpcWire wire = GrpcWire.connect(fixture.port())) {
      wire.headers(1, GrpcWire.call(ECHO.path()).add("grpc-timeout", "0n"), true);
      assertThat(wire.answer(1).grpcStatus()).isEqualTo("4");
    }
  }

  @Test
  void nonGrpcContentTypeIs415() throws Exception {
    try (GrpcWire wire = GrpcWire.connect(fixture.port())) {
      Http2Headers head = GrpcWire.call(ECHO.path());
      head.set("content-type", "application/json");
      wire.headers(1, head, true);
      GrpcWire.Answer answer = wire.answer(1);
      assertThat(answer.headerBlocks().get(0).status()).hasToString("415");
    }
  }

  @Test
  void requestMetadataOverTheLimitIsResourceExhausted() {
    HttpHeaders big = HttpHeaders.of("x-big", "v".repeat(GrpcLimits.DEFAULT_MAX_METADATA_BYTES));
    assertStatus(() -> run(cx -> fixture.client.unary(cx, ECHO, "x", big)), StatusCode.RESOURCE_EXHAUSTED);
  }

  // ---- messages

  @Test
  void compressedMessageInAnUnknownEncodingIsUnimplemented() throws Exception {
    try (GrpcWire wire = GrpcWire.connect(fixture.port())) {
      wire.headers(1, GrpcWire.call(ECHO.path()).add("grpc-encoding", "snappy"), false);
      wire.data(1, GrpcWire.message(1, new byte[] {1, 2, 3}), true);
      GrpcWire.Answer answer = wire.answer(1);
      assertThat(answer.grpcStatus()).isEqualTo("12");
      assertThat(String.valueOf(answer.last().get("grpc-accept-encoding"))).contains("gzip");
    }
  }

  @Test
  void requestOverTheLimitIsResourceExhausted() throws Exception {
    assertThat(call(ECHO, "x".repeat(LIMIT))).hasSize(LIMIT);
    try (GrpcWire wire = GrpcWire.connect(fixture.port())) {
      wire.headers(1, GrpcWire.call(ECHO.path()), false);
      wire.data(1, java.nio.ByteBuffer.allocate(5).put((byte) 0).putInt(LIMIT + 1).array(), false);
      assertThat(wire.answer(1).grpcStatus()).isEqualTo("8");
    }
  }

  @Test
  void responseOverTheLimitIsResourceExhaustedAndNotSent() throws Exception {
    try (GrpcWire wire = GrpcWire.connect(fixture.port())) {
      wire.headers(1, GrpcWire.call(BIG.path()), false);
      wire.data(1, GrpcWire.message(0, Integer.toString(LIMIT + 1).getBytes(StandardCharsets.US_ASCII)), true);
      GrpcWire.Answer answer = wire.answer(1);
      assertThat(answer.grpcStatus()).isEqualTo("8");
      assertThat(answer.data()).isEmpty();
    }
    assertThat(fixture.runtime.trace().events(e -> e.kind() == TraceKind.LIMIT_EXCEEDED && "grpc".equals(e.attributes().get("protocol")), 100))
        .anySatisfy(e -> assertThat(e.attributes()).containsEntry("route", BIG.fullName()));
  }

  @Test
  void truncatedMessageAtEndOfStreamIsInternal() throws Exception {
    try (GrpcWire wire = GrpcWire.connect(fixture.port())) {
      wire.headers(1, GrpcWire.call(ECHO.path()), false);
      wire.data(1, new byte[] {0, 0, 0, 0, 9, 'a'}, true);
      assertThat(wire.answer(1).grpcStatus()).isEqualTo("13");
    }
  }

  @Test
  void secondRequestToAUnaryMethodIsInternal() throws Exception {
    try (GrpcWire wire = GrpcWire.connect(fixture.port())) {
      wire.headers(1, GrpcWire.call(ECHO.path()), false);
      wire.data(1, GrpcWire.message(0, new byte[] {'a'}), false);
      wire.data(1, GrpcWire.message(0, new byte[] {'b'}), true);
      assertThat(wire.answer(1).grpcStatus()).isEqualTo("13");
    }
  }

  // ---- health

  @Test
  void healthCheckReportsTheServerRegisteredServicesAndNotFound() throws Exception {
    GrpcHealth.ServingStatus server = run(cx -> fixture.client.unary(cx, GrpcHealth.CHECK, ""));
    GrpcHealth.ServingStatus service = run(cx -> fixture.client.unary(cx, GrpcHealth.CHECK, SERVICE));
    assertThat(server).isEqualTo(GrpcHealth.ServingStatus.SERVING);
    assertThat(service).isEqualTo(GrpcHealth.ServingStatus.SERVING);
    assertStatus(() -> run(cx -> fixture.client.unary(cx, GrpcHealth.CHECK, "no.Such")), StatusCode.NOT_FOUND);
  }

  @Test
  void healthWatchSendsTheStatusNowThenEachChange() throws Exception {
    String watched = "test.Watched";
    List<GrpcHealth.ServingStatus> seen = run(cx -> {
      List<GrpcHealth.ServingStatus> got = new ArrayList<>();
      try (ClientCall<String, GrpcHealth.ServingStatus> watch = fixture.client.start(cx, GrpcHealth.WATCH)) {
        watch.sendLast(cx, watched);
        got.add(watch.next(cx));
        health.setStatus(watched, GrpcHealth.ServingStatus.SERVING);
        got.add(watch.next(cx));
        health.setStatus("test.Other", GrpcHealth.ServingStatus.NOT_SERVING);
        health.setStatus(watched, GrpcHealth.ServingStatus.NOT_SERVING);
        got.add(watch.next(cx));
        health.clearStatus(watched);
        got.add(watch.next(cx));
      }
      return got;
    });
    assertThat(seen).containsExactly(
        GrpcHealth.ServingStatus.SERVICE_UNKNOWN, GrpcHealth.ServingStatus.SERVING, GrpcHealth.ServingStatus.NOT_SERVING, GrpcHealth.ServingStatus.SERVICE_UNKNOWN);
  }
}
