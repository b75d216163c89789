package io.asupersync.protocols.grpc.internal;

import io.asupersync.protocols.grpc.GrpcStatusException;
import io.asupersync.protocols.grpc.StatusCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/** Writes one gRPC message with its 5-byte prefix (compressed flag, big-endian length). */
public final class MessageFramer {

  private MessageFramer() {}

  /**
   * The message with its uncompressed prefix, as one array.
   *
   * @throws GrpcStatusException {@code RESOURCE_EXHAUSTED} if {@code message} is over the limit
   */
  public static byte[] frameToArray(byte[] message, int maxMessageBytes) throws GrpcStatusException {
    checkSize(message, maxMessageBytes);
    byte[] framed = new byte[MessageDeframer.HEADER_BYTES + message.length];
    int n = message.length;
    framed[1] = (byte) (n >>> 24);
    framed[2] = (byte) (n >>> 16);
    framed[3] = (byte) (n >>> 8);
    framed[4] = (byte) n;
    System.arraycopy(message, 0, framed, MessageDeframer.HEADER_BYTES, n);
    return framed;
  }

  private static void checkSize(byte[] message, int maxMessageBytes) throws GrpcStatusException {
    if (message.length > maxMessageBytes) {
      throw new GrpcStatusException(
          StatusCode.RESOURCE_EXHAUSTED,
          "message of " + message.length + " bytes is over the limit of " + maxMessageBytes);
    }
  }

  /**
   * The framed message in a new buffer the caller owns.
   *
   * @param maxMessageBytes the largest message that may be sent, checked before compression
   * @param gzip whether to compress the message (flag 1; the stream must declare {@code grpc-encoding: gzip})
   * @throws GrpcStatusException {@code RESOURCE_EXHAUSTED} if {@code message} is over the limit
   */
  public static ByteBuf frame(ByteBufAllocator alloc, byte[] message, int maxMessageBytes, boolean gzip)
      throws GrpcStatusException {
    checkSize(message, maxMessageBytes);
    if (!gzip) {
      ByteBuf out = alloc.buffer(MessageDeframer.HEADER_BYTES + message.length);
      out.writeByte(0).writeInt(message.length).writeBytes(message);
      return out;
    }
    ByteBuf out = alloc.buffer(MessageDeframer.HEADER_BYTES + message.length / 2 + 32);
    boolean done = false;
    try {
      out.writeByte(1).writeInt(0);
      try (GZIPOutputStream zip = new GZIPOutputStream(new ByteBufOutputStream(out))) {
        zip.write(message);
      }
      out.setInt(1, out.readableBytes() - MessageDeframer.HEADER_BYTES);
      done = true;
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("compressing into memory failed", e);
    } finally {
      if (!done) {
        out.release();
      }
    }
  }
}
