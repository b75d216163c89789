package io.asupersync.protocols;

import io.netty.handler.ssl.ApplicationProtocolNames;
import java.util.Optional;

/**
 * Application protocols a server port can speak, with their ALPN identifiers (RFC 7301).
 *
 * <p>The order of the constants is the server's preference order when it advertises ALPN: HTTP/2 first,
 * then HTTP/1.1.
 */
public enum ApplicationProtocol {

  /** HTTP/2 over TLS, ALPN identifier {@code h2}. */
  HTTP_2(ApplicationProtocolNames.HTTP_2),

  /** HTTP/1.1, ALPN identifier {@code http/1.1}. */
  HTTP_1_1(ApplicationProtocolNames.HTTP_1_1);

  private final String alpnId;

  ApplicationProtocol(String alpnId) {
    this.alpnId = alpnId;
  }

  /** Returns the ALPN identifier sent on the wire, never {@code null}. */
  public String alpnId() {
    return alpnId;
  }

  /**
   * Finds the protocol a peer selected during the TLS handshake.
   *
   * @param alpnId the identifier exactly as negotiated (ALPN identifiers are case-sensitive byte strings)
   * @return the matching protocol, or empty when the identifier is not one this stack speaks
   */
  public static Optional<ApplicationProtocol> fromAlpnId(String alpnId) {
    for (ApplicationProtocol protocol : values()) {
      if (protocol.alpnId.equals(alpnId)) {
        return Optional.of(protocol);
      }
    }
    return Optional.empty();
  }
}
