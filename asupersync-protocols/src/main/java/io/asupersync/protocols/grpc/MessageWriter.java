package io.asupersync.protocols.grpc;

import io.asupersync.Cx;

/**
 * The outgoing messages of a call. {@link #send} waits while the transport cannot take more (the
 * peer's flow-control window is closed), so a fast producer is paced by a slow consumer.
 *
 * <p>One writer per call, used by one task at a time.
 *
 * @param <T> the message type
 */
public interface MessageWriter<T> {

  /**
   * Sends one message. A checkpoint: wakes and throws {@code CancelledException} when the calling task
   * is cancelled.
   *
   * @throws GrpcStatusException if the message is over the outbound size limit ({@code
   *     RESOURCE_EXHAUSTED}; nothing was sent) or the stream is gone ({@code CANCELLED}, or on the
   *     client side the status the server already ended the call with)
   */
  void send(Cx cx, T message) throws GrpcStatusException;
}
