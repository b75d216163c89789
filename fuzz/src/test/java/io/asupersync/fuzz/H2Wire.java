package io.asupersync.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Writes and reads raw HTTP/2 frames and hand-encoded HPACK for seeds, checks and the attack suite (no
 * codec involved, so it can write what a codec would refuse).
 */
public final class H2Wire {

  public static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  public static final int DATA = 0x0, HEADERS = 0x1, PRIORITY = 0x2, RST_STREAM = 0x3, SETTINGS = 0x4, PUSH_PROMISE = 0x5,
      PING = 0x6, GOAWAY = 0x7, WINDOW_UPDATE = 0x8, CONTINUATION = 0x9;
  public static final int END_STREAM = 0x1, ACK = 0x1, END_HEADERS = 0x4, PADDED = 0x8, PRIORITY_FLAG = 0x20;

  /** One frame as it was read. */
  public record Frame(int type, int flags, int stream, byte[] payload) {}

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public H2Wire frame(int type, int flags, int stream, byte[] payload) {
    int n = payload.length;
    out.write(n >>> 16);
    out.write(n >>> 8);
    out.write(n);
    out.write(type);
    out.write(flags);
    writeInt(stream & 0x7fffffff);
    out.writeBytes(payload);
    return this;
  }

  public H2Wire settings(int... idValuePairs) {
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    for (int i = 0; i + 1 < idValuePairs.length; i += 2) {
      p.write(idValuePairs[i] >>> 8);
      p.write(idValuePairs[i]);
      for (int s = 24; s >= 0; s -= 8) {
        p.write(idValuePairs[i + 1] >>> s);
      }
    }
    return frame(SETTINGS, 0, 0, p.toByteArray());
  }

  public H2Wire headers(int stream, int flags, byte[] block) {
    return frame(HEADERS, flags, stream, block);
  }

  public H2Wire rst(int stream, int code) {
    return frame(RST_STREAM, 0, stream, int32(code));
  }

  public H2Wire windowUpdate(int stream, int increment) {
    return frame(WINDOW_UPDATE, 0, stream, int32(increment));
  }

  public H2Wire ping(long data) {
    byte[] p = new byte[8];
    for (int i = 0; i < 8; i++) {
      p[i] = (byte) (data >>> (56 - 8 * i));
    }
    return frame(PING, 0, 0, p);
  }

  public H2Wire raw(byte[] bytes) {
    out.writeBytes(bytes);
    return this;
  }

  public byte[] bytes() {
    return out.toByteArray();
  }

  private void writeInt(int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }

  public static byte[] int32(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  /**
   * A request header block with static-table entries only: {@code :method} GET (or POST), {@code
   * :scheme} http, {@code :path} /, and {@code :authority} as a literal without indexing.
   */
  public static byte[] request(String method, String authority) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(method.equals("POST") ? 0x83 : 0x82);
    b.write(0x86);
    b.write(0x84);
    literal(b, 0x01, authority); // :authority (static index 1), not indexed
    return b.toByteArray();
  }

  /** A literal field without indexing whose name is static-table entry {@code nameIndex} (< 15). */
  public static void literal(ByteArrayOutputStream b, int nameIndex, String value) {
    b.write(nameIndex);
    string(b, value);
  }

  /** A literal field with a new name, with incremental indexing (it enters the dynamic table). */
  public static void indexedLiteral(ByteArrayOutputStream b, String name, String value) {
    b.write(0x40);
    string(b, name);
    string(b, value);
  }

  /** An HPACK string literal (not Huffman), length as a 7-bit prefix integer. */
  public static void string(ByteArrayOutputStream b, String s) {
    byte[] v = s.getBytes(StandardCharsets.ISO_8859_1);
    integer(b, 0x00, 7, v.length);
    b.writeBytes(v);
  }

  /** An HPACK integer with an {@code n}-bit prefix after the bits of {@code first}. */
  public static void integer(ByteArrayOutputStream b, int first, int n, int value) {
    int max = (1 << n) - 1;
    if (value < max) {
      b.write(first | value);
      return;
    }
    b.write(first | max);
    value -= max;
    while (value >= 128) {
      b.write((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    b.write(value);
  }

  /** The frames in {@code bytes}; null when they do not end on a frame boundary. */
  public static @Nullable List<Frame> parse(byte[] bytes) {
    List<Frame> frames = new ArrayList<>();
    int at = 0;
    while (at + 9 <= bytes.length) {
      int n = ((bytes[at] & 0xff) << 16) | ((bytes[at + 1] & 0xff) << 8) | (bytes[at + 2] & 0xff);
      if (at + 9 + n > bytes.length) {
        return null;
      }
      int stream = ((bytes[at + 5] & 0x7f) << 24) | ((bytes[at + 6] & 0xff) << 16) | ((bytes[at + 7] & 0xff) << 8) | (bytes[at + 8] & 0xff);
      byte[] payload = new byte[n];
      System.arraycopy(bytes, at + 9, payload, 0, n);
      frames.add(new Frame(bytes[at + 3] & 0xff, bytes[at + 4] & 0xff, stream, payload));
      at += 9 + n;
    }
    return at == bytes.length ? frames : null;
  }

  public static int int32At(byte[] b, int at) {
    return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
  }
}
