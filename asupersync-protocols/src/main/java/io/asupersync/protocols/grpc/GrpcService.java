package io.asupersync.protocols.grpc;

import io.asupersync.Cx;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A gRPC service: its name and a handler for each method. Handlers are blocking code on virtual
 * threads, {@code Cx} first: each call runs in its own region, whose budget carries the client's
 * deadline and which is cancelled when the client resets the call, so everything the handler waits on
 * through the {@code Cx} wakes and throws {@code CancelledException}.
 *
 * <pre>{@code
 * GrpcService greeter = GrpcService.builder("helloworld.Greeter")
 *     .unary(SAY_HELLO, (cx, call, request) -> reply(request.getName()))
 *     .serverStreaming(LOTS_OF_REPLIES, (cx, call, request, responses) -> {
 *       for (int i = 0; i < 3; i++) {
 *         responses.send(cx, reply(request.getName() + i));
 *       }
 *     })
 *     .build();
 * }</pre>
 *
 * <p>How a handler ends decides the call's status: returning is {@code OK}; a {@link
 * GrpcStatusException} is its status (and trailers); any other checked exception is {@code UNKNOWN};
 * cancellation is {@code DEADLINE_EXCEEDED}, {@code RESOURCE_EXHAUSTED} or {@code CANCELLED} by its
 * reason; an unchecked throwable is {@code INTERNAL} (see {@link Status#fromOutcome}).
 */
public final class GrpcService {

  /** One request, one response. */
  @FunctionalInterface
  public interface UnaryHandler<Req, Resp> {
    Resp handle(Cx cx, ServerCall call, Req request) throws Exception;
  }

  /** One request; sends any number of responses through {@code responses}, then returns. */
  @FunctionalInterface
  public interface ServerStreamingHandler<Req, Resp> {
    void handle(Cx cx, ServerCall call, Req request, MessageWriter<Resp> responses) throws Exception;
  }

  /** Reads requests until {@code next} returns null (the client half-closed), returns one response. */
  @FunctionalInterface
  public interface ClientStreamingHandler<Req, Resp> {
    Resp handle(Cx cx, ServerCall call, MessageReader<Req> requests) throws Exception;
  }

  /** Reads and sends independently; the call ends with OK when the handler returns. */
  @FunctionalInterface
  public interface BidiStreamingHandler<Req, Resp> {
    void handle(Cx cx, ServerCall call, MessageReader<Req> requests, MessageWriter<Resp> responses) throws Exception;
  }

  /** A method with its handler, reduced to the bidirectional shape the engine runs. */
  record Method<Req, Resp>(MethodDescriptor<Req, Resp> descriptor, BidiStreamingHandler<Req, Resp> handler) {}

  private final String name;
  private final Map<String, Method<?, ?>> methods;

  private GrpcService(String name, Map<String, Method<?, ?>> methods) {
    this.name = name;
    this.methods = Collections.unmodifiableMap(new LinkedHashMap<>(methods));
  }

  public static Builder builder(String serviceName) {
    return new Builder(serviceName);
  }

  /** The fully qualified service name. */
  public String name() {
    return name;
  }

  /** The descriptors of the registered methods, in registration order. */
  public Collection<MethodDescriptor<?, ?>> methods() {
    return methods.values().stream().<MethodDescriptor<?, ?>>map(Method::descriptor).toList();
  }

  @Nullable Method<?, ?> method(String methodName) {
    return methods.get(methodName);
  }

  /** Collects the methods of one service. */
  public static final class Builder {
    private final String name;
    private final Map<String, Method<?, ?>> methods = new LinkedHashMap<>();

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "serviceName");
      if (name.isEmpty() || name.indexOf('/') >= 0) {
        throw new IllegalArgumentException("service name must be non-empty and contain no '/': " + name);
      }
    }

    public <Req, Resp> Builder unary(MethodDescriptor<Req, Resp> method, UnaryHandler<Req, Resp> handler) {
      Objects.requireNonNull(handler, "handler");
      return add(method, MethodType.UNARY, (cx, call, requests, responses) ->
          responses.send(cx, handler.handle(cx, call, ServerCalls.single(cx, requests))));
    }

    public <Req, Resp> Builder serverStreaming(MethodDescriptor<Req, Resp> method, ServerStreamingHandler<Req, Resp> handler) {
      Objects.requireNonNull(handler, "handler");
      return add(method, MethodType.SERVER_STREAMING, (cx, call, requests, responses) ->
          handler.handle(cx, call, ServerCalls.single(cx, requests), responses));
    }

    public <Req, Resp> Builder clientStreaming(MethodDescriptor<Req, Resp> method, ClientStreamingHandler<Req, Resp> handler) {
      Objects.requireNonNull(handler, "handler");
      return add(method, MethodType.CLIENT_STREAMING, (cx, call, requests, responses) ->
          responses.send(cx, handler.handle(cx, call, requests)));
    }

    public <Req, Resp> Builder bidiStreaming(MethodDescriptor<Req, Resp> method, BidiStreamingHandler<Req, Resp> handler) {
      Objects.requireNonNull(handler, "handler");
      return add(method, MethodType.BIDI_STREAMING, handler);
    }

    private <Req, Resp> Builder add(MethodDescriptor<Req, Resp> method, MethodType shape, BidiStreamingHandler<Req, Resp> handler) {
      Objects.requireNonNull(method, "method");
      if (!method.serviceName().equals(name)) {
        throw new IllegalArgumentException(method.fullName() + " does not belong to service " + name);
      }
      if (method.type() != shape) {
        throw new IllegalArgumentException(method.fullName() + " is " + method.type() + ", not " + shape);
      }
      if (methods.putIfAbsent(method.methodName(), new Method<>(method, handler)) != null) {
        throw new IllegalArgumentException(method.fullName() + " is registered twice");
      }
      return this;
    }

    public GrpcService build() {
      return new GrpcService(name, methods);
    }
  }
}
