package io.asupersync.spring.boot.client;

import io.asupersync.protocols.client.ClientCallObserver;
import io.asupersync.protocols.grpc.GrpcClient;
import io.asupersync.trace.TraceBuffer;

/**
 * Hands out {@link GrpcClient} builders set up by the context: the application's {@link
 * ClientCallObserver} (one observation per call, {@code traceparent} sent) and the runtime's trace
 * buffer (a {@code CLIENT_CALL} event per call). The builder is the caller's to finish, and the client
 * the caller's to close.
 */
public final class GrpcClientBuilders {

  private final TraceBuffer trace;
  private final ClientCallObserver observer;

  public GrpcClientBuilders(TraceBuffer trace, ClientCallObserver observer) {
    this.trace = trace;
    this.observer = observer;
  }

  /** A builder for a client of {@code host:port}, with the observer and the trace buffer applied. */
  public GrpcClient.Builder builder(String host, int port) {
    return GrpcClient.builder(host, port).trace(trace).observer(observer);
  }
}
