package io.asupersync.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.Runtime;
import io.asupersync.protocols.grpc.GrpcLimits;
import io.asupersync.protocols.grpc.GrpcRouter;
import io.asupersync.protocols.http.AsupersyncServer;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.EchoStatus;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingInputCallRequest;
import io.grpc.testing.integration.Messages.StreamingInputCallResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceGrpc;
import io.grpc.testing.integration.UnimplementedServiceGrpc;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The interop cases (gRPC's interop test descriptions), run by grpc-java's real client
 * (grpc-netty-shaded) against our server serving {@link InteropTestService}, over cleartext h2c.
 */
@Timeout(60)
class GrpcJavaClientInteropTests {

  private static final int LIMIT = GrpcLimits.DEFAULT_MAX_MESSAGE_BYTES;
  private static final Metadata.Key<String> ECHO_INITIAL = GrpcJavaTestService.ECHO_INITIAL;
  private static final Metadata.Key<byte[]> ECHO_TRAILING = GrpcJavaTestService.ECHO_TRAILING;

  private static Runtime runtime;
  private static AsupersyncServer server;
  private static ManagedChannel channel;
  private static TestServiceGrpc.TestServiceBlockingStub blocking;
  private static TestServiceGrpc.TestServiceStub async;

  @BeforeAll
  static void start() throws Exception {
    runtime = Runtime.builder().build();
    GrpcRouter router = GrpcRouter.builder().service(InteropTestService.create()).build();
    server = router.installOn(AsupersyncServer.builder(runtime).bindAddress(InetAddress.getLoopbackAddress()).cleartextPort(0)).start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.cleartextPort()).usePlaintext().maxInboundMessageSize(2 * LIMIT).build();
    blocking = TestServiceGrpc.newBlockingStub(channel);
    async = TestServiceGrpc.newStub(channel);
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    server.close();
    runtime.close();
  }

  @Test
  void emptyUnary() {
    assertThat(blocking.emptyCall(Empty.getDefaultInstance())).isEqualTo(Empty.getDefaultInstance());
  }

  @Test
  void largeUnary() {
    SimpleResponse response = blocking.unaryCall(AsupersyncClientInteropTests.largeRequest());
    assertThat(response.getPayload().getBody()).isEqualTo(AsupersyncClientInteropTests.zeros(314159));
  }

  @Test
  void clientStreaming() throws Exception {
    Recorder<StreamingInputCallResponse> responses = new Recorder<>();
    StreamObserver<StreamingInputCallRequest> requests = async.streamingInputCall(responses);
    for (int size : new int[] {27182, 8, 1828, 45904}) {
      requests.onNext(StreamingInputCallRequest.newBuilder().setPayload(AsupersyncClientInteropTests.payload(size)).build());
    }
    requests.onCompleted();
    assertThat(responses.awaitCompletion()).isEqualTo(Status.Code.OK);
    assertThat(responses.values).singleElement().satisfies(r -> assertThat(r.getAggregatedPayloadSize()).isEqualTo(74922));
  }

  @Test
  void serverStreaming() {
    List<Integer> sizes = new ArrayList<>();
    Iterator<StreamingOutputCallResponse> responses =
        blocking.streamingOutputCall(AsupersyncClientInteropTests.outputRequest(31415, 9, 2653, 58979).build());
    responses.forEachRemaining(r -> sizes.add(r.getPayload().getBody().size()));
    assertThat(sizes).containsExactly(31415, 9, 2653, 58979);
  }

  @Test
  void pingPong() throws Exception {
    int[] requestSizes = {27182, 8, 1828, 45904};
    int[] responseSizes = {31415, 9, 2653, 58979};
    Recorder<StreamingOutputCallResponse> responses = new Recorder<>();
    StreamObserver<StreamingOutputCallRequest> requests = async.fullDuplexCall(responses);
    for (int i = 0; i < 4; i++) {
      requests.onNext(AsupersyncClientInteropTests.outputRequest(responseSizes[i]).setPayload(AsupersyncClientInteropTests.payload(requestSizes[i])).build());
      StreamingOutputCallResponse response = responses.queue.poll(10, TimeUnit.SECONDS);
      assertThat(response).as("reply %d", i).isNotNull();
      assertThat(response.getPayload().getBody().size()).isEqualTo(responseSizes[i]);
    }
    requests.onCompleted();
    assertThat(responses.awaitCompletion()).isEqualTo(Status.Code.OK);
  }

  @Test
  void emptyStream() throws Exception {
    Recorder<StreamingOutputCallResponse> responses = new Recorder<>();
    async.fullDuplexCall(responses).onCompleted();
    assertThat(responses.awaitCompletion()).isEqualTo(Status.Code.OK);
    assertThat(responses.values).isEmpty();
  }

  @Test
  void cancelAfterBegin() throws Exception {
    Recorder<StreamingInputCallResponse> responses = new Recorder<>();
    ClientCall<StreamingInputCallRequest, StreamingInputCallResponse> call =
        channel.newCall(TestServiceGrpc.getStreamingInputCallMethod(), CallOptions.DEFAULT);
    StreamObserver<StreamingInputCallRequest> requests = ClientCalls.asyncClientStreamingCall(call, responses);
    requests.onError(new IllegalStateException("cancel_after_begin"));
    assertThat(responses.awaitCompletion()).isEqualTo(Status.Code.CANCELLED);
    awaitNoCallsInFlight();
  }

  @Test
  void cancelAfterFirstResponse() throws Exception {
    Recorder<StreamingOutputCallResponse> responses = new Recorder<>();
    StreamObserver<StreamingOutputCallRequest> requests = async.fullDuplexCall(responses);
    requests.onNext(AsupersyncClientInteropTests.outputRequest(31415).setPayload(AsupersyncClientInteropTests.payload(27182)).build());
    assertThat(responses.queue.poll(10, TimeUnit.SECONDS).getPayload().getBody().size()).isEqualTo(31415);
    requests.onError(new IllegalStateException("cancel_after_first_response"));
    assertThat(responses.awaitCompletion()).isEqualTo(Status.Code.CANCELLED);
    awaitNoCallsInFlight();
  }

  @Test
  void timeoutOnSleepingServer() throws Exception {
    Recorder<StreamingOutputCallResponse> responses = new Recorder<>();
    StreamObserver<StreamingOutputCallRequest> requests = async.withDeadlineAfter(1, TimeUnit.MILLISECONDS).fullDuplexCall(responses);
    requests.onNext(StreamingOutputCallRequest.newBuilder().setPayload(AsupersyncClientInteropTests.payload(27182)).build());
    assertThat(responses.awaitCompletion()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    awaitNoCallsInFlight();
  }

  @Test
  void statusCodeAndMessage() throws Exception {
    EchoStatus echo = EchoStatus.newBuilder().setCode(2).setMessage("test status message").build();
    assertThatThrownBy(() -> blocking.unaryCall(SimpleRequest.newBuilder().setResponseStatus(echo).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN);
          assertThat(e.getStatus().getDescription()).isEqualTo("test status message");
        });
    Recorder<StreamingOutputCallResponse> responses = new Recorder<>();
    StreamObserver<StreamingOutputCallRequest> requests = async.fullDuplexCall(responses);
    requests.onNext(StreamingOutputCallRequest.newBuilder().setResponseStatus(echo).build());
    requests.onCompleted();
    assertThat(responses.awaitCompletion()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(responses.status.get().getDescription()).isEqualTo("test status message");
  }

  @Test
  void specialStatusMessage() {
    String message = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n";
    EchoStatus echo = EchoStatus.newBuilder().setCode(2).setMessage(message).build();
    assertThatThrownBy(() -> blocking.unaryCall(SimpleRequest.newBuilder().setResponseStatus(echo).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN);
          assertThat(e.getStatus().getDescription()).isEqualTo(message);
        });
  }

  @Test
  void customMetadata() throws Exception {
    Metadata metadata = new Metadata();
    metadata.put(ECHO_INITIAL, "test_initial_metadata_value");
    metadata.put(ECHO_TRAILING, new byte[] {(byte) 0xab, (byte) 0xab, (byte) 0xab});
    AtomicReference<Metadata> headers = new AtomicReference<>();
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    TestServiceGrpc.TestServiceBlockingStub stub =
        blocking.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata), MetadataUtils.newCaptureMetadataInterceptor(headers, trailers));
    assertThat(stub.unaryCall(AsupersyncClientInteropTests.largeRequest()).getPayload().getBody().size()).isEqualTo(314159);
    assertEchoed(headers.get(), trailers.get());

    headers.set(null);
    trailers.set(null);
    Recorder<StreamingOutputCallResponse> responses = new Recorder<>();
    StreamObserver<StreamingOutputCallRequest> requests =
        async.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata), MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
            .fullDuplexCall(responses);
    requests.onNext(AsupersyncClientInteropTests.outputRequest(314159).setPayload(AsupersyncClientInteropTests.payload(271828)).build());
    requests.onCompleted();
    assertThat(responses.awaitCompletion()).isEqualTo(Status.Code.OK);
    assertThat(responses.values).singleElement().satisfies(r -> assertThat(r.getPayload().getBody().size()).isEqualTo(314159));
    assertEchoed(headers.get(), trailers.get());
  }

  private static void assertEchoed(Metadata headers, Metadata trailers) {
    assertThat(headers.get(ECHO_INITIAL)).isEqualTo("test_initial_metadata_value");
    assertThat(trailers.get(ECHO_TRAILING)).containsExactly(0xab, 0xab, 0xab);
  }

  @Test
  void unimplementedMethod() {
    assertThatThrownBy(() -> blocking.unimplementedCall(Empty.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
  }

  @Test
  void unimplementedService() {
    assertThatThrownBy(() -> UnimplementedServiceGrpc.newBlockingStub(channel).unimplementedCall(Empty.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
  }

  @Test
  void requestOfExactlyTheLimitIsAccepted() {
    SimpleRequest request = SimpleRequest.newBuilder().setPayload(AsupersyncClientInteropTests.payload(LIMIT - 16)).build();
    SimpleRequest exact = request.toBuilder().setPayload(AsupersyncClientInteropTests.payload(LIMIT - 16 - (request.getSerializedSize() - LIMIT))).build();
    assertThat(exact.getSerializedSize()).isEqualTo(LIMIT);
    assertThat(blocking.unaryCall(exact).hasPayload()).isFalse();
  }

  @Test
  void requestOverTheLimitIsResourceExhausted() {
    SimpleRequest tooLarge = SimpleRequest.newBuilder().setPayload(AsupersyncClientInteropTests.payload(LIMIT)).build();
    assertThatThrownBy(() -> blocking.unaryCall(tooLarge))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
  }

  @Test
  void responseOfExactlyTheLimitIsSent() {
    int size = AsupersyncClientInteropTests.bodySizeForResponseOf(LIMIT);
    assertThat(blocking.unaryCall(SimpleRequest.newBuilder().setResponseSize(size).build()).getSerializedSize()).isEqualTo(LIMIT);
  }

  @Test
  void responseOverTheLimitIsResourceExhaustedAndNotSent() {
    int size = AsupersyncClientInteropTests.bodySizeForResponseOf(LIMIT + 1);
    assertThatThrownBy(() -> blocking.unaryCall(SimpleRequest.newBuilder().setResponseSize(size).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
  }

  @Test
  void streamedResponseOverTheLimitEndsTheStreamResourceExhausted() {
    Iterator<StreamingOutputCallResponse> responses =
        blocking.streamingOutputCall(AsupersyncClientInteropTests.outputRequest(10, LIMIT).build());
    assertThat(responses.next().getPayload().getBody().size()).isEqualTo(10);
    assertThatThrownBy(responses::next)
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
  }

  /** The server drained the call: its request region closed (cancellation reached the handler). */
  private static void awaitNoCallsInFlight() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.inFlight() > 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      TimeUnit.MILLISECONDS.sleep(5);
    }
    assertThat(server.inFlight()).as("calls in flight on the server").isZero();
  }

  /** A response observer that records what arrived and how the call ended. */
  static final class Recorder<T> implements StreamObserver<T> {
    final BlockingQueue<T> queue = new LinkedBlockingQueue<>();
    final List<T> values = new ArrayList<>();
    final AtomicReference<Status> status = new AtomicReference<>();
    private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);

    @Override
    public synchronized void onNext(T value) {
      values.add(value);
      queue.add(value);
    }

    @Override
    public void onError(Throwable t) {
      status.set(Status.fromThrowable(t));
      done.countDown();
    }

    @Override
    public void onCompleted() {
      status.set(Status.OK);
      done.countDown();
    }

    Status.Code awaitCompletion() throws InterruptedException {
      assertThat(done.await(20, TimeUnit.SECONDS)).as("call completed").isTrue();
      return status.get().getCode();
    }
  }
}
