package io.asupersync.protocols.grpc.internal;

import io.asupersync.protocols.grpc.GrpcRejectionReason;
import io.asupersync.protocols.grpc.GrpcStatusException;
import io.asupersync.protocols.grpc.StatusCode;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;

/**
 * Splits a gRPC message stream (the DATA bytes of one HTTP/2 stream, cut anywhere) into messages.
 * Each message is a 1-byte compressed flag, a 4-byte big-endian length and the message bytes.
 *
 * <p>A bounded state machine: it holds at most five header bytes and one message, checks the announced
 * length against the limit before keeping any of it, and grows its buffer with the bytes that actually
 * arrived, so an announced length costs nothing until it is sent. Errors, as {@link
 * GrpcStatusException}, are final (every later call throws the same status):
 *
 * <ul>
 *   <li>announced length over the limit, or a gzip message inflating past it → {@code
 *       RESOURCE_EXHAUSTED};
 *   <li>compressed flag other than 0 or 1, flag 1 without a {@code grpc-encoding} (or with {@code
 *       identity}), gzip data that does not inflate, end of stream inside a message → {@code
 *       INTERNAL};
 *   <li>flag 1 with an encoding other than gzip → {@code UNIMPLEMENTED}.
 * </ul>
 *
 * <p>Not thread-safe: one stream, one reader.
 */
public final class MessageDeframer {

  /** Receives each complete message; the array is the receiver's. */
  @FunctionalInterface
  public interface Sink {
    void message(byte[] message) throws GrpcStatusException;
  }

  static final int HEADER_BYTES = 5;
  private static final int MIN_GROWTH = 8 * 1024;
  private static final byte[] EMPTY = new byte[0];

  private final int maxMessageBytes;
  private final @Nullable String encoding;
  private final byte[] header = new byte[HEADER_BYTES];
  private int headerFill;
  private boolean compressed;
  private int length;
  private byte @Nullable [] body;
  private int bodyFill;
  private @Nullable GrpcStatusException failure;
  private @Nullable GrpcRejectionReason failureReason;

  /**
   * @param maxMessageBytes the largest message accepted (after decompression)
   * @param encoding the stream's {@code grpc-encoding}, or {@code null} when the header was absent
   */
  public MessageDeframer(int maxMessageBytes, @Nullable String encoding) {
    if (maxMessageBytes <= 0) {
      throw new IllegalArgumentException("maxMessageBytes must be positive");
    }
    this.maxMessageBytes = maxMessageBytes;
    this.encoding = encoding;
  }

  /** Consumes every readable byte of {@code data} (without releasing it), handing out complete messages. */
  public void feed(ByteBuf data, Sink sink) throws GrpcStatusException {
    checkNotFailed();
    try {
      while (data.isReadable()) {
        byte[] buffer = body;
        if (buffer == null) {
          int take = Math.min(HEADER_BYTES - headerFill, data.readableBytes());
          data.readBytes(header, headerFill, take);
          headerFill += take;
          if (headerFill < HEADER_BYTES) {
            return;
          }
          buffer = startMessage(data.readableBytes());
        }
        int need = length - bodyFill;
        int take = Math.min(need, data.readableBytes());
        if (bodyFill + take > buffer.length) {
          buffer = Arrays.copyOf(buffer, (int) Math.min(length, Math.max((long) buffer.length * 2, bodyFill + take)));
          body = buffer;
        }
        data.readBytes(buffer, bodyFill, take);
        bodyFill += take;
        if (bodyFill == length) {
          finishMessage(buffer, sink);
        }
      }
    } catch (GrpcStatusException e) {
      failure = e;
      throw e;
    }
  }

  /** The stream ended: fails with {@code INTERNAL} if it ended inside a message. */
  public void endOfStream() throws GrpcStatusException {
    checkNotFailed();
    if (headerFill > 0 || body != null) {
      failure = fail(GrpcRejectionReason.TRUNCATED_MESSAGE, StatusCode.INTERNAL, "stream ended inside a message");
      throw failure;
    }
  }

  /** Why the stream failed, once {@link #feed} or {@link #endOfStream} threw; null before. */
  public @Nullable GrpcRejectionReason failureReason() {
    return failureReason;
  }

  private GrpcStatusException fail(GrpcRejectionReason reason, StatusCode code, String message) {
    failureReason = reason;
    return new GrpcStatusException(code, message);
  }

  /** Whether no partial message is buffered. */
  public boolean isIdle() {
    return headerFill == 0 && body == null;
  }

  private void checkNotFailed() throws GrpcStatusException {
    if (failure != null) {
      throw failure;
    }
  }

  /** Checks the header just read and returns the buffer for the message's first bytes. */
  private byte[] startMessage(int available) throws GrpcStatusException {
    int flag = header[0] & 0xff;
    if (flag > 1) {
      throw fail(GrpcRejectionReason.BAD_COMPRESSED_FLAG, StatusCode.INTERNAL, "invalid compressed flag " + flag);
    }
    long announced = ((header[1] & 0xffL) << 24) | ((header[2] & 0xff) << 16) | ((header[3] & 0xff) << 8) | (header[4] & 0xff);
    if (announced > maxMessageBytes) {
      throw fail(
          GrpcRejectionReason.MESSAGE_TOO_LARGE,
          StatusCode.RESOURCE_EXHAUSTED,
          "message of " + announced + " bytes is over the limit of " + maxMessageBytes);
    }
    compressed = flag == 1;
    if (compressed) {
      checkCompression();
    }
    length = (int) announced;
    bodyFill = 0;
    // Room for what is here now (or a little more), never the announced length up front.
    byte[] buffer = length == 0 ? EMPTY : new byte[Math.min(length, Math.max(available, MIN_GROWTH))];
    body = buffer;
    return buffer;
  }

  private void checkCompression() throws GrpcStatusException {
    if (encoding == null || encoding.equalsIgnoreCase("identity")) {
      throw fail(
          GrpcRejectionReason.BAD_COMPRESSED_FLAG, StatusCode.INTERNAL, "compressed message without a grpc-encoding");
    }
    if (!encoding.equalsIgnoreCase("gzip")) {
      throw fail(
          GrpcRejectionReason.UNSUPPORTED_ENCODING,
          StatusCode.UNIMPLEMENTED,
          "message encoding '" + encoding.toLowerCase(Locale.ROOT) + "' is not supported (gzip, identity)");
    }
  }

  private void finishMessage(byte[] buffer, Sink sink) throws GrpcStatusException {
    byte[] message = compressed ? inflate(buffer, length) : buffer;
    headerFill = 0;
    body = null;
    bodyFill = 0;
    sink.message(message);
  }

  private byte[] inflate(byte[] compressedBytes, int compressedLength) throws GrpcStatusException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressedBytes, 0, compressedLength))) {
      byte[] out = new byte[Math.min(maxMessageBytes + 1, Math.max(MIN_GROWTH, compressedLength * 2))];
      int fill = 0;
      while (true) {
        if (fill == out.length) {
          if (out.length > maxMessageBytes) {
            throw fail(
                GrpcRejectionReason.INFLATE_LIMIT,
                StatusCode.RESOURCE_EXHAUSTED,
                "gzip message inflates past the limit of " + maxMessageBytes + " bytes");
          }
          out = Arrays.copyOf(out, (int) Math.min(maxMessageBytes + 1L, out.length * 2L));
        }
        int n = in.read(out, fill, out.length - fill);
        if (n < 0) {
          return Arrays.copyOf(out, fill);
        }
        fill += n;
      }
    } catch (IOException e) {
      throw fail(GrpcRejectionReason.BAD_COMPRESSED_DATA, StatusCode.INTERNAL, "gzip message does not inflate");
    }
  }
}
