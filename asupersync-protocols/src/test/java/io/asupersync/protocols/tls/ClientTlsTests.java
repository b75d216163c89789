package io.asupersync.protocols.tls;

import static io.asupersync.protocols.tls.TestPki.writeCa;
import static io.asupersync.protocols.tls.TestPki.writeKeyPair;
import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.protocols.tls.TlsPeers.EchoServer;
import io.asupersync.protocols.tls.TlsPeers.Exchange;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ClientTlsTests {

  @TempDir static Path dir;
  static Path caFile;
  static EchoServer echo;

  @BeforeAll
  static void startServer() throws Exception {
    TestPki pki = TestPki.get();
    Path[] server = writeKeyPair(dir, "server", pki.server);
    caFile = writeCa(dir, "ca.pem", pki.ca);
    echo = new EchoServer(ServerTls.builder().keyPem(server[0], server[1]).build());
  }

  @AfterAll
  static void stopServer() throws Exception {
    echo.close();
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void hostnameVerificationRefusesACertificateForAnotherHost(TlsProvider provider) throws Exception {
    ClientTls tls = ClientTls.builder().trustPem(caFile).provider(provider).build();
    assertThat(tls.hostnameVerification()).isTrue();

    Exchange wrongHost = TlsPeers.exchange(tls, "wrong.example", echo.port(), "x");

    assertThat(wrongHost.info()).isNull();
    assertThat(wrongHost.handshakeFailure())
        .hasRootCauseInstanceOf(CertificateException.class)
        .rootCause()
        .hasMessageContaining("wrong.example");
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void matchingDnsNameAndIpAddressPassVerification(TlsProvider provider) throws Exception {
    ClientTls tls = ClientTls.builder().trustPem(caFile).provider(provider).build();

    assertThat(TlsPeers.exchange(tls, "localhost", echo.port(), "dns").echoed("dns")).isTrue();
    assertThat(TlsPeers.exchange(tls, "127.0.0.1", echo.port(), "ip").echoed("ip")).isTrue();
  }

  @Test
  void turningVerificationOffAcceptsATrustedCertificateForAnyHost() throws Exception {
    ClientTls lax = ClientTls.builder().trustPem(caFile).hostnameVerification(false).build();

    assertThat(TlsPeers.exchange(lax, "wrong.example", echo.port(), "x").echoed("x")).isTrue();
  }

  @Test
  void systemDefaultTrustRefusesAPrivateCa() throws Exception {
    Exchange exchange = TlsPeers.exchange(ClientTls.systemDefault(), "localhost", echo.port(), "x");

    assertThat(exchange.info()).isNull();
    assertThat(exchange.handshakeFailure()).isNotNull();
  }

  @Test
  void negotiatedTlsInfoNamesTheServerChain() throws Exception {
    Exchange exchange = TlsPeers.exchange(ClientTls.builder().trustPem(caFile).build(), "localhost", echo.port(), "x");

    TlsInfo info = exchange.info();
    assertThat(info.cipherSuite()).startsWith("TLS_");
    assertThat(info.peerCertificates()).first().isEqualTo(TestPki.get().server.getCertificate());
    assertThat(info.peerCertificate()).get(InstanceOfAssertFactories.type(java.security.cert.X509Certificate.class))
        .extracting(c -> c.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
  }
}
