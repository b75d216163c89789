package io.asupersync.protocols.websocket;

import static io.asupersync.protocols.websocket.RawWebSocket.BINARY;
import static io.asupersync.protocols.websocket.RawWebSocket.CLOSE;
import static io.asupersync.protocols.websocket.RawWebSocket.FIN;
import static io.asupersync.protocols.websocket.RawWebSocket.TEXT;
import static io.asupersync.protocols.websocket.RawWebSocket.closePayload;
import static io.asupersync.protocols.websocket.RawWebSocket.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.Outcome;
import io.asupersync.Runtime;
import io.asupersync.protocols.http.AsupersyncServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Our client against our server, and against a raw server that breaks rules. */
class WebSocketClientTests {

  private final Runtime runtime = Runtime.builder().shutdownTimeout(Duration.ofSeconds(10)).build();
  private final AsupersyncServer server = AsupersyncServer.builder(runtime)
      .cleartextPort(0)
      .tlsPort(0)
      .tlsContext(() -> TestTls.INSTANCE.server)
      .websocket("/ws/echo", EchoHandlers.ECHO)
      .websocket("/ws/chat", WebSocketLimits.defaults(), List.of("chat.v2", "chat.v1"), (cx, session) ->
          session.send(cx, session.subprotocol().orElse("none")))
      .start();
  private final WebSocketClient client = WebSocketClient.builder().sslContext(TestTls.INSTANCE.client).build();

  @AfterEach
  void tearDown() {
    client.close();
    server.close();
    runtime.close();
  }

  private URI echo() {
    return URI.create("ws://127.0.0.1:" + server.cleartextPort() + "/ws/echo");
  }

  private Object[] echoRoundTrip(WebSocketClient c, URI uri) throws Exception {
    return runtime.run(cx -> {
      WebSocketSession ws = c.connect(cx, uri);
      ws.send(cx, "hello");
      WebSocketMessage text = ws.receive(cx);
      ws.send(cx, new byte[] {1, 2, 3});
      WebSocketMessage binary = ws.receive(cx);
      ws.send(cx, "x".repeat(100_000));
      WebSocketMessage large = ws.receive(cx);
      ws.close(cx);
      return new Object[] {text, binary, large, ws.closeStatus().orElseThrow(), ws.compressed()};
    }).orThrow();
  }

  @Test
  void echoesTextBinaryAndCompressedMessagesThenClosesCleanly() throws Exception {
    Object[] r = echoRoundTrip(client, echo());
    assertThat(r[0]).isEqualTo(WebSocketMessage.text("hello"));
    assertThat(r[1]).isEqualTo(WebSocketMessage.binary(new byte[] {1, 2, 3}));
    assertThat(r[2]).isEqualTo(WebSocketMessage.text("x".repeat(100_000)));
    assertThat(r[3]).isEqualTo(CloseStatus.of(CloseStatus.NORMAL));
    assertThat(r[4]).isEqualTo(true);
  }

  @Test
  void echoesWithoutCompressionWhenDeflateIsOff() throws Exception {
    try (WebSocketClient plain = WebSocketClient.builder().limits(WebSocketLimits.defaults().withPermessageDeflate(false)).build()) {
      Object[] r = echoRoundTrip(plain, echo());
      assertThat(r[2]).isEqualTo(WebSocketMessage.text("x".repeat(100_000)));
      assertThat(r[4]).isEqualTo(false);
    }
  }

  @Test
  void echoesOverTheTlsPort() throws Exception {
    Object[] r = echoRoundTrip(client, URI.create("wss://127.0.0.1:" + server.tlsPort() + "/ws/echo"));
    assertThat(r[0]).isEqualTo(WebSocketMessage.text("hello"));
    assertThat(r[3]).isEqualTo(CloseStatus.of(CloseStatus.NORMAL));
  }

  @Test
  void subprotocolIsChosenInTheClientsOrder() throws Exception {
    try (WebSocketClient chat = WebSocketClient.builder().subprotocols(List.of("chat.v1", "chat.v2")).build()) {
      Object[] r = runtime.run(cx -> {
        WebSocketSession ws = chat.connect(cx, URI.create("ws://127.0.0.1:" + server.cleartextPort() + "/ws/chat"));
        return new Object[] {ws.subprotocol().orElseThrow(), ws.receive(cx)};
      }).orThrow();
      assertThat(r[0]).isEqualTo("chat.v1");
      assertThat(r[1]).isEqualTo(WebSocketMessage.text("chat.v1"));
    }
  }

  @Test
  void refusedUpgradeIsATypedErrorNamingTheStatus() {
    Outcome<WebSocketSession> outcome = runtime.run(cx ->
        client.connect(cx, URI.create("ws://127.0.0.1:" + server.cleartextPort() + "/not-an-endpoint")));
    assertThat(outcome).isInstanceOfSatisfying(Outcome.Err.class, err -> {
      assertThat(err.error()).isInstanceOf(WebSocketException.class).hasMessageContaining("404");
    });
  }

  // ---- against a raw server

  private <T> Future<T> inTask(io.asupersync.TaskBody<T> body) {
    return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return runtime.run(body).orThrow();
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
  }

  @Test
  void serverCloseIsAnsweredWithExactlyOneCloseFrame() throws Exception {
    try (RawServer raw = new RawServer()) {
      Future<Object> result = inTask(cx -> {
        WebSocketSession ws = client.connect(cx, URI.create("ws://127.0.0.1:" + raw.port() + "/"));
        try {
          ws.receive(cx);
          return "received a message";
        } catch (WebSocketClosedException e) {
          ws.close(cx);
          return e.status();
        }
      });
      raw.accept("");
      raw.write(frame(FIN | CLOSE, closePayload(4001, "bye"), false));
      RawWebSocket.Frame answer = raw.readFrame();
      assertThat(answer.opcode()).isEqualTo(CLOSE);
      assertThat(answer.closeCode()).isEqualTo(4001);
      raw.close(); // the server ends TCP; the client was waiting for that
      assertThat(result.get()).isEqualTo(new CloseStatus(4001, "bye"));
    }
  }

  @Test
  void maskedServerFrameFailsTheConnectionWithProtocolError() throws Exception {
    try (RawServer raw = new RawServer()) {
      Future<Object> result = inTask(cx -> {
        WebSocketSession ws = client.connect(cx, URI.create("ws://127.0.0.1:" + raw.port() + "/"));
        try {
          return ws.receive(cx);
        } catch (WebSocketClosedException e) {
          return e.status().code();
        }
      });
      raw.accept("");
      raw.write(frame(FIN | TEXT, "masked".getBytes(java.nio.charset.StandardCharsets.UTF_8), true));
      List<RawWebSocket.Frame> frames = raw.readUntilEof();
      assertThat(frames).hasSize(1);
      assertThat(frames.get(0).closeCode()).isEqualTo(1002);
      assertThat(result.get()).isEqualTo(1002);
    }
  }

  @Test
  void oversizeServerFrameGetsMessageTooBig() throws Exception {
    try (RawServer raw = new RawServer();
        WebSocketClient small = WebSocketClient.builder().limits(WebSocketLimits.defaults().withMaxMessageBytes(1024).withMaxFrameBytes(1024)).build()) {
      Future<Object> result = inTask(cx -> {
        WebSocketSession ws = small.connect(cx, URI.create("ws://127.0.0.1:" + raw.port() + "/"));
        try {
          return ws.receive(cx);
        } catch (WebSocketClosedException e) {
          return e.status().code();
        }
      });
      raw.accept("");
      raw.write(java.util.Arrays.copyOf(frame(FIN | BINARY, new byte[2048], false), 4));
      List<RawWebSocket.Frame> frames = raw.readUntilEof();
      assertThat(frames).hasSize(1);
      assertThat(frames.get(0).closeCode()).isEqualTo(1009);
      assertThat(result.get()).isEqualTo(1009);
    }
  }

  @Test
  void closeReturnsAfterTheTimeoutWhenTheServerNeverAnswers() throws Exception {
    try (RawServer raw = new RawServer();
        WebSocketClient impatient = WebSocketClient.builder().limits(WebSocketLimits.defaults().withCloseTimeout(Duration.ofMillis(200))).build()) {
      Future<Object> result = inTask(cx -> {
        WebSocketSession ws = impatient.connect(cx, URI.create("ws://127.0.0.1:" + raw.port() + "/"));
        ws.close(cx, 1000, "done");
        return ws.closeStatus().orElseThrow();
      });
      raw.accept("");
      List<RawWebSocket.Frame> frames = raw.readUntilEof();
      assertThat(frames).hasSize(1);
      assertThat(frames.get(0).closeCode()).isEqualTo(1000);
      assertThat(result.get()).isEqualTo(new CloseStatus(1000, "done"));
    }
  }

  @Test
  void masksComeFromTheCxRandomSource() throws Exception {
    List<List<Integer>> masksPerSeed = new java.util.ArrayList<>();
    for (long seed : new long[] {7, 7, 8}) {
      try (Runtime seeded = Runtime.builder().seed(seed).build(); RawServer raw = new RawServer()) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> {
          Outcome<Object> o = seeded.run(cx -> {
            WebSocketSession ws = client.connect(cx, URI.create("ws://127.0.0.1:" + raw.port() + "/"));
            ws.send(cx, "one");
            ws.send(cx, "two");
            return null;
          });
          if (!o.isOk()) {
            failure.set(new AssertionError(o.toString()));
          }
        });
        raw.accept("");
        raw.readFrame();
        raw.readFrame();
        caller.join(Poll.TIMEOUT);
        assertThat(failure.get()).isNull();
        masksPerSeed.add(List.copyOf(raw.masks));
      }
    }
    assertThat(masksPerSeed.get(0)).hasSize(2).doesNotHaveDuplicates();
    assertThat(masksPerSeed.get(1)).isEqualTo(masksPerSeed.get(0));
    assertThat(masksPerSeed.get(2)).isNotEqualTo(masksPerSeed.get(0));
  }

  @Test
  void badAcceptKeyIsRefused() throws Exception {
    try (RawServer raw = new RawServer()) {
      Future<Object> result = inTask(cx -> {
        try {
          return client.connect(cx, URI.create("ws://127.0.0.1:" + raw.port() + "/"));
        } catch (WebSocketException e) {
          return e.getMessage();
        }
      });
      raw.accept(key -> "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
      assertThat(result.get()).asString().contains("Sec-WebSocket-Accept");
    }
  }

  @Test
  void extensionThatWasNotOfferedIsRefused() throws Exception {
    try (RawServer raw = new RawServer();
        WebSocketClient plain = WebSocketClient.builder().limits(WebSocketLimits.defaults().withPermessageDeflate(false)).build()) {
      Future<Object> result = inTask(cx -> {
        try {
          return plain.connect(cx, URI.create("ws://127.0.0.1:" + raw.port() + "/"));
        } catch (WebSocketException e) {
          return e.getMessage();
        }
      });
      raw.accept("Sec-WebSocket-Extensions: permessage-deflate\r\n");
      assertThat(result.get()).asString().contains("not offered");
    }
  }

  @Test
  void silentServerTimesTheHandshakeOut() throws Exception {
    try (RawServer raw = new RawServer();
        WebSocketClient hasty = WebSocketClient.builder().connectTimeout(Duration.ofMillis(300)).build()) {
      Future<Object> result = inTask(cx -> {
        try {
          return hasty.connect(cx, URI.create("ws://127.0.0.1:" + raw.port() + "/"));
        } catch (WebSocketException e) {
          return e.getMessage();
        }
      });
      raw.acceptSilently();
      assertThat(result.get()).asString().contains("timed out");
    }
  }

  @Test
  void nonWebSocketUriIsRejected() {
    assertThatThrownBy(() -> runtime.run(cx -> client.connect(cx, URI.create("http://127.0.0.1/"))).orThrow())
        .isInstanceOf(IllegalArgumentException.class);
  }
}
