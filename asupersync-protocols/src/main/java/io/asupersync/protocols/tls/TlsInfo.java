package io.asupersync.protocols.tls;

import io.netty.handler.ssl.SslHandler;
import java.security.Principal;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * What a finished TLS handshake established, as a handler or a client call sees it.
 *
 * @param protocol negotiated version, {@code TLSv1.3} or {@code TLSv1.2}
 * @param cipherSuite negotiated suite, IANA name
 * @param applicationProtocol ALPN result ({@code h2}, {@code http/1.1}), or null when none was agreed
 * @param peerCertificates the peer's chain as verified by the trust source, leaf first; empty when the
 *     peer sent none (a server without client auth never has one)
 */
public record TlsInfo(
    String protocol,
    String cipherSuite,
    @Nullable String applicationProtocol,
    List<X509Certificate> peerCertificates) {

  public TlsInfo {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(cipherSuite, "cipherSuite");
    peerCertificates = List.copyOf(peerCertificates);
  }

  /** From a handler whose handshake completed. */
  public static TlsInfo of(SslHandler handler) {
    return of(handler.engine());
  }

  /** From an engine whose handshake completed. */
  public static TlsInfo of(SSLEngine engine) {
    String alpn = engine.getApplicationProtocol();
    return of(engine.getSession(), alpn == null || alpn.isEmpty() ? null : alpn);
  }

  /** From a session; the session does not carry ALPN, so the caller passes it. */
  public static TlsInfo of(SSLSession session, @Nullable String applicationProtocol) {
    List<X509Certificate> chain = new ArrayList<>();
    try {
      for (Certificate cert : session.getPeerCertificates()) {
        if (cert instanceof X509Certificate x509) {
          chain.add(x509);
        }
      }
    } catch (SSLPeerUnverifiedException e) {
      // the peer did not authenticate: no chain
    }
    return new TlsInfo(session.getProtocol(), session.getCipherSuite(), applicationProtocol, chain);
  }

  /** The subject of the peer's verified leaf certificate, when it sent one. */
  public Optional<Principal> peerPrincipal() {
    return peerCertificate().map(X509Certificate::getSubjectX500Principal);
  }

  /** The peer's leaf certificate, when it sent one. */
  public Optional<X509Certificate> peerCertificate() {
    return peerCertificates.isEmpty() ? Optional.empty() : Optional.of(peerCertificates.get(0));
  }
}
