package io.asupersync.spring.boot;

import io.asupersync.protocols.grpc.MessageCodec;
import java.nio.charset.StandardCharsets;

/** gRPC messages as UTF-8 text, for the starter's tests. */
public enum Utf8Codec implements MessageCodec<String> {
  CODEC;

  @Override
  public byte[] encode(String message) {
    return message.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String decode(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
