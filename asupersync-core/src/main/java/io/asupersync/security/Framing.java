package io.asupersync.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.crypto.Mac;

/**
 * The bytes that are MACed. A tag covers: the length-prefixed label {@value #TAG_LABEL}, the version
 * byte, the length-prefixed domain name, the field count, then each field prefixed with its length
 * (lengths are big-endian, 4 bytes for label, domain and count, 8 bytes for fields). Every component
 * is length-prefixed, so the framing is injective: different (domain, fields) never frame to the same
 * bytes. A key id frames only the distinct label {@value #KEY_ID_LABEL} and the version, so it never
 * collides with a tag.
 */
final class Framing {

  static final String TAG_LABEL = "asupersync-auth-tag";
  static final String KEY_ID_LABEL = "asupersync-key-id";
  static final byte VERSION = 1;
  static final int KEY_ID_LENGTH = 8;

  /** Where framed bytes go: a MAC, or a buffer in tests. */
  interface Sink {
    void update(byte[] bytes);

    void update(ByteBuffer bytes);
  }

  private Framing() {}

  static void keyId(Mac mac) {
    label(sink(mac), KEY_ID_LABEL);
  }

  static void tag(Mac mac, AuthDomain domain, List<ByteBuffer> fields) {
    tag(sink(mac), domain, fields);
  }

  static void tag(Sink sink, AuthDomain domain, List<ByteBuffer> fields) {
    label(sink, TAG_LABEL);
    byte[] name = domain.name().getBytes(StandardCharsets.UTF_8);
    sink.update(ByteBuffer.allocate(4).putInt(name.length).array());
    sink.update(name);
    sink.update(ByteBuffer.allocate(4).putInt(fields.size()).array());
    for (ByteBuffer field : fields) {
      sink.update(ByteBuffer.allocate(8).putLong(field.remaining()).array());
      sink.update(field.duplicate());
    }
  }

  private static void label(Sink sink, String label) {
    byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
    sink.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
    sink.update(bytes);
    sink.update(new byte[] {VERSION});
  }

  private static Sink sink(Mac mac) {
    return new Sink() {
      @Override
      public void update(byte[] bytes) {
        mac.update(bytes);
      }

      @Override
      public void update(ByteBuffer bytes) {
        mac.update(bytes);
      }
    };
  }
}
