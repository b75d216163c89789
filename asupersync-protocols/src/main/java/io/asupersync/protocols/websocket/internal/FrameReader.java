package io.asupersync.protocols.websocket.internal;

import static io.asupersync.protocols.websocket.internal.WebSocketProtocolException.invalidPayload;
import static io.asupersync.protocols.websocket.internal.WebSocketProtocolException.protocol;
import static io.asupersync.protocols.websocket.internal.WebSocketProtocolException.tooBig;

import io.asupersync.protocols.websocket.CloseStatus;
import io.asupersync.protocols.websocket.WebSocketLimits;
import io.asupersync.protocols.websocket.WebSocketMessage;
import io.asupersync.protocols.websocket.WebSocketRejectionReason;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.jspecify.annotations.Nullable;

/**
 * Turns the bytes of one direction of a WebSocket connection into messages and control frames: a
 * bounded state machine that checks every rule of RFC 6455 section 5 (and RFC 7692 when
 * permessage-deflate was negotiated) as soon as the bytes that break it arrive.
 *
 * <p>Memory is bounded by the limits and by the bytes actually received: a frame header is checked
 * against the frame and message limits before any payload is buffered, the message buffer grows only as
 * payload arrives, a control frame's buffer is at most 125 bytes, and decompression stops one byte past
 * the message limit. Payload is consumed as it arrives (unmasked in place), so a caller's buffer never
 * holds more than a partial frame header between calls.
 *
 * <p>Not thread-safe: one reader per connection direction, driven by one thread at a time. {@link
 * #close()} frees the inflater's native memory.
 */
public final class FrameReader implements AutoCloseable {

  static final int CONTINUATION = 0x0;
  static final int TEXT = 0x1;
  static final int BINARY = 0x2;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;

  /** RFC 7692 section 7.2.2: the bytes a sender removed from the end of each compressed message. */
  static final byte[] DEFLATE_TAIL = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF};

  private static final byte[] EMPTY = new byte[0];
  private static final int SCRATCH_BYTES = 8192;
  /** Text buffers up to this size are kept between messages; larger ones are dropped. */
  private static final int RETAINED_BUFFER_BYTES = 64 * 1024;

  private final boolean expectMasked;
  private final int maxFrameBytes;
  private final int maxMessageBytes;
  private final boolean deflate;
  private final boolean resetInflaterPerMessage;
  // Created on the first compressed message (its native state is not paid by connections without one).
  private @Nullable Inflater inflater;
  private final Utf8Validator utf8 = new Utf8Validator();

  // The frame being read.
  private boolean inPayload;
  private int opcode;
  private boolean fin;
  private final byte[] mask = new byte[4];
  private boolean masked;
  private int maskIndex;
  private long remaining;
  private byte[] control = EMPTY;
  private int controlLength;

  // The data message being assembled (opcode 0 when none).
  private int messageOpcode;
  private boolean messageCompressed;
  private long messageWireBytes;
  private int messageFrames;
  private byte[] buffer = EMPTY;
  private int size;
  private byte @Nullable [] scratch;

  private boolean done;

  /**
   * @param expectMasked true on the server (client frames must be masked), false on the client
   *     (server frames must not be)
   * @param deflate whether permessage-deflate was negotiated
   * @param resetInflaterPerMessage whether the peer agreed to no context takeover for its compressor
   */
  public FrameReader(boolean expectMasked, WebSocketLimits limits, boolean deflate, boolean resetInflaterPerMessage) {
    this.expectMasked = expectMasked;
    this.maxFrameBytes = limits.maxFrameBytes();
    this.maxMessageBytes = limits.maxMessageBytes();
    this.deflate = deflate;
    this.resetInflaterPerMessage = resetInflaterPerMessage;
  }

  /**
   * Reads from {@code in} until one message or control frame is complete, or the readable bytes run
   * out. Consumes what it reads; a partial frame header is left in {@code in} for the next call.
   *
   * @return the next message or control frame, or null when more bytes are needed (always null after a
   *     close frame: what follows it is ignored)
   * @throws WebSocketProtocolException when the bytes break the protocol or a limit; the reader is then
   *     unusable
   */
  public @Nullable Inbound next(ByteBuf in) throws WebSocketProtocolException {
    if (done) {
      return null;
    }
    try {
      while (true) {
        if (!inPayload) {
          if (!readHeader(in)) {
            return null;
          }
        } else {
          int n = (int) Math.min(remaining, in.readableBytes());
          if (n == 0) {
            return null;
          }
          readPayload(in, n);
          remaining -= n;
        }
        if (remaining == 0) {
          inPayload = false;
          Inbound event = frameComplete();
          if (event != null) {
            return event;
          }
        } else {
          inPayload = true;
        }
      }
    } catch (WebSocketProtocolException e) {
      done = true;
      throw e;
    }
  }

  /** Parses and checks a whole frame header if it is there; false (consuming nothing) if it is not. */
  private boolean readHeader(ByteBuf in) throws WebSocketProtocolException {
    if (in.readableBytes() < 2) {
      return false;
    }
    int at = in.readerIndex();
    int b0 = in.getUnsignedByte(at);
    int b1 = in.getUnsignedByte(at + 1);
    boolean finBit = (b0 & 0x80) != 0;
    boolean rsv1 = (b0 & 0x40) != 0;
    int op = b0 & 0x0F;
    boolean maskBit = (b1 & 0x80) != 0;
    int length7 = b1 & 0x7F;

    // Everything decidable from the first two bytes is decided before waiting for more.
    if ((b0 & 0x30) != 0) {
      throw protocol("reserved bits RSV2/RSV3 set");
    }
    boolean controlFrame = (op & 0x08) != 0;
    switch (op) {
      case CONTINUATION, TEXT, BINARY, CLOSE, PING, PONG -> {}
      default -> throw protocol("reserved opcode " + op);
    }
    if (rsv1 && (!deflate || (op != TEXT && op != BINARY))) {
      throw protocol(!deflate ? "RSV1 set without a negotiated extension" : "RSV1 set on a control or continuation frame");
    }
    if (controlFrame) {
      if (!finBit) {
        throw protocol(WebSocketRejectionReason.BAD_CONTROL_FRAME, "fragmented control frame");
      }
      if (length7 > WebSocketLimits.MAX_CONTROL_PAYLOAD) {
        throw protocol(WebSocketRejectionReason.BAD_CONTROL_FRAME, "control frame payload over 125 bytes");
      }
    } else if (op == CONTINUATION && messageOpcode == 0) {
      throw protocol("continuation frame without a message to continue");
    } else if (op != CONTINUATION && messageOpcode != 0) {
      throw protocol("new data frame inside a fragmented message");
    }
    if (maskBit != expectMasked) {
      throw protocol(WebSocketRejectionReason.UNMASKED_FRAME, expectMasked ? "client frame not masked" : "server frame masked");
    }

    int lengthBytes = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
    int headerBytes = 2 + lengthBytes + (maskBit ? 4 : 0);
    if (in.readableBytes() < headerBytes) {
      return false;
    }
    long length = switch (lengthBytes) {
      case 2 -> in.getUnsignedShort(at + 2);
      case 8 -> in.getLong(at + 2);
      default -> length7;
    };
    if (length < 0) {
      throw protocol("64-bit payload length with the most significant bit set");
    }
    if (length > maxFrameBytes) {
      throw tooBig(WebSocketRejectionReason.FRAME_TOO_LARGE, "frame over " + maxFrameBytes + " bytes");
    }
    if (!controlFrame && messageWireBytes + length > maxMessageBytes) {
      throw tooBig(WebSocketRejectionReason.MESSAGE_TOO_LARGE, "message over " + maxMessageBytes + " bytes");
    }
    // Empty fragments add no bytes: without a count of its own, a message of them never ends.
    if (op == CONTINUATION && messageFrames >= maxMessageBytes) {
      throw tooBig(WebSocketRejectionReason.TOO_MANY_FRAGMENTS, "message in more than " + maxMessageBytes + " fragments");
    }
    if (maskBit) {
      in.getBytes(at + 2 + lengthBytes, mask);
    }
    in.skipBytes(headerBytes);

    opcode = op;
    fin = finBit;
    masked = maskBit;
    maskIndex = 0;
    remaining = length;
    if (controlFrame) {
      control = length == 0 ? EMPTY : new byte[(int) length];
      controlLength = 0;
    } else if (op != CONTINUATION) {
      messageOpcode = op;
      messageCompressed = rsv1;
      messageWireBytes = 0;
      messageFrames = 0;
      size = 0;
      utf8.reset();
    }
    if (!controlFrame) {
      messageWireBytes += length;
      messageFrames++;
    }
    return true;
  }

  private void readPayload(ByteBuf in, int n) throws WebSocketProtocolException {
    if ((opcode & 0x08) != 0) {
      in.readBytes(control, controlLength, n);
      unmask(control, controlLength, n);
      controlLength += n;
    } else if (messageCompressed) {
      byte[] chunk = scratch;
      if (chunk == null) {
        chunk = scratch = new byte[SCRATCH_BYTES];
      }
      for (int left = n; left > 0; ) {
        int k = Math.min(left, chunk.length);
        in.readBytes(chunk, 0, k);
        unmask(chunk, 0, k);
        inflate(chunk, k);
        left -= k;
      }
    } else {
      // messageWireBytes <= maxMessageBytes was checked on the header, so this growth is bounded.
      ensureCapacity(size + n, maxMessageBytes);
      in.readBytes(buffer, size, n);
      unmask(buffer, size, n);
      appended(n);
    }
  }

  private void unmask(byte[] bytes, int offset, int length) {
    if (!masked) {
      return;
    }
    int m = maskIndex;
    for (int i = offset, end = offset + length; i < end; i++) {
      bytes[i] ^= mask[m & 3];
      m++;
    }
    maskIndex = m & 3;
  }

  /** Accounts {@code n} bytes just written at {@code buffer[size]}, checking UTF-8 as it goes. */
  private void appended(int n) throws WebSocketProtocolException {
    if (messageOpcode == TEXT && !utf8.feed(buffer, size, n)) {
      throw invalidPayload(WebSocketRejectionReason.INVALID_UTF8, "text message is not valid UTF-8");
    }
    size += n;
  }

  /** Decompresses into the message buffer, failing one byte past the message limit. */
  private void inflate(byte[] input, int length) throws WebSocketProtocolException {
    Inflater z = inflater;
    if (z == null) {
      z = inflater = new Inflater(true); // not after close(): next() refuses to run once done
    }
    if (z.finished()) {
      return; // the sender ended its deflate stream (BFINAL): what follows in this message is ignored
    }
    z.setInput(input, 0, length);
    while (true) {
      if (size == buffer.length) {
        ensureCapacity(size + 1, maxMessageBytes + 1);
      }
      int room = buffer.length - size;
      int produced;
      try {
        produced = z.inflate(buffer, size, room);
      } catch (DataFormatException e) {
        throw invalidPayload(WebSocketRejectionReason.BAD_COMPRESSED_DATA, "compressed data is corrupt");
      }
      if (size + produced > maxMessageBytes) {
        throw tooBig(WebSocketRejectionReason.INFLATE_LIMIT, "decompressed message over " + maxMessageBytes + " bytes");
      }
      appended(produced);
      if (produced < room) {
        if (z.finished() || z.needsInput()) {
          return;
        }
        if (z.needsDictionary()) {
          throw invalidPayload(WebSocketRejectionReason.BAD_COMPRESSED_DATA, "compressed data needs a preset dictionary");
        }
        if (produced == 0) {
          throw invalidPayload(WebSocketRejectionReason.BAD_COMPRESSED_DATA, "compressed data made no progress");
        }
      }
    }
  }

  private void ensureCapacity(int needed, int limit) {
    if (needed <= buffer.length) {
      return;
    }
    int grown = (int) Math.min(limit, Math.max((long) buffer.length * 2, 256));
    buffer = Arrays.copyOf(buffer, Math.max(needed, grown));
  }

  private @Nullable Inbound frameComplete() throws WebSocketProtocolException {
    switch (opcode) {
      case PING:
        return new Inbound.Ping(control);
      case PONG:
        return new Inbound.Pong(control);
      case CLOSE:
        done = true;
        return new Inbound.Close(closeStatus());
      default:
        return fin ? messageComplete() : null;
    }
  }

  private CloseStatus closeStatus() throws WebSocketProtocolException {
    if (controlLength == 0) {
      return CloseStatus.of(CloseStatus.NO_STATUS);
    }
    if (controlLength == 1) {
      throw protocol("close frame with a 1-byte payload");
    }
    int code = ((control[0] & 0xFF) << 8) | (control[1] & 0xFF);
    if (!CloseStatus.isSendable(code)) {
      throw protocol("invalid close code " + code);
    }
    if (!Utf8Validator.isValid(control, 2, controlLength - 2)) {
      throw invalidPayload(WebSocketRejectionReason.INVALID_UTF8, "close reason is not valid UTF-8");
    }
    return new CloseStatus(code, new String(control, 2, controlLength - 2, StandardCharsets.UTF_8));
  }

  private Inbound messageComplete() throws WebSocketProtocolException {
    Inflater z = inflater;
    if (messageCompressed && z != null) {
      inflate(DEFLATE_TAIL, DEFLATE_TAIL.length);
      if (resetInflaterPerMessage || z.finished()) {
        z.reset();
      }
    }
    WebSocketMessage message;
    if (messageOpcode == TEXT) {
      if (!utf8.complete()) {
        throw invalidPayload(WebSocketRejectionReason.INVALID_UTF8, "text message ends inside a UTF-8 sequence");
      }
      message = WebSocketMessage.text(new String(buffer, 0, size, StandardCharsets.UTF_8));
      if (buffer.length > RETAINED_BUFFER_BYTES) {
        buffer = EMPTY;
      }
    } else {
      message = WebSocketMessage.binary(size == buffer.length ? buffer : Arrays.copyOf(buffer, size));
      if (size == buffer.length || buffer.length > RETAINED_BUFFER_BYTES) {
        buffer = EMPTY;
      }
    }
    messageOpcode = 0;
    messageWireBytes = 0;
    messageFrames = 0;
    size = 0;
    return new Inbound.Data(message);
  }

  /** Frees the inflater; idempotent. */
  @Override
  public void close() {
    done = true;
    if (inflater != null) {
      inflater.end();
    }
  }
}
