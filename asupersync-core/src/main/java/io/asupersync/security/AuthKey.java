package io.asupersync.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import org.jspecify.annotations.Nullable;

/**
 * A 256-bit key for HMAC-SHA256 authentication tags.
 *
 * <p>Construction refuses material that cannot be a random 256-bit key: the wrong length, all zeros,
 * fewer than {@value #MIN_DISTINCT_BYTES} distinct byte values, fewer than {@value #MIN_SET_BITS} or
 * more than {@value #MAX_SET_BITS} set bits, or only printable ASCII (a password or undecoded text).
 * Random material fails these checks with a probability below 10<sup>-14</sup>; {@link #generate()}
 * retries in that case. Refusals are {@link KeyMaterialException}s whose message never contains the
 * material.
 *
 * <p>{@link #toString()} shows only the {@linkplain #keyId() key id}, never the key. {@link #close()}
 * overwrites this object's copy of the key with zeros; a closed key throws {@link
 * IllegalStateException} when used. Wiping is <em>best effort</em>: the JVM may have copied the array
 * during garbage collection, a base64 {@link String} handed to {@link #fromBase64} cannot be wiped,
 * and the JCE provider derives per-operation pad blocks from the key that stay in the heap until
 * collected. See {@code SECURITY.md}.
 *
 * <p>Thread-safe: tags may be computed concurrently with one key; {@code close} waits for operations
 * that are setting up a MAC.
 */
public final class AuthKey implements AutoCloseable {

  /** Key length in bytes (256 bits). */
  public static final int LENGTH = 32;

  /** Fewest distinct byte values accepted in the key. */
  public static final int MIN_DISTINCT_BYTES = 16;

  /** Fewest set bits accepted in the key (the mean of random material is 128, sigma 8). */
  public static final int MIN_SET_BITS = 64;

  /** Most set bits accepted in the key. */
  public static final int MAX_SET_BITS = 192;

  /** Largest key resource read, in bytes; a base64 key needs 44. */
  public static final int MAX_RESOURCE_BYTES = 4096;

  static final String ALGORITHM = "HmacSHA256";
  private static final String BASE64_PREFIX = "base64:";
  private static final String HINT =
      "; use a random 256-bit key: AuthKey.generate(), or the base64 output of `openssl rand -base64 32`";

  private final byte[] material;
  private final boolean testOnly;
  private final String keyId;
  private boolean closed;

  /** Takes ownership of {@code owned}; wipes it when it is refused. */
  private AuthKey(byte[] owned, boolean testOnly) {
    try {
      check(owned);
    } catch (KeyMaterialException e) {
      wipe(owned);
      throw e;
    }
    this.material = owned;
    this.testOnly = testOnly;
    Mac mac = newMac();
    Framing.keyId(mac);
    byte[] id = mac.doFinal();
    this.keyId = HexFormat.of().formatHex(id, 0, Framing.KEY_ID_LENGTH);
  }

  /**
   * A key from raw bytes; the array is copied, and the caller may wipe its own copy afterwards.
   *
   * @throws KeyMaterialException if the bytes are not exactly 32 bytes of plausibly random material
   */
  public static AuthKey fromBytes(byte[] material) {
    return new AuthKey(material.clone(), false);
  }

  /**
   * A key from its base64 text, as found in an environment variable or a Spring property: standard or
   * URL-safe alphabet, padding optional, surrounding whitespace and an optional {@code base64:}
   * prefix ignored.
   *
   * @throws KeyMaterialException if the text is missing, not base64, or does not decode to an
   *     acceptable 256-bit key
   */
  public static AuthKey fromBase64(String value) {
    byte[] text = value.getBytes(StandardCharsets.US_ASCII);
    try {
      return decodeText(text);
    } finally {
      wipe(text);
    }
  }

  /**
   * A key from a resource holding its base64 text (a mounted secret file, a Spring {@code
   * Resource}'s stream). Reads at most {@value #MAX_RESOURCE_BYTES} bytes and does not close the
   * stream.
   *
   * @throws KeyMaterialException if the content is not an acceptable base64 key
   * @throws IOException if the stream cannot be read
   */
  public static AuthKey fromResource(InputStream in) throws IOException {
    byte[] text = in.readNBytes(MAX_RESOURCE_BYTES + 1);
    try {
      if (text.length > MAX_RESOURCE_BYTES) {
        throw new KeyMaterialException(
            KeyMaterialException.Reason.TOO_LARGE,
            "key resource exceeds " + MAX_RESOURCE_BYTES + " bytes; it should hold one base64 key");
      }
      return decodeText(text);
    } finally {
      wipe(text);
    }
  }

  /**
   * A key from a file holding its base64 text.
   *
   * @throws KeyMaterialException if the content is not an acceptable base64 key
   * @throws IOException if the file cannot be read
   */
  public static AuthKey fromResource(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return fromResource(in);
    }
  }

  /**
   * A key from the base64 value of an environment variable.
   *
   * @throws KeyMaterialException if the variable is unset or blank, or its value is not an acceptable
   *     base64 key (the message names the variable, never its value)
   */
  public static AuthKey fromEnvironment(String variable) {
    String value = System.getenv(variable);
    if (value == null || value.isBlank()) {
      throw new KeyMaterialException(
          KeyMaterialException.Reason.MISSING, "environment variable " + variable + " is not set" + HINT);
    }
    return fromBase64(value);
  }

  /** A fresh random key from {@link SecureRandom}. */
  public static AuthKey generate() {
    SecureRandom random = new SecureRandom();
    while (true) {
      byte[] candidate = new byte[LENGTH];
      random.nextBytes(candidate);
      if (weakness(candidate) == null) {
        return new AuthKey(candidate, false);
      }
      wipe(candidate);
    }
  }

  /**
   * <strong>For tests only:</strong> a deterministic key derived from {@code seed}, so recorded test
   * fixtures can be tagged reproducibly. Anyone who knows the seed knows the key; never use one to
   * protect anything. {@link #isTestOnly()} is true and {@link #toString()} says so.
   */
  public static AuthKey forTestsOnly(long seed) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (int counter = 0; ; counter++) {
        sha.update("asupersync AuthKey.forTestsOnly v1".getBytes(StandardCharsets.US_ASCII));
        sha.update(ByteBuffer.allocate(12).putLong(seed).putInt(counter).array());
        byte[] candidate = sha.digest();
        if (weakness(candidate) == null) {
          return new AuthKey(candidate, true);
        }
      }
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required on every Java platform", e);
    }
  }

  /**
   * A public identifier of this key: the first 8 bytes of an HMAC of a fixed label, in hex. It names
   * which key made a tag without revealing the key, and stays available after {@link #close()}.
   */
  public String keyId() {
    return keyId;
  }

  /** Whether this key came from {@link #forTestsOnly(long)}. */
  public boolean isTestOnly() {
    return testOnly;
  }

  public synchronized boolean isClosed() {
    return closed;
  }

  /** Overwrites this object's copy of the key with zeros (best effort, see the class comment). */
  @Override
  public synchronized void close() {
    wipe(material);
    closed = true;
  }

  @Override
  public String toString() {
    return "AuthKey[id=" + keyId + ", 256-bit" + (testOnly ? ", test-only" : "") + (isClosed() ? ", closed" : "") + "]";
  }

  /**
   * A fresh HMAC-SHA256 instance keyed with this key.
   *
   * @throws IllegalStateException if the key is closed
   */
  synchronized Mac newMac() {
    if (closed) {
      throw new IllegalStateException("AuthKey " + keyId + " is closed");
    }
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new KeyView(material));
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(ALGORITHM + " is required on every Java platform", e);
    }
  }

  /** Test seam: whether this object's copy of the key is all zeros. */
  synchronized boolean materialIsWiped() {
    for (byte b : material) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static AuthKey decodeText(byte[] text) {
    int start = 0;
    int end = text.length;
    while (start < end && isWhitespace(text[start])) {
      start++;
    }
    while (end > start && isWhitespace(text[end - 1])) {
      end--;
    }
    if (end - start >= BASE64_PREFIX.length()
        && new String(text, start, BASE64_PREFIX.length(), StandardCharsets.US_ASCII).equalsIgnoreCase(BASE64_PREFIX)) {
      start += BASE64_PREFIX.length();
    }
    if (start == end) {
      throw new KeyMaterialException(KeyMaterialException.Reason.MISSING, "key text is empty" + HINT);
    }
    for (int i = start; i < end; i++) {
      if (text[i] == '-') {
        text[i] = '+';
      } else if (text[i] == '_') {
        text[i] = '/';
      }
    }
    ByteBuffer decoded;
    try {
      decoded = Base64.getDecoder().decode(ByteBuffer.wrap(text, start, end - start));
    } catch (IllegalArgumentException e) {
      // The decoder's message quotes the offending character: not repeated here.
      throw new KeyMaterialException(
          KeyMaterialException.Reason.NOT_BASE64, "key text is not valid base64 (" + (end - start) + " characters)" + HINT);
    }
    byte[] raw = new byte[decoded.remaining()];
    decoded.get(raw);
    if (decoded.hasArray()) {
      wipe(decoded.array());
    }
    if (raw.length != LENGTH) {
      String hexHint = end - start == 2 * LENGTH ? " (64 characters: is this hex rather than base64?)" : "";
      wipe(raw);
      throw new KeyMaterialException(
          KeyMaterialException.Reason.WRONG_LENGTH,
          "key must decode to " + LENGTH + " bytes (256 bits), got " + raw.length + hexHint + HINT);
    }
    return new AuthKey(raw, false);
  }

  private static boolean isWhitespace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f';
  }

  private static void check(byte[] material) {
    if (material.length != LENGTH) {
      throw new KeyMaterialException(
          KeyMaterialException.Reason.WRONG_LENGTH,
          "key must be " + LENGTH + " bytes (256 bits), got " + material.length + HINT);
    }
    KeyMaterialException weakness = weakness(material);
    if (weakness != null) {
      throw weakness;
    }
  }

  /** Why 32 bytes are not acceptable as a random key, or null when they are. */
  private static @Nullable KeyMaterialException weakness(byte[] material) {
    boolean allZero = true;
    boolean allText = true;
    int bits = 0;
    boolean[] seen = new boolean[256];
    int distinct = 0;
    for (byte b : material) {
      allZero &= b == 0;
      allText &= b >= 0x20 && b <= 0x7e;
      bits += Integer.bitCount(b & 0xff);
      if (!seen[b & 0xff]) {
        seen[b & 0xff] = true;
        distinct++;
      }
    }
    if (allZero) {
      return weak(KeyMaterialException.Reason.ALL_ZERO, "every byte is zero");
    }
    if (bits < MIN_SET_BITS) {
      return weak(KeyMaterialException.Reason.TOO_FEW_SET_BITS,
          bits + " of 256 bits set, at least " + MIN_SET_BITS + " required");
    }
    if (bits > MAX_SET_BITS) {
      return weak(KeyMaterialException.Reason.TOO_MANY_SET_BITS,
          bits + " of 256 bits set, at most " + MAX_SET_BITS + " allowed");
    }
    if (distinct < MIN_DISTINCT_BYTES) {
      return weak(KeyMaterialException.Reason.TOO_FEW_DISTINCT_BYTES,
          distinct + " distinct byte values, at least " + MIN_DISTINCT_BYTES + " required");
    }
    if (allText) {
      return weak(KeyMaterialException.Reason.LOOKS_LIKE_TEXT,
          "every byte is printable ASCII, so this is a password or undecoded text, not random key material"
              + " (decode base64 text with AuthKey.fromBase64)");
    }
    return null;
  }

  private static KeyMaterialException weak(KeyMaterialException.Reason reason, String detail) {
    return new KeyMaterialException(reason, "weak key material refused: " + detail + HINT);
  }

  private static void wipe(byte[] bytes) {
    Arrays.fill(bytes, (byte) 0);
  }

  /**
   * Hands the key to the JCE without a {@code SecretKeySpec}, whose internal copy could not be wiped:
   * each {@link #getEncoded()} returns a fresh copy that the provider consumes.
   */
  private static final class KeyView implements SecretKey {
    private static final long serialVersionUID = 1L;
    private final transient byte[] material;

    KeyView(byte[] material) {
      this.material = material;
    }

    @Override
    public String getAlgorithm() {
      return ALGORITHM;
    }

    @Override
    public String getFormat() {
      return "RAW";
    }

    @Override
    public byte[] getEncoded() {
      return material.clone();
    }
  }
}
