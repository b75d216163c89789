package io.asupersync.protocols.nats;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Outcome;
import io.asupersync.Runtime;
import io.asupersync.protocols.tls.ClientTls;
import io.asupersync.testsupport.NatsServerProcess;
import io.asupersync.testsupport.TestCertificates;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against a real nats-server that requires TLS (its INFO says tls_required): the client upgrades after
 * INFO, with hostname verification on.
 */
class NatsTlsTests {

  private static final String TOKEN = "tls-token-Qx5";
  private static final Duration WAIT = Duration.ofSeconds(10);

  static TestCertificates certificates;
  static NatsServerProcess server;
  static Runtime runtime;

  @BeforeAll
  static void start() throws Exception {
    certificates = TestCertificates.forLocalhost();
    server = NatsServerProcess.startTls(certificates, "authorization { token: \"" + TOKEN + "\" }");
    runtime = Runtime.builder().build();
  }

  @AfterAll
  static void stop() {
    if (runtime != null) {
      runtime.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static ClientTls trusting(TestCertificates certs) throws Exception {
    return ClientTls.builder().trustPem(certs.caPem()).build();
  }

  private static NatsClient.Builder client() throws Exception {
    return NatsClient.builder(runtime).server("127.0.0.1", server.port()).token(TOKEN).tls(trusting(certificates))
        .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200), 0.5);
  }

  @Test
  void publishSubscribeAndRequestRunOverTlsAndSurviveAReconnect() throws Exception {
    runtime.run(cx -> {
      try (NatsClient nats = client().awaitConnected(Duration.ofSeconds(20)).connect(cx)) {
        NatsSubscription sub = nats.subscribe(cx, "tls.events");
        nats.publish(cx, "tls.events", "first".getBytes(UTF_8));
        assertThat(new String(sub.next(cx).data(), UTF_8)).isEqualTo("first");

        server.kill();
        Poll.until("the client noticed the loss", () -> !nats.isConnected());
        server.restart();
        Poll.until("the client reconnected over TLS", nats::isConnected);
        nats.publish(cx, "tls.events", "after".getBytes(UTF_8));
        assertThat(new String(sub.next(cx).data(), UTF_8)).isEqualTo("after");
        assertThat(nats.stats().reconnects()).isEqualTo(1);
        return null;
      }
    }).orThrow();
  }

  @Test
  void clientWithoutTlsIsRefusedByAServerThatRequiresIt() {
    Outcome<NatsClient> outcome =
        runtime.run(cx -> NatsClient.builder(runtime).server(server.url()).token(TOKEN).connect(cx));
    assertThat(connectFailure(outcome)).hasMessageContaining("requires TLS");
  }

  @Test
  void clientThatRequiresTlsSendsNoCredentialsToAPlaintextServer() throws Exception {
    try (NatsServerProcess plain = NatsServerProcess.start()) {
      Outcome<NatsClient> outcome = runtime.run(cx -> NatsClient.builder(runtime)
          .server("127.0.0.1", plain.port()).token(TOKEN).tls(trusting(certificates)).connect(cx));
      assertThat(connectFailure(outcome)).hasMessageContaining("does not offer");
    }
  }

  @Test
  void certificateThatDoesNotNameTheHostDialledIsRefused() throws Exception {
    TestCertificates elsewhere = TestCertificates.forHost("nats.example.com");
    try (NatsServerProcess other = NatsServerProcess.startTls(elsewhere, "")) {
      Outcome<NatsClient> outcome = runtime.run(cx -> NatsClient.builder(runtime)
          .server("127.0.0.1", other.port()).tls(trusting(elsewhere)).connect(cx));
      assertThat(connectFailure(outcome)).satisfies(NatsTlsTests::causedByTheHandshake);
    }
  }

  @Test
  void serverCertificateFromAnUntrustedCaIsRefused() throws Exception {
    Outcome<NatsClient> outcome = runtime.run(cx -> NatsClient.builder(runtime)
        .server("127.0.0.1", server.port()).token(TOKEN).tls(trusting(TestCertificates.forLocalhost())).connect(cx));
    assertThat(connectFailure(outcome)).satisfies(NatsTlsTests::causedByTheHandshake);
  }

  @Test
  void serverThatRequiresAClientCertificateAcceptsTheClientTlsKeyAndRefusesNone() throws Exception {
    TestCertificates mutual = TestCertificates.forLocalhost();
    try (NatsServerProcess other = NatsServerProcess.startMtls(mutual, "")) {
      ClientTls withKey = ClientTls.builder().trustPem(mutual.caPem())
          .keyPem(mutual.clientChainPem(), mutual.clientKeyPem()).build();
      runtime.run(cx -> {
        try (NatsClient nats = NatsClient.builder(runtime).server("127.0.0.1", other.port()).tls(withKey).connect(cx)) {
          NatsSubscription sub = nats.subscribe(cx, "mtls.events");
          nats.publish(cx, "mtls.events", "mutual".getBytes(UTF_8));
          assertThat(new String(sub.next(cx).data(), UTF_8)).isEqualTo("mutual");
          return null;
        }
      }).orThrow();

      Outcome<NatsClient> outcome = runtime.run(cx -> NatsClient.builder(runtime)
          .server("127.0.0.1", other.port()).tls(trusting(mutual)).connect(cx));
      assertThat(connectFailure(outcome)).rootCause().message().containsIgnoringCase("certificate");
    }
  }

  /** The CONNECT_FAILED error {@code outcome} ended with. */
  private static NatsException connectFailure(Outcome<NatsClient> outcome) {
    assertThat(outcome).isInstanceOf(Outcome.Err.class);
    Exception error = ((Outcome.Err<NatsClient>) outcome).error();
    assertThat(error).isInstanceOfSatisfying(NatsException.class,
        e -> assertThat(e.reason()).isEqualTo(NatsException.Reason.CONNECT_FAILED));
    return (NatsException) error;
  }

  /** The TLS handshake failed: an {@link SSLHandshakeException} is in the cause chain. */
  static void causedByTheHandshake(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SSLHandshakeException) {
        return;
      }
    }
    throw new AssertionError("no SSLHandshakeException in the causes of " + error, error);
  }
}
