package io.asupersync.protocols.grpc.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The percent-encoding of {@code grpc-message}: the message's UTF-8 bytes, with every byte outside
 * printable ASCII ({@code 0x20}–{@code 0x7E}) and every {@code %} written as {@code %XX}.
 */
public final class PercentEncoding {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PercentEncoding() {}

  public static String encode(String message) {
    if (isPlain(message)) {
      return message;
    }
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length + 16);
    for (byte b : bytes) {
      int v = b & 0xff;
      if (v >= 0x20 && v <= 0x7e && v != '%') {
        out.append((char) v);
      } else {
        out.append('%').append(HEX[v >>> 4]).append(HEX[v & 0xf]);
      }
    }
    return out.toString();
  }

  /**
   * Decodes leniently, as the specification asks of a receiver: a {@code %} not followed by two hex
   * digits stays as it is, and bytes that are not valid UTF-8 become replacement characters. Never
   * throws.
   */
  public static String decode(CharSequence value) {
    int length = value.length();
    int firstPercent = -1;
    for (int i = 0; i < length; i++) {
      if (value.charAt(i) == '%') {
        firstPercent = i;
        break;
      }
    }
    if (firstPercent < 0) {
      return value.toString();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(length);
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c == '%' && i + 2 < length && hex(value.charAt(i + 1)) >= 0 && hex(value.charAt(i + 2)) >= 0) {
        bytes.write(hex(value.charAt(i + 1)) << 4 | hex(value.charAt(i + 2)));
        i += 2;
      } else {
        // Header values arrive as one char per octet; a raw octet outside ASCII (not allowed on the
        // wire, but HTTP lets it through) is kept as that octet.
        bytes.write(c <= 0xff ? c : '?');
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static boolean isPlain(String message) {
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '%') {
        return false;
      }
    }
    return true;
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }
}
