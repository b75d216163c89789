package io.asupersync.protocols.grpc;

import io.asupersync.Cx;
import org.jspecify.annotations.Nullable;

/**
 * The incoming messages of a call, read one at a time. Reading is the backpressure: the peer's
 * HTTP/2 flow-control window is only reopened as messages are taken, so a slow reader slows the
 * sender instead of buffering without bound.
 *
 * <p>One reader per call, used by one task at a time.
 *
 * @param <T> the message type
 */
public interface MessageReader<T> {

  /**
   * Waits for the next message. A checkpoint: wakes and throws {@code CancelledException} when the
   * calling task is cancelled (a client reset, the call's deadline).
   *
   * @return the message, or {@code null} once the stream ended normally (the client half-closed, or on
   *     the client side the server finished with OK)
   * @throws GrpcStatusException if the stream failed: a message over the size limit ({@code
   *     RESOURCE_EXHAUSTED}), a malformed or undecodable message ({@code INTERNAL}), an unsupported
   *     compression ({@code UNIMPLEMENTED}), or on the client side the server's non-OK status
   */
  @Nullable T next(Cx cx) throws GrpcStatusException;
}
