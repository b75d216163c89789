package io.asupersync.protocols.nats;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Outcome;
import io.asupersync.Runtime;
import io.asupersync.testsupport.NatsServerProcess;
import io.asupersync.trace.TraceEvent;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NatsAuthTests {

  private static final String PASSWORD = "pw-Zq81-secret";
  private static final String TOKEN = "tok-Xy77-secret";

  static NatsServerProcess passwordServer;
  static NatsServerProcess tokenServer;
  static Runtime runtime;

  @BeforeAll
  static void start() throws Exception {
    passwordServer = NatsServerProcess.start("authorization { user: \"alice\", password: \"" + PASSWORD + "\" }");
    tokenServer = NatsServerProcess.start("authorization { token: \"" + TOKEN + "\" }");
    runtime = Runtime.builder().build();
  }

  @AfterAll
  static void stop() {
    if (runtime != null) {
      runtime.close();
    }
    if (passwordServer != null) {
      passwordServer.close();
    }
    if (tokenServer != null) {
      tokenServer.close();
    }
  }

  @Test
  void userAndPasswordConnectAndServe() throws Exception {
    String echoed = runtime.run(cx -> {
      try (NatsClient nats = NatsClient.builder(runtime).server(passwordServer.url()).userInfo("alice", PASSWORD).connect(cx)) {
        NatsSubscription sub = nats.subscribe(cx, "auth.check");
        nats.publish(cx, "auth.check", "in".getBytes(UTF_8));
        return new String(sub.next(cx).data(), UTF_8);
      }
    }).orThrow();
    assertThat(echoed).isEqualTo("in");
  }

  @Test
  void wrongPasswordIsAnAuthorizationError() {
    Outcome<NatsClient> outcome = runtime.run(cx -> NatsClient.builder(runtime).server(passwordServer.url()).userInfo("alice", "wrong").connect(cx));
    assertAuthorizationError(outcome);
  }

  @Test
  void tokenConnectsAndServes() throws Exception {
    boolean flushed = runtime.run(cx -> {
      try (NatsClient nats = NatsClient.builder(runtime).server(tokenServer.url()).token(TOKEN).connect(cx)) {
        nats.flush(cx, Duration.ofSeconds(10));
        return nats.isConnected();
      }
    }).orThrow();
    assertThat(flushed).isTrue();
  }

  @Test
  void missingTokenIsAnAuthorizationError() {
    assertAuthorizationError(runtime.run(cx -> NatsClient.builder(runtime).server(tokenServer.url()).connect(cx)));
  }

  @Test
  void credentialsAppearNeitherInTheTraceNorInToString() throws Exception {
    runtime.run(cx -> {
      try (NatsClient nats = NatsClient.builder(runtime).server(tokenServer.url()).token(TOKEN).connect(cx)) {
        nats.flush(cx, Duration.ofSeconds(10));
      }
      return null;
    }).orThrow();
    runtime.run(cx -> NatsClient.builder(runtime).server(passwordServer.url()).userInfo("alice", PASSWORD + "x").connect(cx));
    for (TraceEvent e : runtime.trace().events()) {
      assertThat(e.toString()).doesNotContain(PASSWORD).doesNotContain(TOKEN);
    }
    NatsClient.Builder builder = NatsClient.builder(runtime).server(tokenServer.url()).token(TOKEN).userInfo("alice", PASSWORD);
    assertThat(builder.toString()).doesNotContain(PASSWORD).doesNotContain(TOKEN);
  }

  private static void assertAuthorizationError(Outcome<NatsClient> outcome) {
    assertThat(outcome).isInstanceOfSatisfying(Outcome.Err.class, err -> {
      assertThat(err.error()).isInstanceOfSatisfying(NatsException.class,
          e -> assertThat(e.reason()).isEqualTo(NatsException.Reason.AUTHORIZATION));
      assertThat(err.error().getMessage()).doesNotContain(PASSWORD).doesNotContain(TOKEN);
    });
  }
}
