package io.asupersync.protocols.tls;

import io.asupersync.protocols.ApplicationProtocol;
import io.asupersync.protocols.tls.TlsConfigException.Reason;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.util.List;
import javax.net.ssl.SSLException;

/** The protocol and cipher policy every context shares, and the final build step. */
final class TlsPolicy {

  /** TLS 1.3 first; 1.2 stays for clients and tools (h2spec's TLS mode) that lack 1.3. */
  static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  /**
   * AEAD suites with forward secrecy only. The TLS 1.3 suites are all AEAD; for 1.2, ECDHE with AES-GCM or
   * ChaCha20-Poly1305 (no CBC, no RSA key exchange, no SHA-1 MACs). Names are the IANA/JDK ones; Netty maps
   * them for BoringSSL, which fixes the 1.3 set itself.
   */
  static final List<String> CIPHERS =
      List.of(
          "TLS_AES_128_GCM_SHA256",
          "TLS_AES_256_GCM_SHA384",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  /** HTTP/2 then HTTP/1.1. */
  static final List<ApplicationProtocol> DEFAULT_ALPN = List.of(ApplicationProtocol.HTTP_2, ApplicationProtocol.HTTP_1_1);

  private TlsPolicy() {}

  static List<ApplicationProtocol> alpnList(ApplicationProtocol... protocols) {
    if (protocols.length == 0) {
      throw new IllegalArgumentException("at least one application protocol");
    }
    List<ApplicationProtocol> list = List.of(protocols);
    if (list.stream().distinct().count() != list.size()) {
      throw new IllegalArgumentException("application protocols repeat: " + list);
    }
    return list;
  }

  static void checkProvider(TlsProvider provider) throws TlsConfigException {
    if (!provider.isAvailable()) {
      throw new TlsConfigException(
          Reason.PROVIDER_UNAVAILABLE, "OpenSSL (netty-tcnative) does not load here: " + io.netty.handler.ssl.OpenSsl.unavailabilityCause());
    }
  }

  /**
   * Applies the shared policy and builds. Without a common protocol the peer is not told which ones we
   * speak (NO_ADVERTISE) and the connection goes on; the HTTP layer decides what an absent ALPN means
   * (HTTP/1.1, or a refusal on an h2-only port). BoringSSL supports no other failure behaviour.
   */
  static SslContext build(SslContextBuilder builder, TlsProvider provider, List<ApplicationProtocol> alpn, String what)
      throws TlsConfigException {
    builder
        .sslProvider(provider.toNetty())
        .protocols(PROTOCOLS)
        .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
        .applicationProtocolConfig(
            new ApplicationProtocolConfig(
                Protocol.ALPN,
                SelectorFailureBehavior.NO_ADVERTISE,
                SelectedListenerFailureBehavior.ACCEPT,
                alpn.stream().map(ApplicationProtocol::alpnId).toList()));
    try {
      return builder.build();
    } catch (SSLException | RuntimeException e) {
      throw new TlsConfigException(Reason.CONTEXT_FAILED, what + ": cannot build the TLS context (" + e.getMessage() + ")", e);
    }
  }
}
