package io.asupersync.interop;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
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
import io.grpc.testing.integration.TestServiceGrpc;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.jspecify.annotations.Nullable;

/**
 * A minimal grpc.testing.TestService on grpc-java's server (the peer our client is tested against):
 * the same server features as {@link InteropTestService}, written against grpc-stub. It records what
 * the peer did that a client cannot see in its own results: calls the server saw cancelled, and the
 * deadline each call arrived with.
 */
final class GrpcJavaTestService extends TestServiceGrpc.TestServiceImplBase {

  static final Metadata.Key<String> ECHO_INITIAL = Metadata.Key.of(InteropTestService.ECHO_INITIAL, Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<byte[]> ECHO_TRAILING = Metadata.Key.of(InteropTestService.ECHO_TRAILING, Metadata.BINARY_BYTE_MARSHALLER);

  /** Method names of calls the server saw cancelled by the client. */
  final BlockingQueue<String> cancelled = new LinkedBlockingQueue<>();
  /** The deadline of each call that had one, in arrival order. */
  final BlockingQueue<Deadline> deadlines = new LinkedBlockingQueue<>();

  /** The service with the metadata-echo and deadline-recording interceptor. */
  ServerServiceDefinition definition() {
    return ServerInterceptors.intercept(this, new EchoMetadata());
  }

  @Override
  public void emptyCall(Empty request, StreamObserver<Empty> responses) {
    responses.onNext(Empty.getDefaultInstance());
    responses.onCompleted();
  }

  @Override
  public void unaryCall(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
    Status echo = echoStatus(request.getResponseStatus());
    if (echo != null) {
      responses.onError(echo.asRuntimeException());
      return;
    }
    SimpleResponse.Builder response = SimpleResponse.newBuilder();
    if (request.getResponseSize() > 0) {
      response.setPayload(payload(request.getResponseSize()));
    }
    responses.onNext(response.build());
    responses.onCompleted();
  }

  @Override
  public void streamingOutputCall(StreamingOutputCallRequest request, StreamObserver<StreamingOutputCallResponse> responses) {
    Status echo = echoStatus(request.getResponseStatus());
    if (echo != null) {
      responses.onError(echo.asRuntimeException());
      return;
    }
    for (ResponseParameters p : request.getResponseParametersList()) {
      responses.onNext(StreamingOutputCallResponse.newBuilder().setPayload(payload(p.getSize())).build());
    }
    responses.onCompleted();
  }

  @Override
  public StreamObserver<StreamingInputCallRequest> streamingInputCall(StreamObserver<StreamingInputCallResponse> responses) {
    watchCancel(responses, "StreamingInputCall");
    return new StreamObserver<>() {
      private int total;

      @Override
      public void onNext(StreamingInputCallRequest request) {
        total += request.getPayload().getBody().size();
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        responses.onNext(StreamingInputCallResponse.newBuilder().setAggregatedPayloadSize(total).build());
        responses.onCompleted();
      }
    };
  }

  @Override
  public StreamObserver<StreamingOutputCallRequest> fullDuplexCall(StreamObserver<StreamingOutputCallResponse> responses) {
    watchCancel(responses, "FullDuplexCall");
    return new StreamObserver<>() {
      private boolean ended;

      @Override
      public void onNext(StreamingOutputCallRequest request) {
        if (ended) {
          return;
        }
        Status echo = echoStatus(request.getResponseStatus());
        if (echo != null) {
          ended = true;
          responses.onError(echo.asRuntimeException());
          return;
        }
        for (ResponseParameters p : request.getResponseParametersList()) {
          responses.onNext(StreamingOutputCallResponse.newBuilder().setPayload(payload(p.getSize())).build());
        }
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        if (!ended) {
          responses.onCompleted();
        }
      }
    };
  }

  private void watchCancel(StreamObserver<?> responses, String method) {
    ((ServerCallStreamObserver<?>) responses).setOnCancelHandler(() -> cancelled.add(method));
  }

  private static @Nullable Status echoStatus(EchoStatus status) {
    return status.getCode() == 0 ? null : Status.fromCodeValue(status.getCode()).withDescription(status.getMessage());
  }

  private static Payload payload(int size) {
    return Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size])).build();
  }

  /** Echo Metadata (initial and trailing) and the deadline record. */
  private final class EchoMetadata implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      Deadline deadline = Context.current().getDeadline();
      if (deadline != null) {
        deadlines.add(deadline);
      }
      String initial = headers.get(ECHO_INITIAL);
      byte[] trailing = headers.get(ECHO_TRAILING);
      return next.startCall(
          new SimpleForwardingServerCall<>(call) {
            @Override
            public void sendHeaders(Metadata responseHeaders) {
              if (initial != null) {
                responseHeaders.put(ECHO_INITIAL, initial);
              }
              super.sendHeaders(responseHeaders);
            }

            @Override
            public void close(Status status, Metadata trailers) {
              if (trailing != null) {
                trailers.put(ECHO_TRAILING, trailing);
              }
              super.close(status, trailers);
            }
          },
          headers);
    }
  }
}
