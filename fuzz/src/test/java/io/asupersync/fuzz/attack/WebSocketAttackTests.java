package io.asupersync.fuzz.attack;

import static io.asupersync.fuzz.attack.WsPeer.BINARY;
import static io.asupersync.fuzz.attack.WsPeer.CLOSE;
import static io.asupersync.fuzz.attack.WsPeer.CONTINUATION;
import static io.asupersync.fuzz.attack.WsPeer.FIN;
import static io.asupersync.fuzz.attack.WsPeer.PING;
import static io.asupersync.fuzz.attack.WsPeer.RSV1;
import static io.asupersync.fuzz.attack.WsPeer.TEXT;
import static io.asupersync.fuzz.attack.WsPeer.frame;
import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.protocols.websocket.WebSocketClient;
import io.asupersync.protocols.websocket.WebSocketHandler;
import io.asupersync.protocols.websocket.WebSocketLimits;
import io.asupersync.protocols.websocket.WebSocketMessage;
import io.asupersync.protocols.websocket.WebSocketSession;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WebSocket attacks on a running server's echo endpoints (256 KiB frame and message limits, 16 KiB
 * where fragments are counted; permessage-deflate offered): each asserts the close code of the one close frame the attacker gets
 * before the server ends the connection, that a WebSocket client and an HTTP/1.1 client on other
 * connections are served while the attack runs and after, and that the heap stayed within the bound.
 */
class WebSocketAttackTests {

  private static final int LIMIT = 256 * 1024;
  /** The message limit of {@code /ws/small}, where fragmentation attacks run (each fragment costs a test's time too). */
  private static final int SMALL_LIMIT = 16 * 1024;
  private static final int PROTOCOL_ERROR = 1002, MESSAGE_TOO_BIG = 1009;
  private static final String DEFLATE = "Sec-WebSocket-Extensions: permessage-deflate\r\n";
  private static final WebSocketHandler ECHO = (cx, session) -> {
    while (true) {
      session.send(cx, session.receive(cx));
    }
  };

  private static Target target;
  private static WebSocketClient client;

  @BeforeAll
  static void start() {
    WebSocketLimits limits = WebSocketLimits.defaults().withMaxMessageBytes(LIMIT);
    WebSocketLimits small = WebSocketLimits.defaults().withMaxMessageBytes(SMALL_LIMIT);
    target = new Target(b -> b.cleartextPort(0).websocket("/ws", limits, List.of(), ECHO).websocket("/ws/small", small, List.of(), ECHO));
    client = WebSocketClient.builder().build();
    assertWebSocketServed();
  }

  @AfterAll
  static void stop() {
    client.close();
    target.close();
  }

  @AfterEach
  void normalClientsStillServedAndHeapBounded() {
    assertServed();
    target.assertHeapBounded();
  }

  private static void assertServed() {
    assertWebSocketServed();
    target.assertServed();
  }

  /** A WebSocket client on a connection of its own gets its echo. */
  private static void assertWebSocketServed() {
    try {
      Object echoed = target.runtime.run(cx -> {
        WebSocketSession ws = client.connect(cx, URI.create("ws://127.0.0.1:" + target.server.cleartextPort() + "/ws"));
        ws.send(cx, "still here");
        WebSocketMessage m = ws.receive(cx);
        ws.close(cx);
        return m;
      }).orThrow();
      assertThat(echoed).as("a normal WebSocket client's echo").isEqualTo(WebSocketMessage.text("still here"));
    } catch (Exception e) {
      throw new AssertionError("a normal WebSocket client could not be served", e);
    }
  }

  /**
   * Writes {@code attack} on a fresh upgraded connection in {@code parts} pieces, checking after each
   * that normal clients are served and the heap is within the bound; returns the close code of the one
   * frame the server sent before ending the connection.
   */
  private static int closeCodeAfter(String path, String extraHeaders, byte[] attack, int parts) throws Exception {
    try (WsPeer ws = new WsPeer(target.connect(), path, extraHeaders)) {
      for (int i = 0; i < parts; i++) {
        ws.write(Arrays.copyOfRange(attack, (int) ((long) attack.length * i / parts), (int) ((long) attack.length * (i + 1) / parts)));
        assertServed();
        target.assertHeapBounded();
      }
      List<WsPeer.Frame> frames = ws.readUntilEof();
      assertThat(frames).as("frames the attacker got before the connection ended").hasSize(1);
      assertThat(frames.get(0).opcode()).isEqualTo(CLOSE);
      return frames.get(0).closeCode();
    }
  }

  private static int closeCodeAfter(byte[] attack) throws Exception {
    return closeCodeAfter("/ws", "", attack, 1);
  }

  @Test
  void unmaskedClientFrameGetsProtocolError() throws Exception {
    assertThat(closeCodeAfter(frame(FIN | TEXT, "hi".getBytes(StandardCharsets.UTF_8), false))).isEqualTo(PROTOCOL_ERROR);
  }

  @Test
  void oversizeFrameGetsMessageTooBigBeforeItsPayloadArrives() throws Exception {
    // a header announcing 4 EiB and nothing else: the server must answer without waiting for (or reserving) it
    assertThat(closeCodeAfter(WsPeer.header(FIN | BINARY, 1L << 62))).isEqualTo(MESSAGE_TOO_BIG);
  }

  @Test
  void fragmentedControlFrameGetsProtocolError() throws Exception {
    byte[] attack = concat(frame(BINARY, new byte[10], true), frame(PING, new byte[] {1}, true));
    assertThat(closeCodeAfter(attack)).isEqualTo(PROTOCOL_ERROR);
  }

  @Test
  void endlessFragmentationEndsAtTheMessageLimit() throws Exception {
    // one byte per fragment, the message never finished: the byte that crosses the limit ends it
    ByteArrayOutputStream attack = new ByteArrayOutputStream();
    byte[] one = frame(CONTINUATION, new byte[1], true);
    attack.writeBytes(frame(BINARY, new byte[1], true));
    for (int i = 1; i <= SMALL_LIMIT; i++) {
      attack.writeBytes(one);
    }
    assertThat(closeCodeAfter("/ws/small", "", attack.toByteArray(), 4)).isEqualTo(MESSAGE_TOO_BIG);
  }

  @Test
  void endlessEmptyFragmentsEndAtTheMessageLimit() throws Exception {
    // empty fragments add no bytes: the message must end all the same, after as many fragments as the limit has bytes
    ByteArrayOutputStream attack = new ByteArrayOutputStream();
    byte[] empty = frame(CONTINUATION, new byte[0], true);
    attack.writeBytes(frame(BINARY, new byte[0], true));
    for (int i = 1; i <= SMALL_LIMIT; i++) {
      attack.writeBytes(empty);
    }
    assertThat(closeCodeAfter("/ws/small", "", attack.toByteArray(), 4)).isEqualTo(MESSAGE_TOO_BIG);
  }

  @Test
  void inflateBombGetsMessageTooBig() throws Exception {
    // One raw-deflate chunk of 1 MiB of zeros, flushed to a byte boundary, repeated: a valid stream
    // that inflates to 1 MiB per copy, so one frame of ~256 KiB inflates to ~256 MiB.
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    deflater.setInput(new byte[1 << 20]);
    byte[] buffer = new byte[8192];
    int length = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
    deflater.end();
    int copies = (LIMIT - 16) / length;
    assertThat((long) copies << 20).as("nominal size of the bomb").isGreaterThan(4 * Target.HEAP_BOUND);
    ByteArrayOutputStream bomb = new ByteArrayOutputStream();
    for (int i = 0; i < copies; i++) {
      bomb.write(buffer, 0, length);
    }
    assertThat(closeCodeAfter("/ws", DEFLATE, frame(FIN | RSV1 | BINARY, bomb.toByteArray(), true), 1)).isEqualTo(MESSAGE_TOO_BIG);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
