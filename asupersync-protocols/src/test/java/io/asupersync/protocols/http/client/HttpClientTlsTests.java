package io.asupersync.protocols.http.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.Runtime;
import io.asupersync.TaskHandle;
import io.asupersync.protocols.ApplicationProtocol;
import io.asupersync.protocols.http.client.HttpClientException.Reason;
import io.asupersync.protocols.tls.ClientAuth;
import io.asupersync.protocols.tls.ClientTls;
import io.asupersync.protocols.tls.ServerTls;
import io.asupersync.protocols.tls.TlsInfo;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** https origins: ALPN picks h2 or http/1.1, the server certificate must match the host, mTLS works. */
class HttpClientTlsTests {
  static Runtime runtime;
  static X509Bundle ca;
  static X509Bundle localhost;
  static X509Bundle otherHost;
  static X509Bundle clientCert;

  @BeforeAll
  static void start() throws Exception {
    runtime = Runtime.builder().build();
    Instant now = Instant.now();
    CertificateBuilder base = new CertificateBuilder().ecp256().notBefore(now.minus(1, ChronoUnit.DAYS)).notAfter(now.plus(1, ChronoUnit.DAYS));
    ca = base.copy().subject("CN=Client Tests CA").setIsCertificateAuthority(true).buildSelfSigned();
    localhost = base.copy().subject("CN=localhost").addSanDnsName("localhost").addSanIpAddress("127.0.0.1").buildIssuedBy(ca);
    otherHost = base.copy().subject("CN=other.example").addSanDnsName("other.example").buildIssuedBy(ca);
    clientCert = base.copy().subject("CN=caller").addExtendedKeyUsageClientAuth().buildIssuedBy(ca);
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  private static ClientTls.Builder trusting() {
    return ClientTls.builder().trustManagerFactory(ca.toTrustManagerFactory());
  }

  private static ServerTls serverTls(X509Bundle cert) throws Exception {
    return ServerTls.builder().keyManagerFactory(cert.toKeyManagerFactory()).build();
  }

  @Test
  void httpsNegotiatesH2AndVerifiesTheHost() throws Exception {
    try (TestHttpServer server = TestHttpServer.tls(serverTls(localhost));
        HttpClient client = HttpClient.builder(runtime).tls(trusting().build()).build()) {
      List<ClientResponse> responses = runtime.run(cx -> {
        List<TaskHandle<ClientResponse>> calls = new ArrayList<>();
        for (String host : new String[] {"localhost", "localhost", "localhost", "127.0.0.1"}) {
          calls.add(cx.spawn(c -> {
            ClientResponse r = client.send(c, ClientRequest.get(server.uri(host, "/hello")));
            r.bytes(c);
            return r;
          }));
        }
        List<ClientResponse> out = new ArrayList<>();
        for (TaskHandle<ClientResponse> call : calls) {
          out.add(call.join(cx).orThrow());
        }
        return out;
      }).orThrow();

      assertThat(responses).allSatisfy(r -> {
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.protocol()).isEqualTo(ApplicationProtocol.HTTP_2);
        TlsInfo tls = r.tls().orElseThrow();
        assertThat(tls.applicationProtocol()).isEqualTo("h2");
        assertThat(tls.peerPrincipal().orElseThrow().getName()).isEqualTo("CN=localhost");
      });
      // one connection per origin: "localhost" and "127.0.0.1" are two origins
      assertThat(server.connections.get()).isEqualTo(2);
    }
  }

  @Test
  void httpsFallsBackToHttp1WhenOnlyThatIsOffered() throws Exception {
    ClientTls http1Only = trusting().applicationProtocols(ApplicationProtocol.HTTP_1_1).build();
    try (TestHttpServer server = TestHttpServer.tls(serverTls(localhost));
        HttpClient client = HttpClient.builder(runtime).tls(http1Only).build()) {
      ClientResponse response = runtime.run(cx -> client.send(cx, ClientRequest.get(server.uri("localhost", "/chunked?n=5000")))).orThrow();
      String body = runtime.run(response::string).orThrow();

      assertThat(response.protocol()).isEqualTo(ApplicationProtocol.HTTP_1_1);
      assertThat(body).hasSize(5000);
      assertThat(response.trailers().first("x-checksum")).isEqualTo("5000");
    }
  }

  @Test
  void certificateForAnotherHostFailsTheHandshake() throws Exception {
    try (TestHttpServer server = TestHttpServer.tls(serverTls(otherHost));
        HttpClient client = HttpClient.builder(runtime).tls(trusting().build()).build()) {
      assertThatThrownBy(() -> runtime.run(cx -> client.send(cx, ClientRequest.get(server.uri("localhost", "/hello")))).orThrow())
          .isInstanceOfSatisfying(HttpClientException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.TLS_HANDSHAKE_FAILED);
            assertThat(e.getMessage()).contains("localhost");
          });
      assertThat(client.connections(server.uri("localhost", "/"))).isZero();
    }
  }

  @Test
  void untrustedCertificateFailsTheHandshakeWithSystemTrust() throws Exception {
    try (TestHttpServer server = TestHttpServer.tls(serverTls(localhost)); HttpClient client = HttpClient.builder(runtime).build()) {
      assertThatThrownBy(() -> runtime.run(cx -> client.send(cx, ClientRequest.get(server.uri("localhost", "/hello")))).orThrow())
          .isInstanceOfSatisfying(HttpClientException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TLS_HANDSHAKE_FAILED));
    }
  }

  @Test
  void clientCertificateReachesAnMtlsServer() throws Exception {
    ServerTls mtls = ServerTls.builder()
        .keyManagerFactory(localhost.toKeyManagerFactory())
        .trustManagerFactory(ca.toTrustManagerFactory())
        .clientAuth(ClientAuth.NEED)
        .build();
    ClientTls withCert = trusting().keyManagerFactory(clientCert.toKeyManagerFactory()).build();
    try (TestHttpServer server = TestHttpServer.tls(mtls);
        HttpClient client = HttpClient.builder(runtime).tls(withCert).build();
        HttpClient anonymous = HttpClient.builder(runtime).tls(trusting().build()).build()) {
      String body = runtime.run(cx -> client.send(cx, ClientRequest.get(server.uri("localhost", "/hello"))).string(cx)).orThrow();
      assertThat(body).isEqualTo("hello");

      // TLS 1.3: the refusal is an alert after the client's side of the handshake, still reported as a TLS failure
      assertThatThrownBy(() -> runtime.run(cx -> anonymous.send(cx, ClientRequest.get(server.uri("localhost", "/hello")))).orThrow())
          .isInstanceOfSatisfying(HttpClientException.class,
              e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(Reason.TLS_HANDSHAKE_FAILED));
    }
  }
}
