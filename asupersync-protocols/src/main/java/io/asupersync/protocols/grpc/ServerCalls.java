package io.asupersync.protocols.grpc;

import io.asupersync.Cx;

/** Shape checks shared by the handler adapters. */
final class ServerCalls {

  private ServerCalls() {}

  /**
   * The one request of a unary or server-streaming call, read up to the client's half-close, so that
   * a second request is refused before the handler runs.
   */
  static <T> T single(Cx cx, MessageReader<T> requests) throws GrpcStatusException {
    T request = requests.next(cx);
    if (request == null) {
      throw new GrpcStatusException(StatusCode.INTERNAL, "the client half-closed without a request");
    }
    if (requests.next(cx) != null) {
      throw new GrpcStatusException(StatusCode.INTERNAL, "the client sent more than one request");
    }
    return request;
  }
}
