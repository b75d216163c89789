package io.asupersync.spring.boot.autoconfigure.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.protocols.websocket.CloseStatus;
import io.asupersync.protocols.websocket.WebSocketHandler;
import io.asupersync.spring.boot.autoconfigure.AsupersyncAutoConfiguration;
import io.asupersync.spring.boot.metrics.RejectionCounts;
import io.asupersync.spring.boot.server.AsupersyncServerCustomizer;
import io.asupersync.spring.boot.server.AsupersyncServerLifecycle;
import io.asupersync.spring.boot.server.WebSocketEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class WebSocketEndpointAutoConfigurationTests {

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(AsupersyncAutoConfiguration.class, AsupersyncServerAutoConfiguration.class))
          .withPropertyValues(
              "asupersync.server.enabled=true",
              "asupersync.server.cleartext-port=0",
              "asupersync.runtime.shutdown-timeout=2s")
          .withUserConfiguration(Echo.class);

  @Configuration(proxyBeanMethods = false)
  static class Echo {
    @Bean
    WebSocketEndpoint echo() {
      return WebSocketEndpoint.of("/ws/echo", (cx, session) -> {
        while (true) {
          session.send(cx, session.receive(cx));
        }
      });
    }
  }

  /** Collects the first text message and the close code the client sees. */
  private static final class Listener implements WebSocket.Listener {
    final CompletableFuture<String> text = new CompletableFuture<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final StringBuilder buffer = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      buffer.append(data);
      if (last) {
        text.complete(buffer.toString());
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closeCode.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      text.completeExceptionally(error);
      closeCode.completeExceptionally(error);
    }
  }

  private static WebSocket connect(HttpClient client, AssertableApplicationContext context, Listener listener)
      throws Exception {
    int port = context.getEnvironment()
        .getRequiredProperty(AsupersyncServerLifecycle.CLEARTEXT_PORT_PROPERTY, Integer.class);
    return client.newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/echo"), listener)
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void webSocketEndpointBeanEchoesOverTheCleartextPort() {
    contextRunner.run(context -> {
      assertThat(context).hasNotFailed().hasBean("asupersyncWebSocketEndpoints");
      try (HttpClient client = HttpClient.newHttpClient()) {
        Listener listener = new Listener();
        WebSocket socket = connect(client, context, listener);
        socket.sendText("ping over asupersync", true).get(10, TimeUnit.SECONDS);
        assertThat(listener.text.get(10, TimeUnit.SECONDS)).isEqualTo("ping over asupersync");
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
        assertThat(listener.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
      }
    });
  }

  @Test
  void frameOverTheConfiguredLimitIsClosedWithMessageTooBig() {
    contextRunner.withPropertyValues("asupersync.websocket.max-frame-size=1KB").run(context -> {
      try (HttpClient client = HttpClient.newHttpClient()) {
        Listener listener = new Listener();
        WebSocket socket = connect(client, context, listener);
        socket.sendText("x".repeat(2048), true).get(10, TimeUnit.SECONDS);
        assertThat(listener.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(CloseStatus.MESSAGE_TOO_BIG);
      }
      RejectionCounts counts = context.getBean("asupersyncWebSocketRejectionCounts", RejectionCounts.class);
      assertThat(counts.protocol()).isEqualTo("websocket");
      assertThat(counts.reasons()).contains("frame_too_large", "unmasked_frame", "message_too_large");
      assertThat(counts.count("frame_too_large")).isEqualTo(1);
      assertThat(counts.count("message_too_large")).isZero();
    });
  }

  @Test
  void backsOffWithoutTheWebSocketClasses() {
    contextRunner.withClassLoader(new FilteredClassLoader(WebSocketHandler.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("asupersyncWebSocketEndpoints")
            .doesNotHaveBean("asupersyncWebSocketRejectionCounts"));
  }

  @Test
  void userBeanOfTheSameNameReplacesTheEndpointRegistration() {
    AsupersyncServerCustomizer none = server -> {};
    contextRunner.withBean("asupersyncWebSocketEndpoints", AsupersyncServerCustomizer.class, () -> none)
        .run(context -> assertThat(context.getBean("asupersyncWebSocketEndpoints")).isSameAs(none));
  }
}
