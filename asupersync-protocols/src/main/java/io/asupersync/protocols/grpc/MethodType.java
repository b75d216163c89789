package io.asupersync.protocols.grpc;

/** The four call shapes of gRPC. */
public enum MethodType {
  /** One request, one response. */
  UNARY,
  /** One request, a stream of responses. */
  SERVER_STREAMING,
  /** A stream of requests, one response. */
  CLIENT_STREAMING,
  /** A stream each way, independent of each other. */
  BIDI_STREAMING;

  /** Whether the server sends exactly one message on success. */
  public boolean serverSendsOne() {
    return this == UNARY || this == CLIENT_STREAMING;
  }
}
