package io.asupersync.security;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import org.jspecify.annotations.Nullable;

/**
 * An HMAC-SHA256 authentication tag over a domain-separated framing of fields (see {@code Framing}:
 * a fixed label and version, the {@link AuthDomain}, then every field prefixed with its length),
 * together with the {@linkplain AuthKey#keyId() id} of the key that made it.
 *
 * <p>Its text form is {@code hmac-sha256:<16 hex key id>:<64 hex mac>}, lower case; {@link #parse}
 * accepts exactly that form, so every bit of the text matters. An all-zero MAC is refused. Tags are
 * not secret. Verification and {@link #equals} compare in constant time ({@link
 * java.security.MessageDigest#isEqual}).
 */
public final class AuthTag {

  /** Length of the MAC in bytes. */
  public static final int LENGTH = 32;

  /** The scheme prefix of the text form. */
  public static final String SCHEME = "hmac-sha256";

  /** The domain reported for a tag that fails to parse before its domain is known. */
  static final AuthDomain PARSE_DOMAIN = new AuthDomain("asupersync.tag");

  private static final int TEXT_LENGTH = SCHEME.length() + 1 + 2 * Framing.KEY_ID_LENGTH + 1 + 2 * LENGTH;

  private final String keyId;
  private final byte[] mac;

  private AuthTag(String keyId, byte[] mac) {
    this.keyId = keyId;
    this.mac = mac;
  }

  /**
   * Tags {@code fields} in {@code domain} with {@code key}.
   *
   * @throws IllegalStateException if the key is closed
   */
  public static AuthTag compute(AuthKey key, AuthDomain domain, byte[]... fields) {
    return compute(key, domain, wrap(fields));
  }

  /**
   * Tags the remaining bytes of each buffer (positions are left unchanged).
   *
   * @throws IllegalStateException if the key is closed
   */
  public static AuthTag compute(AuthKey key, AuthDomain domain, List<ByteBuffer> fields) {
    byte[] mac = rawMac(key, domain, fields);
    if (isAllZero(mac)) {
      throw new IllegalStateException("HMAC produced an all-zero tag (probability 2^-256)");
    }
    return new AuthTag(key.keyId(), mac);
  }

  /**
   * Parses the text form.
   *
   * @throws AuthenticationException with {@link AuthFailure#TAG_MALFORMED} if the text is not exactly
   *     {@code hmac-sha256:<16 hex>:<64 hex>} in lower case, or the MAC is all zeros (the domain it
   *     names is {@code asupersync.tag}: a parser does not know what the tag was for)
   */
  public static AuthTag parse(String text) {
    if (text.length() != TEXT_LENGTH
        || !text.startsWith(SCHEME + ":")
        || text.charAt(SCHEME.length() + 1 + 2 * Framing.KEY_ID_LENGTH) != ':') {
      throw malformed("expected " + SCHEME + ":<16 hex key id>:<64 hex mac>");
    }
    String keyId = text.substring(SCHEME.length() + 1, SCHEME.length() + 1 + 2 * Framing.KEY_ID_LENGTH);
    String macHex = text.substring(TEXT_LENGTH - 2 * LENGTH);
    if (!isLowerHex(keyId) || !isLowerHex(macHex)) {
      throw malformed("key id and mac must be lower-case hexadecimal");
    }
    byte[] mac = HexFormat.of().parseHex(macHex);
    if (isAllZero(mac)) {
      throw malformed("all-zero tag");
    }
    return new AuthTag(keyId, mac);
  }

  /** The id of the key that made this tag. */
  public String keyId() {
    return keyId;
  }

  /** A copy of the 32 MAC bytes. */
  public byte[] mac() {
    return mac.clone();
  }

  /**
   * Whether this tag was made by {@code key} over exactly {@code fields} in {@code domain}; the MAC
   * comparison takes constant time.
   */
  public boolean verify(AuthKey key, AuthDomain domain, byte[]... fields) {
    return check(key, domain, wrap(fields)) == null;
  }

  /** Like {@link #verify(AuthKey, AuthDomain, byte[]...)} over the remaining bytes of each buffer. */
  public boolean verify(AuthKey key, AuthDomain domain, List<ByteBuffer> fields) {
    return check(key, domain, fields) == null;
  }

  /** Null when authentic, otherwise {@link AuthFailure#WRONG_KEY} or {@link AuthFailure#TAG_MISMATCH}. */
  @Nullable AuthFailure check(AuthKey key, AuthDomain domain, List<ByteBuffer> fields) {
    byte[] expected = rawMac(key, domain, fields);
    boolean macMatches = ConstantTime.equal(expected, mac);
    if (!keyId.equals(key.keyId())) {
      return AuthFailure.WRONG_KEY;
    }
    return macMatches ? null : AuthFailure.TAG_MISMATCH;
  }

  /** The text form, {@code hmac-sha256:<key id>:<mac>}. */
  public String encode() {
    return SCHEME + ":" + keyId + ":" + HexFormat.of().formatHex(mac);
  }

  /** Equal when key id and MAC are equal; the MAC is compared in constant time. */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof AuthTag other && ConstantTime.equal(mac, other.mac) && keyId.equals(other.keyId);
  }

  @Override
  public int hashCode() {
    return keyId.hashCode();
  }

  @Override
  public String toString() {
    return encode();
  }

  private static byte[] rawMac(AuthKey key, AuthDomain domain, List<ByteBuffer> fields) {
    Mac mac = key.newMac();
    Framing.tag(mac, domain, fields);
    return mac.doFinal();
  }

  private static List<ByteBuffer> wrap(byte[]... fields) {
    List<ByteBuffer> buffers = new ArrayList<>(fields.length);
    for (byte[] field : fields) {
      buffers.add(ByteBuffer.wrap(field));
    }
    return buffers;
  }

  private static boolean isLowerHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAllZero(byte[] bytes) {
    int any = 0;
    for (byte b : bytes) {
      any |= b;
    }
    return any == 0;
  }

  private static AuthenticationException malformed(String detail) {
    return new AuthenticationException(PARSE_DOMAIN, AuthFailure.TAG_MALFORMED, detail);
  }}
