package io.asupersync.protocols.grpc;

import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import java.io.IOException;
import java.util.Objects;

/**
 * The protobuf message codec. protobuf-java is an optional dependency of this module: add {@code
 * com.google.protobuf:protobuf-java} to use this class.
 *
 * @param <T> the generated message type
 */
public final class ProtobufCodec<T extends MessageLite> implements MessageCodec<T> {

  private final Parser<T> parser;

  private ProtobufCodec(Parser<T> parser) {
    this.parser = parser;
  }

  /** A codec for the type of {@code defaultInstance}, e.g. {@code ProtobufCodec.of(HelloRequest.getDefaultInstance())}. */
  @SuppressWarnings("unchecked")
  public static <T extends MessageLite> ProtobufCodec<T> of(T defaultInstance) {
    Objects.requireNonNull(defaultInstance, "defaultInstance");
    return new ProtobufCodec<>((Parser<T>) defaultInstance.getParserForType());
  }

  @Override
  public byte[] encode(T message) {
    return message.toByteArray();
  }

  @Override
  public T decode(byte[] bytes) throws IOException {
    return parser.parseFrom(bytes, ExtensionRegistryLite.getEmptyRegistry());
  }
}
