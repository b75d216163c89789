package io.asupersync.interop;

import io.asupersync.protocols.grpc.MethodDescriptor;
import io.asupersync.protocols.grpc.ProtobufCodec;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingInputCallRequest;
import io.grpc.testing.integration.Messages.StreamingInputCallResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;

/** Method descriptors of {@code grpc.testing.TestService} (and the unimplemented service) for our server and client. */
public final class TestServiceMethods {

  public static final String SERVICE = "grpc.testing.TestService";
  public static final String UNIMPLEMENTED_SERVICE = "grpc.testing.UnimplementedService";

  private static final ProtobufCodec<Empty> EMPTY = ProtobufCodec.of(Empty.getDefaultInstance());
  private static final ProtobufCodec<SimpleRequest> SIMPLE_REQUEST = ProtobufCodec.of(SimpleRequest.getDefaultInstance());
  private static final ProtobufCodec<SimpleResponse> SIMPLE_RESPONSE = ProtobufCodec.of(SimpleResponse.getDefaultInstance());
  private static final ProtobufCodec<StreamingOutputCallRequest> OUTPUT_REQUEST =
      ProtobufCodec.of(StreamingOutputCallRequest.getDefaultInstance());
  private static final ProtobufCodec<StreamingOutputCallResponse> OUTPUT_RESPONSE =
      ProtobufCodec.of(StreamingOutputCallResponse.getDefaultInstance());

  public static final MethodDescriptor<Empty, Empty> EMPTY_CALL = MethodDescriptor.unary(SERVICE, "EmptyCall", EMPTY, EMPTY);

  public static final MethodDescriptor<SimpleRequest, SimpleResponse> UNARY_CALL =
      MethodDescriptor.unary(SERVICE, "UnaryCall", SIMPLE_REQUEST, SIMPLE_RESPONSE);

  public static final MethodDescriptor<StreamingOutputCallRequest, StreamingOutputCallResponse> STREAMING_OUTPUT_CALL =
      MethodDescriptor.serverStreaming(SERVICE, "StreamingOutputCall", OUTPUT_REQUEST, OUTPUT_RESPONSE);

  public static final MethodDescriptor<StreamingInputCallRequest, StreamingInputCallResponse> STREAMING_INPUT_CALL =
      MethodDescriptor.clientStreaming(
          SERVICE,
          "StreamingInputCall",
          ProtobufCodec.of(StreamingInputCallRequest.getDefaultInstance()),
          ProtobufCodec.of(StreamingInputCallResponse.getDefaultInstance()));

  public static final MethodDescriptor<StreamingOutputCallRequest, StreamingOutputCallResponse> FULL_DUPLEX_CALL =
      MethodDescriptor.bidiStreaming(SERVICE, "FullDuplexCall", OUTPUT_REQUEST, OUTPUT_RESPONSE);

  public static final MethodDescriptor<StreamingOutputCallRequest, StreamingOutputCallResponse> HALF_DUPLEX_CALL =
      MethodDescriptor.bidiStreaming(SERVICE, "HalfDuplexCall", OUTPUT_REQUEST, OUTPUT_RESPONSE);

  /** Declared by the service, implemented by no server: calls must end UNIMPLEMENTED. */
  public static final MethodDescriptor<Empty, Empty> UNIMPLEMENTED_CALL =
      MethodDescriptor.unary(SERVICE, "UnimplementedCall", EMPTY, EMPTY);

  /** A method of a service no server registers. */
  public static final MethodDescriptor<Empty, Empty> UNIMPLEMENTED_SERVICE_CALL =
      MethodDescriptor.unary(UNIMPLEMENTED_SERVICE, "UnimplementedCall", EMPTY, EMPTY);

  private TestServiceMethods() {}
}
