package io.asupersync.protocols.http;

import io.asupersync.Cx;

/**
 * Produces a streaming response body. It runs in the request region after the response head was sent,
 * with the request's budget; what it throws aborts the response (HTTP/2 RST_STREAM INTERNAL_ERROR, or
 * CANCEL when the request was cancelled: deadline, shutdown; HTTP/1.1 connection closed), since the
 * status is already on the wire.
 */
@FunctionalInterface
public interface BodyWriter {

  void writeTo(Cx cx, ResponseSink sink) throws Exception;
}
