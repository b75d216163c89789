package io.asupersync.protocols.grpc;

import java.util.Objects;

/**
 * One method of a gRPC service: its names, its call shape and the codecs of its messages. Servers
 * register handlers against descriptors; clients call through them. The HTTP/2 path of a call is
 * {@code /serviceName/methodName} (case-sensitive).
 *
 * @param serviceName the fully qualified service name, e.g. {@code grpc.testing.TestService}
 * @param methodName the method name, e.g. {@code UnaryCall}
 * @param type the call shape
 * @param requestCodec encodes and decodes requests
 * @param responseCodec encodes and decodes responses
 * @param <Req> the request message type
 * @param <Resp> the response message type
 */
public record MethodDescriptor<Req, Resp>(
    String serviceName,
    String methodName,
    MethodType type,
    MessageCodec<Req> requestCodec,
    MessageCodec<Resp> responseCodec) {

  public MethodDescriptor {
    checkName("serviceName", serviceName);
    checkName("methodName", methodName);
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(requestCodec, "requestCodec");
    Objects.requireNonNull(responseCodec, "responseCodec");
  }

  public static <Req, Resp> MethodDescriptor<Req, Resp> unary(
      String service, String method, MessageCodec<Req> request, MessageCodec<Resp> response) {
    return new MethodDescriptor<>(service, method, MethodType.UNARY, request, response);
  }

  public static <Req, Resp> MethodDescriptor<Req, Resp> serverStreaming(
      String service, String method, MessageCodec<Req> request, MessageCodec<Resp> response) {
    return new MethodDescriptor<>(service, method, MethodType.SERVER_STREAMING, request, response);
  }

  public static <Req, Resp> MethodDescriptor<Req, Resp> clientStreaming(
      String service, String method, MessageCodec<Req> request, MessageCodec<Resp> response) {
    return new MethodDescriptor<>(service, method, MethodType.CLIENT_STREAMING, request, response);
  }

  public static <Req, Resp> MethodDescriptor<Req, Resp> bidiStreaming(
      String service, String method, MessageCodec<Req> request, MessageCodec<Resp> response) {
    return new MethodDescriptor<>(service, method, MethodType.BIDI_STREAMING, request, response);
  }

  /** {@code serviceName/methodName}. */
  public String fullName() {
    return serviceName + "/" + methodName;
  }

  /** The HTTP/2 {@code :path} of a call: {@code /serviceName/methodName}. */
  public String path() {
    return "/" + fullName();
  }

  private static void checkName(String what, String name) {
    Objects.requireNonNull(name, what);
    if (name.isEmpty() || name.indexOf('/') >= 0) {
      throw new IllegalArgumentException(what + " must be non-empty and contain no '/', was '" + name + "'");
    }
  }
}
