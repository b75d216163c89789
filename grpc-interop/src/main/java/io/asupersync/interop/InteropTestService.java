package io.asupersync.interop;

import com.google.protobuf.ByteString;
import io.asupersync.Cx;
import io.asupersync.protocols.grpc.GrpcService;
import io.asupersync.protocols.grpc.GrpcStatusException;
import io.asupersync.protocols.grpc.MessageReader;
import io.asupersync.protocols.grpc.MessageWriter;
import io.asupersync.protocols.grpc.ServerCall;
import io.asupersync.protocols.grpc.Status;
import io.asupersync.protocols.grpc.StatusCode;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.EchoStatus;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.PayloadType;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingInputCallRequest;
import io.grpc.testing.integration.Messages.StreamingInputCallResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The interop server features of {@code grpc.testing.TestService} (gRPC's interop test descriptions):
 * EmptyCall, UnaryCall, StreamingOutputCall, StreamingInputCall, FullDuplexCall, HalfDuplexCall, Echo
 * Status, Echo Metadata and {@code interval_us}. {@code UnimplementedCall} is left unregistered, so it
 * answers {@code UNIMPLEMENTED} like any unknown method. Compressed responses are not offered.
 */
public final class InteropTestService {

  static final String ECHO_INITIAL = "x-grpc-test-echo-initial";
  static final String ECHO_TRAILING = "x-grpc-test-echo-trailing-bin";

  private InteropTestService() {}

  /** The service, ready to register on a server. */
  public static GrpcService create() {
    return GrpcService.builder(TestServiceMethods.SERVICE)
        .unary(TestServiceMethods.EMPTY_CALL, (cx, call, request) -> Empty.getDefaultInstance())
        .unary(TestServiceMethods.UNARY_CALL, InteropTestService::unaryCall)
        .serverStreaming(TestServiceMethods.STREAMING_OUTPUT_CALL, InteropTestService::streamingOutputCall)
        .clientStreaming(TestServiceMethods.STREAMING_INPUT_CALL, InteropTestService::streamingInputCall)
        .bidiStreaming(TestServiceMethods.FULL_DUPLEX_CALL, InteropTestService::fullDuplexCall)
        .bidiStreaming(TestServiceMethods.HALF_DUPLEX_CALL, InteropTestService::halfDuplexCall)
        .build();
  }

  private static SimpleResponse unaryCall(Cx cx, ServerCall call, SimpleRequest request) throws GrpcStatusException {
    echoMetadata(call);
    echoStatusIfAsked(request.getResponseStatus());
    checkPayloadType(request.getResponseType());
    SimpleResponse.Builder response = SimpleResponse.newBuilder();
    if (request.getResponseSize() > 0) {
      response.setPayload(payload(request.getResponseSize()));
    }
    return response.build();
  }

  private static void streamingOutputCall(
      Cx cx, ServerCall call, StreamingOutputCallRequest request, MessageWriter<StreamingOutputCallResponse> responses)
      throws GrpcStatusException {
    echoMetadata(call);
    respond(cx, request, responses);
  }

  private static StreamingInputCallResponse streamingInputCall(
      Cx cx, ServerCall call, MessageReader<StreamingInputCallRequest> requests) throws GrpcStatusException {
    int total = 0;
    for (StreamingInputCallRequest r = requests.next(cx); r != null; r = requests.next(cx)) {
      total += r.getPayload().getBody().size();
    }
    return StreamingInputCallResponse.newBuilder().setAggregatedPayloadSize(total).build();
  }

  private static void fullDuplexCall(
      Cx cx,
      ServerCall call,
      MessageReader<StreamingOutputCallRequest> requests,
      MessageWriter<StreamingOutputCallResponse> responses)
      throws GrpcStatusException {
    echoMetadata(call);
    for (StreamingOutputCallRequest r = requests.next(cx); r != null; r = requests.next(cx)) {
      respond(cx, r, responses);
    }
  }

  /** Buffers every request until the half-close, then answers them in order. */
  private static void halfDuplexCall(
      Cx cx,
      ServerCall call,
      MessageReader<StreamingOutputCallRequest> requests,
      MessageWriter<StreamingOutputCallResponse> responses)
      throws GrpcStatusException {
    echoMetadata(call);
    List<StreamingOutputCallRequest> all = new ArrayList<>();
    for (StreamingOutputCallRequest r = requests.next(cx); r != null; r = requests.next(cx)) {
      all.add(r);
    }
    for (StreamingOutputCallRequest r : all) {
      respond(cx, r, responses);
    }
  }

  private static void respond(Cx cx, StreamingOutputCallRequest request, MessageWriter<StreamingOutputCallResponse> responses)
      throws GrpcStatusException {
    echoStatusIfAsked(request.getResponseStatus());
    checkPayloadType(request.getResponseType());
    for (ResponseParameters parameters : request.getResponseParametersList()) {
      if (parameters.getIntervalUs() > 0) {
        cx.sleep(Duration.ofNanos(parameters.getIntervalUs() * 1_000L));
      }
      responses.send(cx, StreamingOutputCallResponse.newBuilder().setPayload(payload(parameters.getSize())).build());
    }
  }

  private static void echoMetadata(ServerCall call) {
    String initial = call.requestMetadata().first(ECHO_INITIAL);
    if (initial != null) {
      call.addHeader(ECHO_INITIAL, initial);
    }
    String trailing = call.requestMetadata().first(ECHO_TRAILING);
    if (trailing != null) {
      call.addTrailer(ECHO_TRAILING, trailing);
    }
  }

  /** Ends the call with the requested status, unless that is OK (code 0, also when absent). */
  private static void echoStatusIfAsked(EchoStatus status) throws GrpcStatusException {
    if (status.getCode() != 0) {
      throw new GrpcStatusException(Status.of(StatusCode.fromValue(status.getCode()), status.getMessage()));
    }
  }

  private static void checkPayloadType(PayloadType type) throws GrpcStatusException {
    if (type != PayloadType.COMPRESSABLE) {
      throw new GrpcStatusException(StatusCode.INVALID_ARGUMENT, "payload type " + type + " is not supported");
    }
  }

  private static Payload payload(int size) throws GrpcStatusException {
    if (size < 0) {
      throw new GrpcStatusException(StatusCode.INVALID_ARGUMENT, "negative payload size");
    }
    return Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size])).build();
  }
}
