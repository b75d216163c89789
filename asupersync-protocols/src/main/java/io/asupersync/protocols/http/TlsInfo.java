package io.asupersync.protocols.http;

import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The TLS session a request arrived on.
 *
 * @param protocol negotiated protocol version, for example {@code TLSv1.3}
 * @param cipherSuite negotiated cipher suite
 * @param applicationProtocol ALPN result ({@code h2} or {@code http/1.1}), null when none was negotiated
 * @param peerCertificates the client's verified certificate chain, leaf first; empty without mTLS
 */
public record TlsInfo(
    String protocol,
    String cipherSuite,
    @Nullable String applicationProtocol,
    List<X509Certificate> peerCertificates) {

  public TlsInfo {
    peerCertificates = List.copyOf(peerCertificates);
  }

  /** The verified client's subject, when the client presented a certificate. */
  public Optional<Principal> peerPrincipal() {
    return peerCertificates.isEmpty()
        ? Optional.empty()
        : Optional.of(peerCertificates.get(0).getSubjectX500Principal());
  }
}
