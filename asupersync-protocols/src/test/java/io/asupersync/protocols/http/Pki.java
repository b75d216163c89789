package io.asupersync.protocols.http;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** Test certificates: one CA, a server certificate for 127.0.0.1/localhost, a client certificate. */
final class Pki {

  static final Pki INSTANCE = create();

  final X509Bundle ca;
  final X509Bundle server;
  final X509Bundle client;
  final X509Bundle strangerClient;

  private Pki(X509Bundle ca, X509Bundle server, X509Bundle client, X509Bundle strangerClient) {
    this.ca = ca;
    this.server = server;
    this.client = client;
    this.strangerClient = strangerClient;
  }

  private static Pki create() {
    try {
      Instant now = Instant.now();
      CertificateBuilder base =
          new CertificateBuilder().notBefore(now.minus(1, ChronoUnit.DAYS)).notAfter(now.plus(1, ChronoUnit.DAYS)).ecp256();
      X509Bundle ca = base.copy().subject("CN=Test CA").setIsCertificateAuthority(true).buildSelfSigned();
      X509Bundle server =
          base.copy()
              .subject("CN=localhost")
              .addSanDnsName("localhost")
              .addSanIpAddress("127.0.0.1")
              .addExtendedKeyUsageServerAuth()
              .buildIssuedBy(ca);
      X509Bundle client = base.copy().subject("CN=alice,O=Test").addExtendedKeyUsageClientAuth().buildIssuedBy(ca);
      X509Bundle otherCa = base.copy().subject("CN=Other CA").setIsCertificateAuthority(true).buildSelfSigned();
      X509Bundle stranger = base.copy().subject("CN=mallory").addExtendedKeyUsageClientAuth().buildIssuedBy(otherCa);
      return new Pki(ca, server, client, stranger);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private final java.util.Map<ClientAuth, SslContext> serverContexts = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * A server context with ALPN h2 and http/1.1; client certificates checked against the CA per {@code
   * auth}. Built once per mode: the server calls its supplier on the event loop for every connection.
   */
  SslContext serverContext(ClientAuth auth) {
    return serverContexts.computeIfAbsent(auth, this::buildServerContext);
  }

  private SslContext buildServerContext(ClientAuth auth) {
    try {
      return SslContextBuilder.forServer(server.toKeyManagerFactory())
          .sslProvider(SslProvider.JDK)
          .protocols("TLSv1.3", "TLSv1.2")
          .trustManager(ca.toTrustManagerFactory())
          .clientAuth(auth)
          .applicationProtocolConfig(
              new ApplicationProtocolConfig(
                  ApplicationProtocolConfig.Protocol.ALPN,
                  ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                  ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                  ApplicationProtocolNames.HTTP_2,
                  ApplicationProtocolNames.HTTP_1_1))
          .build();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A JDK client context trusting the CA, presenting {@code identity} when not null. */
  SSLContext clientContext(X509Bundle identity) {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      KeyManagerFactory kmf = identity == null ? null : identity.toKeyManagerFactory();
      ctx.init(kmf == null ? null : kmf.getKeyManagers(), ca.toTrustManagerFactory().getTrustManagers(), null);
      return ctx;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
