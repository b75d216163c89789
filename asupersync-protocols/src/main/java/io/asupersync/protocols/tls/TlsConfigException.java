package io.asupersync.protocols.tls;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * TLS material or settings that cannot make a context: a missing or unreadable file, a malformed PEM
 * block, a wrong password, a key that does not belong to its certificate, an expired certificate, or a
 * provider that is not available. The message names the file or setting at fault, never a password.
 */
public final class TlsConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What is wrong, so callers can react without parsing the message. */
  public enum Reason {
    /** A file is missing, unreadable or larger than a TLS file can be. */
    UNREADABLE,
    /** A file or store holds no usable certificate or key, or it is not valid PEM/DER. */
    MALFORMED,
    /** The key is in a format this loader does not take (PKCS#1 or SEC1 PEM instead of PKCS#8). */
    UNSUPPORTED_FORMAT,
    /** An encrypted key or a key store needs a password that was not given or does not open it. */
    BAD_PASSWORD,
    /** The private key does not match the leaf certificate's public key. */
    KEY_MISMATCH,
    /** The leaf certificate is expired or not yet valid. */
    CERTIFICATE_NOT_VALID,
    /** The settings do not add up, e.g. client authentication without a trust source. */
    INVALID_SETTINGS,
    /** The requested provider (OpenSSL) is not available on this machine. */
    PROVIDER_UNAVAILABLE,
    /** Netty or the JDK refused to build a context from otherwise readable material. */
    CONTEXT_FAILED
  }

  private final Reason reason;

  public TlsConfigException(Reason reason, String message) {
    this(reason, message, null);
  }

  public TlsConfigException(Reason reason, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
