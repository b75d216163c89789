package io.asupersync.protocols.websocket;

import static io.asupersync.protocols.websocket.RawWebSocket.CLOSE;
import static io.asupersync.protocols.websocket.RawWebSocket.FIN;
import static io.asupersync.protocols.websocket.RawWebSocket.PING;
import static io.asupersync.protocols.websocket.RawWebSocket.PONG;
import static io.asupersync.protocols.websocket.RawWebSocket.TEXT;
import static io.asupersync.protocols.websocket.RawWebSocket.closePayload;
import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Runtime;
import io.asupersync.protocols.http.AsupersyncServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The close handshake and keepalive of the server, seen from a raw peer. */
class WebSocketCloseHandshakeTests {

  private final Runtime runtime = Runtime.builder().shutdownTimeout(Duration.ofSeconds(10)).build();
  private AsupersyncServer server;
  private final AtomicBoolean connected = new AtomicBoolean();
  private final AtomicReference<Object> seen = new AtomicReference<>();

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close();
    }
    runtime.close();
  }

  private RawWebSocket connect(WebSocketLimits limits, WebSocketHandler handler) throws Exception {
    server = start(limits, (cx, session) -> {
      connected.set(true);
      handler.onConnect(cx, session);
    });
    return RawWebSocket.connect(server.cleartextPort(), "/ws");
  }

  private AsupersyncServer start(WebSocketLimits limits, WebSocketHandler handler) {
    return AsupersyncServer.builder(runtime).cleartextPort(0).websocket("/ws", limits, List.of(), handler).start();
  }

  private RawWebSocket connect(WebSocketHandler handler) throws Exception {
    return connect(WebSocketLimits.defaults(), handler);
  }

  /** Receives until closed and remembers the status. */
  private final WebSocketHandler recordClose = (cx, session) -> {
    try {
      while (true) {
        session.receive(cx);
      }
    } catch (WebSocketClosedException e) {
      seen.set(e.status());
    }
  };

  @Test
  void clientCloseIsAnsweredOnceThenServerEndsTcp() throws Exception {
    try (RawWebSocket raw = connect(recordClose)) {
      raw.send(FIN | CLOSE, closePayload(1000, "bye"));
      List<RawWebSocket.Frame> frames = raw.readUntilEof();
      assertThat(frames).hasSize(1);
      assertThat(frames.get(0).closeCode()).isEqualTo(1000);
    }
    Poll.until("handler saw the close", () -> seen.get() != null);
    assertThat(seen.get()).isEqualTo(new CloseStatus(1000, "bye"));
  }

  @Test
  void serverCloseWaitsForTheAnswerThenEndsTcp() throws Exception {
    try (RawWebSocket raw = connect((cx, session) -> {
      session.close(cx, 4000, "done");
      seen.set(session.closeStatus().orElseThrow());
    })) {
      RawWebSocket.Frame close = raw.readUntilClose();
      assertThat(close.closeCode()).isEqualTo(4000);
      assertThat(close.text()).isEqualTo("done");
      raw.send(FIN | CLOSE, closePayload(4000, ""));
      assertThat(raw.readUntilEof()).isEmpty();
    }
    Poll.until("session.close returned", () -> seen.get() != null);
    assertThat(seen.get()).isEqualTo(new CloseStatus(4000, "done"));
  }

  @Test
  void handlerThatReturnsClosesNormally() throws Exception {
    try (RawWebSocket raw = connect((cx, session) -> {})) {
      assertThat(raw.readUntilClose().closeCode()).isEqualTo(1000);
      raw.send(FIN | CLOSE, closePayload(1000, ""));
      assertThat(raw.readUntilEof()).isEmpty();
    }
  }

  @Test
  void handlerThatThrowsClosesWithInternalError() throws Exception {
    try (RawWebSocket raw = connect((cx, session) -> {
      throw new IllegalStateException("bug");
    })) {
      assertThat(raw.readUntilClose().closeCode()).isEqualTo(1011);
      raw.send(FIN | CLOSE, closePayload(1011, ""));
      assertThat(raw.readUntilEof()).isEmpty();
    }
  }

  @Test
  void cancellingTheConnectionRegionClosesWithGoingAway() throws Exception {
    try (RawWebSocket raw = connect((cx, session) -> {
      cx.cancelScope("test");
      session.receive(cx);
    })) {
      assertThat(raw.readUntilClose().closeCode()).isEqualTo(1001);
      raw.send(FIN | CLOSE, closePayload(1001, ""));
      assertThat(raw.readUntilEof()).isEmpty();
    }
  }

  @Test
  void runtimeShutdownClosesWithGoingAway() throws Exception {
    Thread shutdown;
    try (RawWebSocket raw = connect(recordClose)) {
      Poll.until("connection accepted", connected::get);
      shutdown = Thread.ofVirtual().start(runtime::close);
      assertThat(raw.readUntilClose().closeCode()).isEqualTo(1001);
      raw.send(FIN | CLOSE, closePayload(1001, ""));
      assertThat(raw.readUntilEof()).isEmpty();
    }
    shutdown.join(Poll.TIMEOUT);
    assertThat(shutdown.isAlive()).isFalse();
    assertThat(runtime.snapshot().tasks()).isEmpty();
  }

  @Test
  void serverShutdownClosesWithGoingAwayAndCancelsTheHandler() throws Exception {
    AtomicReference<Object> handlerEnd = new AtomicReference<>();
    Thread shutdown;
    try (RawWebSocket raw = connect((cx, session) -> {
      try {
        cx.sleep(Duration.ofHours(1)); // busy elsewhere: only cancellation reaches it
      } catch (RuntimeException e) {
        handlerEnd.set(e);
        throw e;
      }
    })) {
      Poll.until("connection accepted", connected::get);
      shutdown = Thread.ofVirtual().start(server::shutdown);
      assertThat(raw.readUntilClose().closeCode()).isEqualTo(1001);
      raw.send(FIN | CLOSE, closePayload(1001, ""));
      assertThat(raw.readUntilEof()).isEmpty();
    }
    shutdown.join(Poll.TIMEOUT);
    assertThat(shutdown.isAlive()).isFalse();
    assertThat(handlerEnd.get()).isInstanceOf(io.asupersync.CancelledException.class);
    Poll.until("connection region closed", () -> runtime.snapshot().tasks().isEmpty());
  }

  @Test
  void peerThatNeverAnswersOurCloseIsDisconnectedAfterTheTimeout() throws Exception {
    WebSocketLimits limits = WebSocketLimits.defaults().withCloseTimeout(Duration.ofMillis(200));
    try (RawWebSocket raw = connect(limits, (cx, session) -> {
      session.close(cx, 1000, "");
      seen.set(session.closeStatus().orElseThrow());
    })) {
      assertThat(raw.readUntilClose().closeCode()).isEqualTo(1000);
      assertThat(raw.readUntilEof()).as("frames after the close frame").isEmpty();
    }
    Poll.until("session.close returned", () -> seen.get() != null);
    assertThat(seen.get()).isEqualTo(new CloseStatus(1000, ""));
  }

  @Test
  void keepaliveClosesAPeerThatNeverAnswersPings() throws Exception {
    WebSocketLimits limits = WebSocketLimits.defaults().withPingInterval(Duration.ofMillis(50));
    try (RawWebSocket raw = connect(limits, recordClose)) {
      List<RawWebSocket.Frame> frames = raw.readUntilEof();
      assertThat(frames).filteredOn(f -> f.opcode() == PING).isNotEmpty();
      assertThat(frames).filteredOn(f -> f.opcode() == CLOSE).singleElement()
          .satisfies(f -> assertThat(f.closeCode()).isEqualTo(1001));
      assertThat(frames.get(frames.size() - 1).opcode()).isEqualTo(CLOSE);
    }
  }

  @Test
  void keepaliveAnsweredWithPongsKeepsTheConnection() throws Exception {
    // A pong is due before the next ping: the interval leaves a loaded test machine time to answer.
    WebSocketLimits limits = WebSocketLimits.defaults().withPingInterval(Duration.ofMillis(200));
    try (RawWebSocket raw = connect(limits, EchoHandlers.ECHO)) {
      for (int pings = 0; pings < 3; ) {
        RawWebSocket.Frame f = raw.readFrame();
        assertThat(f).isNotNull();
        assertThat(f.opcode()).isEqualTo(PING);
        raw.send(FIN | PONG, f.payload());
        pings++;
      }
      raw.sendText("still open");
      RawWebSocket.Frame f;
      do {
        f = raw.readFrame();
        assertThat(f).isNotNull();
        if (f.opcode() == PING) {
          raw.send(FIN | PONG, f.payload());
        }
      } while (f.opcode() == PING);
      assertThat(f.opcode()).isEqualTo(TEXT);
      assertThat(f.text()).isEqualTo("still open");
    }
  }

  @Test
  void pingIsAnsweredWithPongCarryingTheSamePayload() throws Exception {
    try (RawWebSocket raw = connect(EchoHandlers.ECHO)) {
      raw.send(FIN | PING, new byte[] {7, 8, 9});
      RawWebSocket.Frame pong = raw.readFrame();
      assertThat(pong.opcode()).isEqualTo(PONG);
      assertThat(pong.payload()).containsExactly(7, 8, 9);
    }
  }

  @Test
  void slowConsumerIsClosedWithTryAgainLaterWhenSoConfigured() throws Exception {
    WebSocketLimits limits = WebSocketLimits.defaults().withInboundQueue(1).withCloseSlowConsumers(true);
    try (RawWebSocket raw = connect(limits, (cx, session) -> cx.sleep(Duration.ofHours(1)))) {
      for (int i = 0; i < 3; i++) {
        raw.sendText("m" + i);
      }
      List<RawWebSocket.Frame> frames = raw.readUntilEof();
      assertThat(frames).hasSize(1);
      assertThat(frames.get(0).closeCode()).isEqualTo(1013);
    }
  }

  @Test
  void slowConsumerGetsBackpressureWithoutLosingMessagesByDefault() throws Exception {
    WebSocketLimits limits = WebSocketLimits.defaults().withInboundQueue(1);
    server = start(limits, (cx, session) -> {
      cx.sleep(Duration.ofMillis(300)); // let the queue fill and reading stop
      EchoHandlers.ECHO.onConnect(cx, session);
    });
    try (WebSocketClient client = WebSocketClient.builder().build()) {
      List<String> echoed = runtime.run(cx -> {
        WebSocketSession ws = client.connect(cx, URI.create("ws://127.0.0.1:" + server.cleartextPort() + "/ws"));
        for (int i = 0; i < 200; i++) {
          ws.send(cx, "m" + i + "-" + "x".repeat(1000));
        }
        List<String> got = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
          got.add(((WebSocketMessage.Text) ws.receive(cx)).text().split("-")[0]);
        }
        ws.close(cx);
        return got;
      }).orThrow();
      assertThat(echoed).hasSize(200);
      for (int i = 0; i < 200; i++) {
        assertThat(echoed.get(i)).isEqualTo("m" + i);
      }
    }
  }

  /** A handler busy in a task it spawned; what ended that task is recorded in {@link #seen}. */
  private final WebSocketHandler busyInChild = (cx, session) -> {
    cx.spawn("child", c -> {
      try {
        c.sleep(Duration.ofHours(1));
      } catch (io.asupersync.CancelledException e) {
        seen.set(e.reason().kind());
        throw e;
      }
      return null;
    });
    cx.sleep(Duration.ofHours(1));
  };

  @Test
  void protocolErrorCancelsTheConnectionRegionAndTheTasksItSpawned() throws Exception {
    try (RawWebSocket raw = connect(busyInChild)) {
      Poll.until("connection accepted", connected::get);
      raw.write(RawWebSocket.frame(FIN | TEXT, new byte[] {'x'}, false)); // unmasked
      assertThat(raw.readUntilEof()).singleElement().satisfies(f -> assertThat(f.closeCode()).isEqualTo(1002));
    }
    Poll.until("the handler's child was cancelled", () -> seen.get() != null);
    assertThat(seen.get()).isIn(io.asupersync.CancelKind.USER, io.asupersync.CancelKind.PARENT_CANCELLED);
  }

  @Test
  void droppedTcpConnectionCancelsTheConnectionRegion() throws Exception {
    try (RawWebSocket raw = connect(busyInChild)) {
      Poll.until("connection accepted", connected::get);
    } // closed without a close frame
    Poll.until("the handler's child was cancelled", () -> seen.get() != null);
  }
}
