package io.asupersync.protocols.nats;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Client operations on the wire. Every operation is one buffer, so it is written whole or not at all. */
final class Encoder {

  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] PUB = "PUB ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HPUB = "HPUB ".getBytes(StandardCharsets.US_ASCII);
  static final byte[] NO_HEADERS = new byte[0];

  private Encoder() {}

  /** The header section of {@code headers}, or {@link #NO_HEADERS} when there is nothing to send. */
  static byte[] headerSection(NatsHeaders headers) {
    if (headers.isEmpty()) {
      return NO_HEADERS;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    out.writeBytes("NATS/1.0".getBytes(StandardCharsets.US_ASCII));
    if (headers.status() != 0) {
      out.writeBytes((" " + String.format("%03d", headers.status())).getBytes(StandardCharsets.US_ASCII));
      if (!headers.description().isEmpty()) {
        out.writeBytes((" " + headers.description()).getBytes(StandardCharsets.UTF_8));
      }
    }
    out.writeBytes(CRLF);
    for (Map.Entry<String, String> field : headers.fields()) {
      out.writeBytes((field.getKey() + ": " + field.getValue()).getBytes(StandardCharsets.UTF_8));
      out.writeBytes(CRLF);
    }
    out.writeBytes(CRLF);
    return out.toByteArray();
  }

  /** {@code PUB} (no headers) or {@code HPUB}. */
  static ByteBuf publish(ByteBufAllocator alloc, String subject, @Nullable String replyTo, byte[] headers, byte[] data) {
    int total = headers.length + data.length;
    ByteBuf buf = alloc.buffer(32 + 2 * subject.length() + (replyTo == null ? 0 : 2 * replyTo.length()) + total);
    buf.writeBytes(headers.length == 0 ? PUB : HPUB);
    ByteBufUtil.writeUtf8(buf, subject);
    buf.writeByte(' ');
    if (replyTo != null) {
      ByteBufUtil.writeUtf8(buf, replyTo);
      buf.writeByte(' ');
    }
    if (headers.length != 0) {
      ByteBufUtil.writeAscii(buf, Integer.toString(headers.length));
      buf.writeByte(' ');
    }
    ByteBufUtil.writeAscii(buf, Integer.toString(total));
    buf.writeBytes(CRLF);
    buf.writeBytes(headers);
    buf.writeBytes(data);
    buf.writeBytes(CRLF);
    return buf;
  }

  static ByteBuf subscribe(ByteBufAllocator alloc, String subject, @Nullable String queue, long sid) {
    return line(alloc, "SUB " + subject + (queue == null ? "" : " " + queue) + " " + sid);
  }

  static ByteBuf unsubscribe(ByteBufAllocator alloc, long sid) {
    return line(alloc, "UNSUB " + sid);
  }

  static ByteBuf connect(ByteBufAllocator alloc, String json) {
    return line(alloc, "CONNECT " + json + "\r\nPING");
  }

  static ByteBuf ping(ByteBufAllocator alloc) {
    return line(alloc, "PING");
  }

  static ByteBuf pong(ByteBufAllocator alloc) {
    return line(alloc, "PONG");
  }

  private static ByteBuf line(ByteBufAllocator alloc, String text) {
    ByteBuf buf = alloc.buffer(ByteBufUtil.utf8MaxBytes(text) + 2);
    ByteBufUtil.writeUtf8(buf, text);
    buf.writeBytes(CRLF);
    return buf;
  }

  /**
   * Checks a subject (or queue group, or reply subject) for what the wire cannot carry: empty, or
   * containing whitespace or control characters.
   */
  static String checkToken(String value, String what) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        throw new IllegalArgumentException(what + " must not hold whitespace or control characters");
      }
    }
    return value;
  }
}
