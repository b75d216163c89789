package io.asupersync.protocols.grpc;

import java.io.IOException;

/**
 * Turns messages into bytes and back. {@link ProtobufCodec} is the stock implementation for protobuf
 * messages; anything else (JSON, a hand-written encoding) can implement this.
 *
 * <p>Implementations must be thread-safe: one codec serves every call of a method.
 *
 * @param <T> the message type
 */
public interface MessageCodec<T> {

  /** The serialized form of {@code message}. */
  byte[] encode(T message);

  /**
   * The message serialized in {@code bytes} (the array belongs to the caller once this returns).
   *
   * @throws IOException if the bytes are not a valid message; the call then ends with {@code INTERNAL}
   */
  T decode(byte[] bytes) throws IOException;
}
