package io.asupersync.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.asupersync.Budget;
import io.asupersync.CancelKind;
import io.asupersync.Outcome;
import io.asupersync.RegionPolicy;
import io.asupersync.Runtime;
import io.asupersync.TaskBody;
import io.asupersync.protocols.grpc.ClientCall;
import io.asupersync.protocols.grpc.GrpcClient;
import io.asupersync.protocols.grpc.GrpcLimits;
import io.asupersync.protocols.grpc.GrpcStatusException;
import io.asupersync.protocols.grpc.Status;
import io.asupersync.protocols.grpc.StatusCode;
import io.asupersync.protocols.http.HttpHeaders;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.EchoStatus;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingInputCallRequest;
import io.grpc.testing.integration.Messages.StreamingInputCallResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The interop cases (gRPC's interop test descriptions), run by our {@link GrpcClient} against
 * grpc-java's server serving {@link GrpcJavaTestService}, over cleartext h2c.
 */
@Timeout(60)
class AsupersyncClientInteropTests {

  private static final int LIMIT = GrpcLimits.DEFAULT_MAX_MESSAGE_BYTES;

  private static GrpcJavaTestService service;
  private static Server server;
  private static Runtime runtime;
  private static GrpcClient client;

  @BeforeAll
  static void start() throws Exception {
    service = new GrpcJavaTestService();
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(service.definition())
            .maxInboundMessageSize(2 * LIMIT)
            .build()
            .start();
    runtime = Runtime.builder().build();
    client = GrpcClient.builder("127.0.0.1", server.getPort()).build();
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    runtime.close();
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }

  private static <T> T run(TaskBody<T> body) throws Exception {
    return runtime.run(body).orThrow();
  }

  @Test
  void emptyUnary() throws Exception {
    Empty response = run(cx -> client.unary(cx, TestServiceMethods.EMPTY_CALL, Empty.getDefaultInstance()));
    assertThat(response).isEqualTo(Empty.getDefaultInstance());
  }

  @Test
  void largeUnary() throws Exception {
    SimpleResponse response = run(cx -> client.unary(cx, TestServiceMethods.UNARY_CALL, largeRequest()));
    assertThat(response.getPayload().getBody().size()).isEqualTo(314159);
    assertThat(response.getPayload().getBody()).isEqualTo(zeros(314159));
  }

  @Test
  void clientStreaming() throws Exception {
    StreamingInputCallResponse response =
        run(cx -> {
          try (ClientCall<StreamingInputCallRequest, StreamingInputCallResponse> call = client.start(cx, TestServiceMethods.STREAMING_INPUT_CALL)) {
            for (int size : new int[] {27182, 8, 1828, 45904}) {
              call.send(cx, StreamingInputCallRequest.newBuilder().setPayload(payload(size)).build());
            }
            call.halfClose();
            StreamingInputCallResponse only = call.next(cx);
            assertThat(call.next(cx)).isNull();
            return only;
          }
        });
    assertThat(response.getAggregatedPayloadSize()).isEqualTo(74922);
  }

  @Test
  void serverStreaming() throws Exception {
    List<Integer> sizes =
        run(cx -> {
          try (ClientCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call = client.start(cx, TestServiceMethods.STREAMING_OUTPUT_CALL)) {
            call.sendLast(cx, outputRequest(31415, 9, 2653, 58979).build());
            return bodySizes(cx, call);
          }
        });
    assertThat(sizes).containsExactly(31415, 9, 2653, 58979);
  }

  @Test
  void pingPong() throws Exception {
    int[] requestSizes = {27182, 8, 1828, 45904};
    int[] responseSizes = {31415, 9, 2653, 58979};
    List<Integer> sizes =
        run(cx -> {
          List<Integer> got = new ArrayList<>();
          try (ClientCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call = client.start(cx, TestServiceMethods.FULL_DUPLEX_CALL)) {
            for (int i = 0; i < 4; i++) {
              call.send(cx, outputRequest(responseSizes[i]).setPayload(payload(requestSizes[i])).build());
              StreamingOutputCallResponse response = call.next(cx);
              assertThat(response).isNotNull();
              got.add(response.getPayload().getBody().size());
            }
            call.halfClose();
            assertThat(call.next(cx)).isNull();
            assertThat(call.status()).isEqualTo(Status.OK);
          }
          return got;
        });
    assertThat(sizes).containsExactly(31415, 9, 2653, 58979);
  }

  @Test
  void emptyStream() throws Exception {
    List<Integer> sizes =
        run(cx -> {
          try (ClientCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call = client.start(cx, TestServiceMethods.FULL_DUPLEX_CALL)) {
            call.halfClose();
            return bodySizes(cx, call);
          }
        });
    assertThat(sizes).isEmpty();
  }

  @Test
  void cancelAfterBegin() throws Exception {
    service.cancelled.clear();
    Status status =
        run(cx -> {
          ClientCall<StreamingInputCallRequest, StreamingInputCallResponse> call = client.start(cx, TestServiceMethods.STREAMING_INPUT_CALL);
          call.cancel("cancel_after_begin");
          assertThatThrownBy(() -> call.next(cx)).isInstanceOfSatisfying(GrpcStatusException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.CANCELLED));
          return call.status();
        });
    assertThat(status.code()).isEqualTo(StatusCode.CANCELLED);
    assertThat(service.cancelled.poll(10, TimeUnit.SECONDS)).isEqualTo("StreamingInputCall");
  }

  @Test
  void cancelAfterFirstResponse() throws Exception {
    service.cancelled.clear();
    Status status =
        run(cx -> {
          ClientCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call = client.start(cx, TestServiceMethods.FULL_DUPLEX_CALL);
          call.send(cx, outputRequest(31415).setPayload(payload(27182)).build());
          assertThat(call.next(cx).getPayload().getBody().size()).isEqualTo(31415);
          call.cancel("cancel_after_first_response");
          return call.status();
        });
    assertThat(status.code()).isEqualTo(StatusCode.CANCELLED);
    assertThat(service.cancelled.poll(10, TimeUnit.SECONDS)).isEqualTo("FullDuplexCall");
  }

  @Test
  void cancellingTheCallerResetsTheCall() throws Exception {
    service.cancelled.clear();
    Outcome<Object> outcome =
        runtime.run(cx -> cx.scope(c -> {
          ClientCall<StreamingInputCallRequest, StreamingInputCallResponse> call = client.start(c, TestServiceMethods.STREAMING_INPUT_CALL);
          c.cancelScope("the caller gave up");
          return call.next(c);
        })).map(o -> o);
    assertThat(outcome).isInstanceOf(Outcome.Ok.class);
    Outcome<?> inner = (Outcome<?>) ((Outcome.Ok<Object>) outcome).value();
    assertThat(inner).isInstanceOfSatisfying(Outcome.Cancelled.class, c -> assertThat(c.reason().kind()).isEqualTo(CancelKind.USER));
    assertThat(service.cancelled.poll(10, TimeUnit.SECONDS)).isEqualTo("StreamingInputCall");
  }

  @Test
  void timeoutOnSleepingServer() throws Exception {
    Outcome<StreamingOutputCallResponse> outcome = sleepingCall(Duration.ofMillis(1));
    assertThat(Status.fromOutcome(outcome).code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED);
  }

  @Test
  void callerDeadlineResetsTheCallOnTheServer() throws Exception {
    emptyUnary(); // connected before the deadline starts
    service.cancelled.clear();
    Outcome<StreamingOutputCallResponse> outcome = sleepingCall(Duration.ofMillis(300));
    assertThat(outcome).isInstanceOfSatisfying(Outcome.Cancelled.class, c -> assertThat(c.reason().kind()).isEqualTo(CancelKind.DEADLINE));
    assertThat(service.cancelled.poll(10, TimeUnit.SECONDS)).isEqualTo("FullDuplexCall");
  }

  /** A FullDuplexCall that sends one request and waits for a reply that never comes, within {@code timeout}. */
  private static Outcome<StreamingOutputCallResponse> sleepingCall(Duration timeout) throws Exception {
    return runtime.run(cx -> cx.scope(RegionPolicy.FAIL_FAST, Budget.timeout(cx.now(), timeout), c -> {
          ClientCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call = client.start(c, TestServiceMethods.FULL_DUPLEX_CALL);
          call.send(c, StreamingOutputCallRequest.newBuilder().setPayload(payload(27182)).build());
          return call.next(c);
        })).orThrow();
  }

  @Test
  void sendsTheRemainingBudgetAsGrpcTimeout() throws Exception {
    service.deadlines.clear();
    run(cx -> cx.scope(RegionPolicy.FAIL_FAST, Budget.timeout(cx.now(), Duration.ofSeconds(30)), c ->
        client.unary(c, TestServiceMethods.EMPTY_CALL, Empty.getDefaultInstance())).orThrow());
    long left = service.deadlines.poll(10, TimeUnit.SECONDS).timeRemaining(TimeUnit.MILLISECONDS);
    assertThat(left).isBetween(20_000L, 30_000L);
    run(cx -> client.unary(cx, TestServiceMethods.EMPTY_CALL, Empty.getDefaultInstance()));
    assertThat(service.deadlines).isEmpty();
  }

  @Test
  void statusCodeAndMessage() throws Exception {
    EchoStatus echo = EchoStatus.newBuilder().setCode(2).setMessage("test status message").build();
    assertStatus(() -> run(cx -> client.unary(cx, TestServiceMethods.UNARY_CALL, SimpleRequest.newBuilder().setResponseStatus(echo).build())),
        StatusCode.UNKNOWN, "test status message");
    assertStatus(() -> run(cx -> {
          try (ClientCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call = client.start(cx, TestServiceMethods.FULL_DUPLEX_CALL)) {
            call.sendLast(cx, StreamingOutputCallRequest.newBuilder().setResponseStatus(echo).build());
            return call.next(cx);
          }
        }),
        StatusCode.UNKNOWN, "test status message");
  }

  @Test
  void specialStatusMessage() {
    String message = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n";
    EchoStatus echo = EchoStatus.newBuilder().setCode(2).setMessage(message).build();
    assertStatus(() -> run(cx -> client.unary(cx, TestServiceMethods.UNARY_CALL, SimpleRequest.newBuilder().setResponseStatus(echo).build())),
        StatusCode.UNKNOWN, message);
  }

  @Test
  void customMetadata() throws Exception {
    HttpHeaders metadata = HttpHeaders.of(InteropTestService.ECHO_INITIAL, "test_initial_metadata_value", InteropTestService.ECHO_TRAILING, "q6ur");
    List<HttpHeaders> seen =
        run(cx -> {
          List<HttpHeaders> got = new ArrayList<>();
          try (ClientCall<SimpleRequest, SimpleResponse> call = client.start(cx, TestServiceMethods.UNARY_CALL, metadata)) {
            call.sendLast(cx, largeRequest());
            got.add(call.headers(cx));
            assertThat(call.next(cx).getPayload().getBody().size()).isEqualTo(314159);
            assertThat(call.next(cx)).isNull();
            got.add(call.trailers());
          }
          try (ClientCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call = client.start(cx, TestServiceMethods.FULL_DUPLEX_CALL, metadata)) {
            call.sendLast(cx, outputRequest(314159).setPayload(payload(271828)).build());
            got.add(call.headers(cx));
            assertThat(bodySizes(cx, call)).containsExactly(314159);
            got.add(call.trailers());
          }
          return got;
        });
    for (int i = 0; i < 4; i += 2) {
      assertThat(seen.get(i).first(InteropTestService.ECHO_INITIAL)).isEqualTo("test_initial_metadata_value");
      assertThat(seen.get(i + 1).first(InteropTestService.ECHO_TRAILING)).isIn("q6ur", "q6ur==");
    }
  }

  @Test
  void unimplementedMethod() {
    assertStatus(() -> run(cx -> client.unary(cx, TestServiceMethods.UNIMPLEMENTED_CALL, Empty.getDefaultInstance())), StatusCode.UNIMPLEMENTED, null);
  }

  @Test
  void unimplementedService() {
    assertStatus(() -> run(cx -> client.unary(cx, TestServiceMethods.UNIMPLEMENTED_SERVICE_CALL, Empty.getDefaultInstance())), StatusCode.UNIMPLEMENTED, null);
  }

  @Test
  void responseOfExactlyTheInboundLimitIsAccepted() throws Exception {
    int size = bodySizeForResponseOf(LIMIT);
    SimpleResponse response = run(cx -> client.unary(cx, TestServiceMethods.UNARY_CALL, SimpleRequest.newBuilder().setResponseSize(size).build()));
    assertThat(response.getSerializedSize()).isEqualTo(LIMIT);
  }

  @Test
  void responseOverTheInboundLimitIsResourceExhausted() {
    int size = bodySizeForResponseOf(LIMIT + 1);
    assertStatus(() -> run(cx -> client.unary(cx, TestServiceMethods.UNARY_CALL, SimpleRequest.newBuilder().setResponseSize(size).build())),
        StatusCode.RESOURCE_EXHAUSTED, null);
  }

  @Test
  void requestOverTheOutboundLimitIsRefusedBeforeSending() {
    SimpleRequest tooLarge = SimpleRequest.newBuilder().setPayload(payload(LIMIT)).build();
    assertStatus(() -> run(cx -> client.unary(cx, TestServiceMethods.UNARY_CALL, tooLarge)), StatusCode.RESOURCE_EXHAUSTED, null);
  }

  // ---- helpers

  static SimpleRequest largeRequest() {
    return SimpleRequest.newBuilder().setResponseSize(314159).setPayload(payload(271828)).build();
  }

  static StreamingOutputCallRequest.Builder outputRequest(int... sizes) {
    StreamingOutputCallRequest.Builder b = StreamingOutputCallRequest.newBuilder();
    for (int s : sizes) {
      b.addResponseParameters(ResponseParameters.newBuilder().setSize(s));
    }
    return b;
  }

  static Payload payload(int size) {
    return Payload.newBuilder().setBody(zeros(size)).build();
  }

  static ByteString zeros(int size) {
    return ByteString.copyFrom(new byte[size]);
  }

  /** The payload body size whose SimpleResponse serializes to exactly {@code total} bytes. */
  static int bodySizeForResponseOf(int total) {
    int body = total - 10;
    while (SimpleResponse.newBuilder().setPayload(payload(body)).build().getSerializedSize() > total) {
      body--;
    }
    assertThat(SimpleResponse.newBuilder().setPayload(payload(body)).build().getSerializedSize()).isEqualTo(total);
    return body;
  }

  private static List<Integer> bodySizes(io.asupersync.Cx cx, ClientCall<?, StreamingOutputCallResponse> call) throws GrpcStatusException {
    List<Integer> sizes = new ArrayList<>();
    for (StreamingOutputCallResponse r = call.next(cx); r != null; r = call.next(cx)) {
      sizes.add(r.getPayload().getBody().size());
    }
    return sizes;
  }

  private static void assertStatus(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, StatusCode code, String message) {
    assertThatThrownBy(call).isInstanceOfSatisfying(GrpcStatusException.class, e -> {
      assertThat(e.code()).isEqualTo(code);
      if (message != null) {
        assertThat(e.status().message()).isEqualTo(message);
      }
    });
  }
}
