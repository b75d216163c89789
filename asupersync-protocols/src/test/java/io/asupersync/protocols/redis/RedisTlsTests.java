package io.asupersync.protocols.redis;

import static io.asupersync.protocols.redis.RedisTests.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.Outcome;
import io.asupersync.Runtime;
import io.asupersync.protocols.tls.ClientTls;
import io.asupersync.protocols.tls.TlsConfigException;
import io.asupersync.testsupport.RedisServerProcess;
import io.asupersync.testsupport.TestCertificates;
import java.security.GeneralSecurityException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real redis-server that serves TLS only, with hostname verification on in every client. */
class RedisTlsTests {

  private static TestCertificates certificates;
  private static RedisServerProcess server;
  private Runtime runtime;

  @BeforeAll
  static void startServer() throws Exception {
    certificates = TestCertificates.forLocalhost();
    server = RedisServerProcess.startTls(certificates, "--requirepass", "tls-secret");
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void startRuntime() {
    runtime = Runtime.builder().build();
  }

  @AfterEach
  void stopRuntime() {
    runtime.close();
  }

  private RedisClient.Builder client(ClientTls tls) {
    return RedisClient.builder(runtime).host("127.0.0.1").port(server.port()).password("tls-secret").tls(tls);
  }

  @Test
  void commandsPipelinesAndPubSubRunOverTls() throws Exception {
    ClientTls tls = ClientTls.builder().trustPem(certificates.caPem()).build();
    try (RedisClient client = client(tls).build()) {
      run(runtime, cx -> {
        client.set(cx, "tls:k", "over tls");
        assertThat(client.get(cx, "tls:k")).isEqualTo("over tls");
        assertThat(client.pipeline(cx, java.util.List.of(
                RedisCommand.of("INCR", "tls:n"), RedisCommand.of("INCR", "tls:n"))))
            .containsExactly(new RespValue.IntegerReply(1), new RespValue.IntegerReply(2));
        try (RedisSubscription sub = client.subscriber(cx)) {
          sub.subscribe(cx, "tls:ch");
          client.command(cx, "PUBLISH", "tls:ch", "hello");
          assertThat(sub.receive(cx).text()).isEqualTo("hello");
        }
        return null;
      });
    }
  }

  @Test
  void certificateThatDoesNotNameTheHostDialledIsRefused() throws Exception {
    TestCertificates elsewhere = TestCertificates.forHost("redis.example.com");
    try (RedisServerProcess other = RedisServerProcess.startTls(elsewhere);
        RedisClient client = RedisClient.builder(runtime).host("127.0.0.1").port(other.port())
            .tls(ClientTls.builder().trustPem(elsewhere.caPem()).build()).build()) {
      assertRefusedInTheHandshake(runtime.run(cx -> client.get(cx, "k")));
    }
  }

  @Test
  void serverCertificateFromAnUntrustedCaIsRefused() throws Exception {
    ClientTls trustsAnotherCa = ClientTls.builder().trustPem(TestCertificates.forLocalhost().caPem()).build();
    try (RedisClient client = client(trustsAnotherCa).build()) {
      assertRefusedInTheHandshake(runtime.run(cx -> client.get(cx, "k")));
    }
  }

  @Test
  void serverThatRequiresAClientCertificateAcceptsTheClientTlsKeyAndRefusesNone() throws Exception {
    TestCertificates mutual = TestCertificates.forLocalhost();
    ClientTls withKey = ClientTls.builder().trustPem(mutual.caPem())
        .keyPem(mutual.clientChainPem(), mutual.clientKeyPem()).build();
    try (RedisServerProcess other = RedisServerProcess.startMtls(mutual);
        RedisClient client = RedisClient.builder(runtime).host("127.0.0.1").port(other.port()).tls(withKey).build();
        RedisClient keyless = RedisClient.builder(runtime).host("127.0.0.1").port(other.port())
            .tls(ClientTls.builder().trustPem(mutual.caPem()).build()).build()) {
      long first = run(runtime, cx -> client.incr(cx, "mtls:n"));
      assertThat(first).isEqualTo(1L);
      // With TLS 1.3 the server refuses after the handshake, on the client's first read.
      assertThat(runtime.run(cx -> keyless.incr(cx, "mtls:n"))).isInstanceOfSatisfying(Outcome.Err.class,
          err -> assertThat(err.error()).isInstanceOf(RedisConnectionException.class)
              .rootCause().message().containsIgnoringCase("certificate_required"));
    }
  }

  @Test
  void reloadedTrustReachesTheNextConnectionAndBadMaterialKeepsTheCurrentContext() throws Exception {
    AtomicReference<TestCertificates> trustedCa = new AtomicReference<>(TestCertificates.forLocalhost());
    ClientTls tls = ClientTls.builder().trustManagerFactory(() -> trustManagers(trustedCa.get())).build();
    try (RedisClient client = client(tls).build()) {
      assertRefusedInTheHandshake(runtime.run(cx -> client.get(cx, "reload:k")));

      trustedCa.set(certificates);
      tls.reload();
      String afterReload = run(runtime, cx -> {
        client.set(cx, "reload:k", "after reload");
        return client.get(cx, "reload:k");
      });
      assertThat(afterReload).isEqualTo("after reload");

      trustedCa.set(null);
      assertThatThrownBy(tls::reload).isInstanceOf(TlsConfigException.class);
      try (RedisClient fresh = client(tls).build()) {
        String kept = run(runtime, cx -> fresh.get(cx, "reload:k"));
        assertThat(kept).isEqualTo("after reload");
      }
    }
  }

  /** Trust managers for one test CA, built outside ClientTls so the test controls what a reload sees. */
  private static TrustManagerFactory trustManagers(TestCertificates ca) {
    try {
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(Objects.requireNonNull(ca, "no CA to trust").caTrustStore());
      return factory;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void assertRefusedInTheHandshake(Outcome<?> outcome) {
    assertThat(outcome).isInstanceOfSatisfying(Outcome.Err.class, err -> {
      assertThat(err.error()).isInstanceOf(RedisConnectionException.class);
      causedByTheHandshake(err.error());
    });
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
