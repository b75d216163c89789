package io.asupersync.protocols.tls;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * A digest of the content of the files a context was built from. Content, not modification time: a
 * Kubernetes secret update swaps a symlink, and two writes within one timestamp tick must still count.
 */
final class Fingerprint {
  private Fingerprint() {}

  /** Null-free digest; an unreadable file contributes a marker so that it differs from any content. */
  static byte[] of(List<Path> files) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
    for (Path file : files) {
      digest.update(file.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      try {
        digest.update(Pem.read(file));
      } catch (TlsConfigException e) {
        digest.update(new byte[] {(byte) 0xFF, (byte) e.reason().ordinal()});
      }
    }
    return digest.digest();
  }

  static boolean same(byte[] a, byte[] b) {
    return Arrays.equals(a, b);
  }
}
