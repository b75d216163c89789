package io.asupersync.protocols.tls;

import static io.asupersync.protocols.tls.TestPki.write;
import static io.asupersync.protocols.tls.TestPki.writeCa;
import static io.asupersync.protocols.tls.TestPki.writeKeyPair;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.CancelKind;
import io.asupersync.CancelReason;
import io.asupersync.Runtime;
import io.asupersync.TaskHandle;
import io.asupersync.protocols.ApplicationProtocol;
import io.asupersync.protocols.tls.TlsConfigException.Reason;
import io.asupersync.protocols.tls.TlsPeers.EchoServer;
import io.asupersync.protocols.tls.TlsPeers.Exchange;
import io.asupersync.protocols.tls.TlsPeers.SClient;
import io.asupersync.trace.TraceKind;
import io.netty.pkitesting.X509Bundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ServerTlsTests {

  @TempDir static Path dir;
  static TestPki pki;
  static Path serverChain;
  static Path serverKey;
  static Path caFile;
  static Path clientChain;
  static Path clientKey;
  static Path strangerChain;
  static Path strangerKey;

  @BeforeAll
  static void writeMaterial() throws Exception {
    pki = TestPki.get();
    Path[] server = writeKeyPair(dir, "server", pki.server);
    serverChain = server[0];
    serverKey = server[1];
    caFile = writeCa(dir, "ca.pem", pki.ca);
    Path[] client = writeKeyPair(dir, "client", pki.client);
    clientChain = client[0];
    clientKey = client[1];
    Path[] stranger = writeKeyPair(dir, "stranger", pki.otherClient);
    strangerChain = stranger[0];
    strangerKey = stranger[1];
  }

  private static ServerTls.Builder server(TlsProvider provider) {
    return ServerTls.builder().keyPem(serverChain, serverKey).provider(provider);
  }

  private static ClientTls.Builder client() {
    return ClientTls.builder().trustPem(caFile);
  }

  @Test
  void openSslIsThePreferredProviderWhereTcnativeLoads() throws Exception {
    assertThat(TlsProvider.OPENSSL.isAvailable()).isTrue();
    ServerTls tls = ServerTls.builder().keyPem(serverChain, serverKey).build();
    assertThat(tls.provider()).isEqualTo(TlsProvider.OPENSSL);
    assertThat(tls.get().isServer()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void tls13HandshakeNegotiatesH2AndEchoes(TlsProvider provider) throws Exception {
    try (EchoServer echo = new EchoServer(server(provider).build())) {
      Exchange exchange = TlsPeers.exchange(client().provider(provider).build(), "localhost", echo.port(), "ping");

      assertThat(exchange.echoed("ping")).as("%s", exchange).isTrue();
      assertThat(exchange.info().protocol()).isEqualTo("TLSv1.3");
      assertThat(exchange.info().applicationProtocol()).isEqualTo("h2");
      assertThat(exchange.info().peerPrincipal()).contains(pki.server.getCertificate().getSubjectX500Principal());
      TlsInfo serverSide = echo.handshakes.poll(5, TimeUnit.SECONDS);
      assertThat(serverSide.applicationProtocol()).isEqualTo("h2");
      assertThat(serverSide.peerCertificates()).isEmpty();
    }
  }

  @Test
  void clientOfferingOnlyHttp11GetsHttp11AndH2OnlyPortAgreesOnNothing() throws Exception {
    ClientTls http11 = client().applicationProtocols(ApplicationProtocol.HTTP_1_1).build();
    try (EchoServer echo = new EchoServer(server(TlsProvider.preferred()).build())) {
      assertThat(TlsPeers.exchange(http11, "localhost", echo.port(), "x").info().applicationProtocol()).isEqualTo("http/1.1");
    }
    try (EchoServer echo = new EchoServer(server(TlsProvider.preferred()).h2Only().build())) {
      assertThat(TlsPeers.exchange(http11, "localhost", echo.port(), "x").info().applicationProtocol()).isNull();
      assertThat(TlsPeers.exchange(client().build(), "localhost", echo.port(), "x").info().applicationProtocol()).isEqualTo("h2");
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void opensslClientCompletesTls12And13WithAeadSuites(TlsProvider provider) throws Exception {
    try (EchoServer echo = new EchoServer(server(provider).build())) {
      SClient tls12 = TlsPeers.sClient(echo.port(), caFile, "-tls1_2");
      assertThat(tls12.connected()).as(tls12.output()).isTrue();
      assertThat(tls12.output()).contains("Protocol version: TLSv1.2").containsPattern("Ciphersuite: ECDHE-ECDSA-(AES\\d+-GCM|CHACHA20-POLY1305)");

      SClient tls13 = TlsPeers.sClient(echo.port(), caFile, "-tls1_3");
      assertThat(tls13.connected()).as(tls13.output()).isTrue();
      assertThat(tls13.output()).contains("Protocol version: TLSv1.3");
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void tls10And11AreRefused(TlsProvider provider) throws Exception {
    try (EchoServer echo = new EchoServer(server(provider).build())) {
      for (String version : new String[] {"-tls1", "-tls1_1"}) {
        // SECLEVEL=0 lets OpenSSL 3 offer the old versions at all, so the refusal is the server's.
        SClient old = TlsPeers.sClient(echo.port(), caFile, version, "-cipher", "DEFAULT:@SECLEVEL=0");
        assertThat(old.connected()).as(old.output()).isFalse();
        assertThat(old.output()).containsPattern("alert|no protocols|wrong version|unsupported protocol");
        assertThat(echo.failures.poll(5, TimeUnit.SECONDS)).as("server-side failure for " + version).isNotNull();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void weakCipherIsRefused(TlsProvider provider) throws Exception {
    try (EchoServer echo = new EchoServer(server(provider).build())) {
      for (String cipher : new String[] {"AES128-SHA", "ECDHE-ECDSA-AES128-SHA256", "ECDHE-ECDSA-AES256-SHA"}) {
        SClient weak = TlsPeers.sClient(echo.port(), caFile, "-tls1_2", "-cipher", cipher);
        assertThat(weak.connected()).as(cipher + ": " + weak.output()).isFalse();
        assertThat(weak.output()).contains("handshake failure");
        assertThat(echo.failures.poll(5, TimeUnit.SECONDS)).isNotNull();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void needRefusesAMissingCertificateOnTheFirstReadOverTls13(TlsProvider provider) throws Exception {
    ServerTls tls = server(provider).trustPem(caFile).clientAuth(ClientAuth.NEED).build();
    try (EchoServer echo = new EchoServer(tls)) {
      Exchange exchange = TlsPeers.exchange(client().provider(provider).build(), "localhost", echo.port(), "ping");

      // TLS 1.3: the client's handshake ends before the server looks at its (empty) certificate.
      assertThat(exchange.info()).as("%s", exchange).isNotNull();
      assertThat(exchange.info().protocol()).isEqualTo("TLSv1.3");
      assertThat(exchange.reply()).isNull();
      assertThat(exchange.readFailure()).isNotNull();
      assertThat(echo.failures.poll(5, TimeUnit.SECONDS)).isNotNull();
      assertThat(echo.handshakes).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void needRefusesACertificateFromAnotherCa(TlsProvider provider) throws Exception {
    ServerTls tls = server(provider).trustPem(caFile).clientAuth(ClientAuth.NEED).build();
    try (EchoServer echo = new EchoServer(tls)) {
      assertStrangerRefused(echo);
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void needShowsAGoodCertificatesPrincipalToTheServer(TlsProvider provider) throws Exception {
    ServerTls tls = server(provider).trustPem(caFile).clientAuth(ClientAuth.NEED).build();
    try (EchoServer echo = new EchoServer(tls)) {
      ClientTls good = client().keyPem(clientChain, clientKey).provider(provider).build();
      assertThat(TlsPeers.exchange(good, "localhost", echo.port(), "ping").echoed("ping")).isTrue();

      TlsInfo serverSide = echo.handshakes.poll(5, TimeUnit.SECONDS);
      assertThat(serverSide.peerPrincipal()).contains(pki.client.getCertificate().getSubjectX500Principal());
      assertThat(serverSide.peerPrincipal().orElseThrow().getName()).isEqualTo("CN=good-client,O=Asupersync");
      assertThat(serverSide.peerCertificate()).contains(pki.client.getCertificate());
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void wantAcceptsNoCertificateAndStillRefusesAWrongOne(TlsProvider provider) throws Exception {
    ServerTls tls = server(provider).trustPem(caFile).clientAuth(ClientAuth.WANT).build();
    try (EchoServer echo = new EchoServer(tls)) {
      assertThat(TlsPeers.exchange(client().build(), "localhost", echo.port(), "anon").echoed("anon")).isTrue();
      assertThat(echo.handshakes.poll(5, TimeUnit.SECONDS).peerPrincipal()).isEmpty();

      ClientTls good = client().keyPem(clientChain, clientKey).build();
      assertThat(TlsPeers.exchange(good, "localhost", echo.port(), "me").echoed("me")).isTrue();
      assertThat(echo.handshakes.poll(5, TimeUnit.SECONDS).peerPrincipal())
          .contains(pki.client.getCertificate().getSubjectX500Principal());

      assertStrangerRefused(echo);
    }
  }

  @Test
  void reloadServesTheNewCertificateToNewConnectionsAndKeepsItWhenTheNextMaterialIsBad(@TempDir Path live) throws Exception {
    Path chain = write(live, "chain.pem", pki.server.getCertificatePathPEM());
    Path key = write(live, "key.pem", pki.server.getPrivateKeyPEM());
    ServerTls tls = ServerTls.builder().keyPem(chain, key).build();
    X509Bundle renewed = pki.serverCert("CN=localhost,OU=renewed");
    ClientTls client = client().build();
    try (EchoServer echo = new EchoServer(tls)) {
      assertThat(servedSubject(client, echo)).isEqualTo("CN=localhost");
      assertThat(tls.reloadIfChanged()).isFalse();

      Files.writeString(chain, renewed.getCertificatePathPEM());
      Files.writeString(key, renewed.getPrivateKeyPEM());
      assertThat(tls.reloadIfChanged()).isTrue();
      assertThat(tls.generation()).isEqualTo(2);
      assertThat(servedSubject(client, echo)).isEqualTo("CN=localhost,OU=renewed");

      Files.writeString(key, pki.server.getPrivateKeyPEM()); // the old key with the new chain
      assertThatThrownBy(tls::reloadIfChanged).isInstanceOfSatisfying(
          TlsConfigException.class, e -> assertThat(e.reason()).isEqualTo(Reason.KEY_MISMATCH));
      Files.writeString(key, "not a key");
      assertThatThrownBy(tls::reload).isInstanceOfSatisfying(
          TlsConfigException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
      assertThat(tls.reloadIfChanged()).as("the same bad content is not retried").isFalse();
      assertThat(tls.generation()).isEqualTo(2);
      assertThat(servedSubject(client, echo)).isEqualTo("CN=localhost,OU=renewed");
    }
  }

  @Test
  void watchTaskReloadsChangedFilesAndTracesBadOnes(@TempDir Path live) throws Exception {
    Path chain = write(live, "chain.pem", pki.server.getCertificatePathPEM());
    Path key = write(live, "key.pem", pki.server.getPrivateKeyPEM());
    ServerTls tls = ServerTls.builder().keyPem(chain, key).build();
    try (Runtime runtime = Runtime.builder().build()) {
      TaskHandle<?> watcher = runtime.spawn("tls-watch", tls.watch(Duration.ofMillis(20)));

      X509Bundle renewed = pki.serverCert("CN=localhost,OU=watched");
      Files.writeString(key, renewed.getPrivateKeyPEM());
      Files.writeString(chain, renewed.getCertificatePathPEM());
      await(() -> tls.generation() == 2);

      Files.writeString(key, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
      await(() -> runtime.trace().events(e -> e.kind() == TraceKind.USER
          && "tls.reload.failed".equals(e.attributes().get("name"))
          && "UNSUPPORTED_FORMAT".equals(e.attributes().get("reason")), 1).size() == 1);
      assertThat(tls.generation()).isEqualTo(2);
      watcher.cancel(CancelReason.of(CancelKind.USER, "test done"));
    }
  }

  /**
   * Presents the other CA's client certificate. openssl sends it whatever CA names the server lists (a
   * JDK or Netty client would send nothing instead), and {@code -ign_eof} makes it read until the server
   * closes, so over TLS 1.3 it sees the refusal that follows its own handshake.
   */
  private static void assertStrangerRefused(EchoServer echo) throws Exception {
    for (String version : new String[] {"-tls1_3", "-tls1_2"}) {
      SClient stranger = TlsPeers.sClient(
          echo.port(), caFile, version, "-ign_eof", "-cert", strangerChain.toString(), "-key", strangerKey.toString());
      assertThat(stranger.exitCode()).as(version + ": " + stranger.output()).isNotZero();
      assertThat(stranger.output()).contains("alert");
      assertThat(echo.failures.poll(5, TimeUnit.SECONDS)).as(version).isNotNull();
      assertThat(echo.handshakes).isEmpty();
    }
  }

  private static String servedSubject(ClientTls client, EchoServer echo) throws Exception {
    Exchange exchange = TlsPeers.exchange(client, "localhost", echo.port(), "s");
    assertThat(exchange.echoed("s")).as("%s", exchange).isTrue();
    return exchange.info().peerCertificate().orElseThrow().getSubjectX500Principal().getName();
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(5);
    }
  }
}
