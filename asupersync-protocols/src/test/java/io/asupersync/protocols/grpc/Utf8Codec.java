package io.asupersync.protocols.grpc;

import java.nio.charset.StandardCharsets;

/** Strings as their UTF-8 bytes: a codec for tests that need no protobuf. */
final class Utf8Codec implements MessageCodec<String> {

  static final Utf8Codec INSTANCE = new Utf8Codec();

  @Override
  public byte[] encode(String message) {
    return message.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String decode(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
