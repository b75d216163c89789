package io.asupersync.protocols.http;

import io.asupersync.Cx;

/**
 * Where a {@link BodyWriter} writes. Writes block the calling task (through its Cx, so cancellation
 * reaches it) while the connection cannot take more: the socket's buffer is full or the HTTP/2 peer's
 * flow-control window is spent. Not thread-safe: one writer task.
 */
public interface ResponseSink {

  /**
   * Sends {@code bytes} as the next part of the body. The sink takes ownership of the array: do not
   * change it afterwards.
   *
   * @throws io.asupersync.CancelledException when the request is cancelled (client gone, deadline)
   */
  void write(Cx cx, byte[] bytes);

  /** Trailer fields to send after the body (replacing those of the response builder). */
  void trailers(HttpHeaders trailers);
}
