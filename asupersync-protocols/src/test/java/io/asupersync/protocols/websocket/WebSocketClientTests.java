package io.asupersync.protocols.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Outcome;
import io.asupersync.Runtime;
import io.asupersync.protocols.http.AsupersyncServer;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebSocketClientTests {

  private final Runtime runtime = Runtime.builder().shutdownTimeout(Duration.ofSeconds(10)).build();
  private final AsupersyncServer server =
      AsupersyncServer.builder(runtime).cleartextPort(0).websocket("/ws/echo", EchoHandlers.ECHO).start();
  private final WebSocketClient client = WebSocketClient.builder().build();

  @AfterEach
  void tearDown() {
    client.close();
    server.close();
    runtime.close();
  }

  private URI echo() {
    return URI.create("ws://127.0.0.1:" + server.cleartextPort() + "/ws/echo");
  }

  @Test
  void echoesTextAndBinaryAndClosesCleanly() throws Exception {
    Outcome<Object[]> outcome = runtime.run(cx -> {
      WebSocketSession ws = client.connect(cx, echo());
      ws.send(cx, "hello");
      WebSocketMessage text = ws.receive(cx);
      ws.send(cx, new byte[] {1, 2, 3});
      WebSocketMessage binary = ws.receive(cx);
      String big = "x".repeat(100_000);
      ws.send(cx, big);
      WebSocketMessage compressed = ws.receive(cx);
      ws.close(cx);
      return new Object[] {text, binary, compressed, ws.closeStatus().orElseThrow(), ws.compressed()};
    });
    Object[] r = outcome.orThrow();
    assertThat(r[0]).isEqualTo(WebSocketMessage.text("hello"));
    assertThat(r[1]).isEqualTo(WebSocketMessage.binary(new byte[] {1, 2, 3}));
    assertThat(r[2]).isEqualTo(WebSocketMessage.text("x".repeat(100_000)));
    assertThat(((CloseStatus) r[3]).code()).isEqualTo(CloseStatus.NORMAL);
    assertThat(r[4]).isEqualTo(true);
  }
}
