package io.asupersync.protocols.websocket;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** A test CA and a server certificate for 127.0.0.1, with the contexts both ends need. */
final class TestTls {

  static final TestTls INSTANCE = new TestTls();

  final SslContext server;
  final SslContext client;

  private TestTls() {
    try {
      Instant now = Instant.now();
      CertificateBuilder base = new CertificateBuilder()
          .notBefore(now.minus(1, ChronoUnit.DAYS)).notAfter(now.plus(1, ChronoUnit.DAYS)).ecp256();
      X509Bundle ca = base.copy().subject("CN=WebSocket Test CA").setIsCertificateAuthority(true).buildSelfSigned();
      X509Bundle cert = base.copy().subject("CN=localhost").addSanDnsName("localhost").addSanIpAddress("127.0.0.1")
          .addExtendedKeyUsageServerAuth().buildIssuedBy(ca);
      server = SslContextBuilder.forServer(cert.toKeyManagerFactory())
          .applicationProtocolConfig(new ApplicationProtocolConfig(
              ApplicationProtocolConfig.Protocol.ALPN,
              ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
              ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
              ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
          .build();
      client = SslContextBuilder.forClient().trustManager(ca.toTrustManagerFactory()).build();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
