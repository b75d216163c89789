package io.asupersync.protocols.websocket.internal;

import io.asupersync.protocols.websocket.CloseStatus;
import io.asupersync.protocols.websocket.WebSocketLimits;
import io.asupersync.protocols.websocket.WebSocketMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import java.util.zip.Deflater;
import org.jspecify.annotations.Nullable;

/**
 * Encodes messages and control frames for one direction of a connection: masked with a fresh key per
 * frame on the client, unmasked on the server; compressed (RSV1) when permessage-deflate was negotiated
 * and the message is large enough to gain from it; split into frames of at most the frame limit.
 *
 * <p>Not thread-safe: with compression, the order of encoding is the order on the wire, so the
 * connection encodes and enqueues under one lock.
 */
public final class FrameWriter implements AutoCloseable {

  /** Messages shorter than this are sent uncompressed: deflate's framing would outweigh the gain. */
  static final int COMPRESS_MIN_BYTES = 64;

  private final boolean maskFrames;
  private final int maxFrameBytes;
  private final boolean deflate;
  private final boolean resetDeflaterPerMessage;
  // Created on the first compressed message: its native state (about 256 KiB) is not paid by
  // connections that never send one.
  private @Nullable Deflater deflater;
  private boolean closed;

  /**
   * @param maskFrames true on the client
   * @param deflate whether permessage-deflate was negotiated
   * @param resetDeflaterPerMessage whether this side agreed to no context takeover for its compressor
   */
  public FrameWriter(boolean maskFrames, WebSocketLimits limits, boolean deflate, boolean resetDeflaterPerMessage) {
    this.maskFrames = maskFrames;
    this.maxFrameBytes = limits.maxFrameBytes();
    this.deflate = deflate;
    this.resetDeflaterPerMessage = resetDeflaterPerMessage;
  }

  /** The frames of one data message; {@code masks} supplies the masking keys on the client. */
  public ByteBuf message(ByteBufAllocator alloc, WebSocketMessage message, RandomGenerator masks) {
    byte[] payload;
    int opcode;
    switch (message) {
      case WebSocketMessage.Text t -> {
        payload = t.text().getBytes(StandardCharsets.UTF_8);
        opcode = FrameReader.TEXT;
      }
      case WebSocketMessage.Binary b -> {
        payload = b.data();
        opcode = FrameReader.BINARY;
      }
    }
    int length = payload.length;
    boolean compressed = false;
    if (deflate && length >= COMPRESS_MIN_BYTES) {
      Deflated deflated = compress(deflater(), payload);
      payload = deflated.bytes();
      length = deflated.length();
      compressed = true;
    }
    int frames = Math.max(1, (int) ((length + (long) maxFrameBytes - 1) / maxFrameBytes));
    ByteBuf out = alloc.buffer(length + frames * 14);
    for (int i = 0, offset = 0; i < frames; i++) {
      int chunk = Math.min(maxFrameBytes, length - offset);
      int first = i == 0 ? opcode | (compressed ? 0x40 : 0) : FrameReader.CONTINUATION;
      writeFrame(out, (i == frames - 1 ? 0x80 : 0) | first, payload, offset, chunk, masks);
      offset += chunk;
    }
    return out;
  }

  /** One control frame; the payload must be at most 125 bytes. */
  public ByteBuf control(ByteBufAllocator alloc, int opcode, byte[] payload, RandomGenerator masks) {
    if (payload.length > WebSocketLimits.MAX_CONTROL_PAYLOAD) {
      throw new IllegalArgumentException("control payload over 125 bytes");
    }
    ByteBuf out = alloc.buffer(payload.length + 6);
    writeFrame(out, 0x80 | opcode, payload, 0, payload.length, masks);
    return out;
  }

  public ByteBuf closeFrame(ByteBufAllocator alloc, CloseStatus status, RandomGenerator masks) {
    return control(alloc, FrameReader.CLOSE, closePayload(status), masks);
  }

  /** Code and reason, the reason cut at a character boundary to fit 125 bytes. */
  static byte[] closePayload(CloseStatus status) {
    byte[] reason = status.reason().getBytes(StandardCharsets.UTF_8);
    int length = Math.min(reason.length, WebSocketLimits.MAX_CONTROL_PAYLOAD - 2);
    while (length < reason.length && length > 0 && (reason[length] & 0xC0) == 0x80) {
      length--; // do not cut inside a UTF-8 sequence
    }
    byte[] payload = new byte[2 + length];
    payload[0] = (byte) (status.code() >> 8);
    payload[1] = (byte) status.code();
    System.arraycopy(reason, 0, payload, 2, length);
    return payload;
  }

  private void writeFrame(ByteBuf out, int firstByte, byte[] payload, int offset, int length, RandomGenerator masks) {
    out.writeByte(firstByte);
    int maskBit = maskFrames ? 0x80 : 0;
    if (length <= 125) {
      out.writeByte(maskBit | length);
    } else if (length <= 0xFFFF) {
      out.writeByte(maskBit | 126);
      out.writeShort(length);
    } else {
      out.writeByte(maskBit | 127);
      out.writeLong(length);
    }
    if (!maskFrames) {
      out.writeBytes(payload, offset, length);
      return;
    }
    int key = masks.nextInt();
    out.writeInt(key);
    int start = out.writerIndex();
    out.writeBytes(payload, offset, length);
    int i = 0;
    for (; i + 4 <= length; i += 4) {
      out.setInt(start + i, out.getInt(start + i) ^ key);
    }
    for (; i < length; i++) {
      out.setByte(start + i, out.getByte(start + i) ^ (key >>> (24 - 8 * (i & 3))));
    }
  }

  private Deflater deflater() {
    Deflater z = deflater;
    if (z == null) {
      if (closed) {
        throw new IllegalStateException("writer is closed");
      }
      z = deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    }
    return z;
  }

  /** Compressed bytes: the first {@code length} of {@code bytes}. */
  private record Deflated(byte[] bytes, int length) {}

  private Deflated compress(Deflater z, byte[] input) {
    z.setInput(input);
    byte[] out = new byte[Math.max(64, input.length / 2 + 64)];
    int length = 0;
    while (true) {
      length += z.deflate(out, length, out.length - length, Deflater.SYNC_FLUSH);
      if (length < out.length) {
        break; // a sync flush that did not fill the buffer has emitted everything
      }
      out = Arrays.copyOf(out, out.length * 2);
    }
    if (length >= 4 && out[length - 4] == 0 && out[length - 3] == 0 && out[length - 2] == (byte) 0xFF && out[length - 1] == (byte) 0xFF) {
      length -= 4; // RFC 7692 section 7.2.1: the receiver appends these again
    }
    if (resetDeflaterPerMessage) {
      z.reset();
    }
    return new Deflated(out, length);
  }

  /** Frees the deflater; idempotent. */
  @Override
  public void close() {
    closed = true;
    if (deflater != null) {
      deflater.end();
    }
  }
}
