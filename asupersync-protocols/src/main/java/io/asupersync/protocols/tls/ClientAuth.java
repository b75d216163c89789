package io.asupersync.protocols.tls;

/** Whether a server asks TLS clients for a certificate. */
public enum ClientAuth {
  /** No certificate is requested. */
  NONE,
  /** A certificate is requested; a client without one is still accepted, one that fails verification is not. */
  WANT,
  /**
   * A verified certificate is required. Over TLS 1.3 the client learns of a refusal only on its first
   * read after the handshake, since the server checks the certificate after the client's handshake ended.
   */
  NEED;

  io.netty.handler.ssl.ClientAuth toNetty() {
    return switch (this) {
      case NONE -> io.netty.handler.ssl.ClientAuth.NONE;
      case WANT -> io.netty.handler.ssl.ClientAuth.OPTIONAL;
      case NEED -> io.netty.handler.ssl.ClientAuth.REQUIRE;
    };
  }
}
