package io.asupersync.protocols.websocket.internal;

/**
 * Incremental UTF-8 validation (RFC 3629): bytes may arrive in any split, and the first byte that can no
 * longer start or continue a valid sequence is reported at once, so a bad text message is refused before
 * the rest of it arrives. Rejects overlong forms, surrogates and code points above U+10FFFF.
 */
public final class Utf8Validator {

  // Continuation bytes still expected in the current sequence.
  private int pending;
  // Bounds of the next continuation byte (they differ from 0x80..0xBF only after E0, ED, F0, F4).
  private int low = 0x80;
  private int high = 0xBF;

  /** Feeds {@code length} bytes; false as soon as they cannot be part of valid UTF-8. */
  public boolean feed(byte[] bytes, int offset, int length) {
    for (int i = offset, end = offset + length; i < end; i++) {
      int b = bytes[i] & 0xFF;
      if (pending == 0) {
        if (b < 0x80) {
          continue;
        }
        if (b >= 0xC2 && b <= 0xDF) {
          pending = 1;
        } else if (b >= 0xE0 && b <= 0xEF) {
          pending = 2;
          low = b == 0xE0 ? 0xA0 : 0x80;
          high = b == 0xED ? 0x9F : 0xBF;
          continue;
        } else if (b >= 0xF0 && b <= 0xF4) {
          pending = 3;
          low = b == 0xF0 ? 0x90 : 0x80;
          high = b == 0xF4 ? 0x8F : 0xBF;
          continue;
        } else {
          return false;
        }
        low = 0x80;
        high = 0xBF;
      } else {
        if (b < low || b > high) {
          return false;
        }
        pending--;
        low = 0x80;
        high = 0xBF;
      }
    }
    return true;
  }

  /** Whether the bytes fed so far end on a sequence boundary. */
  public boolean complete() {
    return pending == 0;
  }

  public void reset() {
    pending = 0;
    low = 0x80;
    high = 0xBF;
  }

  /** Whether {@code bytes[offset, offset+length)} is complete, valid UTF-8. */
  public static boolean isValid(byte[] bytes, int offset, int length) {
    Utf8Validator v = new Utf8Validator();
    return v.feed(bytes, offset, length) && v.complete();
  }
}
