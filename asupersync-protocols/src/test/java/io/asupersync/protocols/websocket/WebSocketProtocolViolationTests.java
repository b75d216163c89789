package io.asupersync.protocols.websocket;

import static io.asupersync.protocols.websocket.RawWebSocket.BINARY;
import static io.asupersync.protocols.websocket.RawWebSocket.CLOSE;
import static io.asupersync.protocols.websocket.RawWebSocket.CONTINUATION;
import static io.asupersync.protocols.websocket.RawWebSocket.FIN;
import static io.asupersync.protocols.websocket.RawWebSocket.PING;
import static io.asupersync.protocols.websocket.RawWebSocket.RSV1;
import static io.asupersync.protocols.websocket.RawWebSocket.TEXT;
import static io.asupersync.protocols.websocket.RawWebSocket.frame;
import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Runtime;
import io.asupersync.protocols.http.AsupersyncServer;
import io.asupersync.trace.TraceKind;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A raw peer breaks one rule per connection; the server must answer with exactly one close frame
 * carrying the right code, then end the TCP connection, while other connections keep working.
 */
class WebSocketProtocolViolationTests {

  static final int MAX_FRAME = 1024;
  static final int MAX_MESSAGE = 4096;
  static final String DEFLATE = "Sec-WebSocket-Extensions: permessage-deflate\r\n";

  static Runtime runtime;
  static AsupersyncServer server;
  static WebSocketClient client;

  @BeforeAll
  static void start() {
    runtime = Runtime.builder().shutdownTimeout(Duration.ofSeconds(10)).build();
    WebSocketLimits limits = WebSocketLimits.defaults().withMaxMessageBytes(MAX_MESSAGE).withMaxFrameBytes(MAX_FRAME);
    server = AsupersyncServer.builder(runtime).cleartextPort(0).websocket("/ws/echo", limits, List.of(), EchoHandlers.ECHO).start();
    client = WebSocketClient.builder().build();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
    runtime.close();
  }

  /** Sends {@code bytes} after the handshake and returns the code of the one close frame that came back before EOF. */
  private static int closeCodeAfter(String extraHeaders, byte[] bytes) throws Exception {
    try (RawWebSocket raw = RawWebSocket.connect(server.cleartextPort(), "/ws/echo", extraHeaders)) {
      raw.write(bytes);
      List<RawWebSocket.Frame> frames = raw.readUntilEof();
      assertThat(frames).as("frames before EOF").hasSize(1);
      assertThat(frames.get(0).opcode()).isEqualTo(CLOSE);
      assertOtherConnectionsStillWork();
      return frames.get(0).closeCode();
    }
  }

  private static int closeCodeAfter(byte[] bytes) throws Exception {
    return closeCodeAfter("", bytes);
  }

  private static void assertOtherConnectionsStillWork() throws Exception {
    Object echoed = runtime.run(cx -> {
      WebSocketSession ws = client.connect(cx, URI.create("ws://127.0.0.1:" + server.cleartextPort() + "/ws/echo"));
      ws.send(cx, "still here");
      WebSocketMessage m = ws.receive(cx);
      ws.close(cx);
      return m;
    }).orThrow();
    assertThat(echoed).isEqualTo(WebSocketMessage.text("still here"));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void unmaskedClientFrameGetsProtocolError() throws Exception {
    assertThat(closeCodeAfter(frame(FIN | TEXT, "hi".getBytes(StandardCharsets.UTF_8), false))).isEqualTo(1002);
  }

  @Test
  void frameOverTheLimitGetsMessageTooBigBeforeItsPayloadArrives() throws Exception {
    byte[] header = frame(FIN | BINARY, new byte[MAX_FRAME + 1], true);
    // Only the header and mask: the server must not wait for (or buffer) the announced payload.
    assertThat(closeCodeAfter(java.util.Arrays.copyOf(header, 8))).isEqualTo(1009);
  }

  @Test
  void fragmentedControlFrameGetsProtocolError() throws Exception {
    assertThat(closeCodeAfter(frame(PING, new byte[] {1}, true))).isEqualTo(1002);
  }

  @Test
  void controlFrameOver125BytesGetsProtocolError() throws Exception {
    assertThat(closeCodeAfter(frame(FIN | PING, new byte[126], true))).isEqualTo(1002);
  }

  @Test
  void invalidUtf8TextGetsInvalidPayload() throws Exception {
    assertThat(closeCodeAfter(frame(FIN | TEXT, new byte[] {'o', 'k', (byte) 0xC0, (byte) 0xAF}, true))).isEqualTo(1007);
  }

  @Test
  void invalidUtf8SplitAcrossFragmentsGetsInvalidPayload() throws Exception {
    // A valid 3-byte sequence cut after its lead byte, followed by a byte that cannot continue it.
    byte[] bytes = concat(frame(TEXT, new byte[] {(byte) 0xE2}, true), frame(FIN | CONTINUATION, new byte[] {'x'}, true));
    assertThat(closeCodeAfter(bytes)).isEqualTo(1007);
  }

  @Test
  void reservedOpcodeGetsProtocolError() throws Exception {
    assertThat(closeCodeAfter(frame(FIN | 0x3, new byte[0], true))).isEqualTo(1002);
    assertThat(closeCodeAfter(frame(FIN | 0xB, new byte[0], true))).isEqualTo(1002);
  }

  @Test
  void rsvBitWithoutExtensionGetsProtocolError() throws Exception {
    assertThat(closeCodeAfter(frame(FIN | RSV1 | TEXT, "hi".getBytes(StandardCharsets.UTF_8), true))).isEqualTo(1002);
    assertThat(closeCodeAfter(frame(FIN | 0x20 | TEXT, "hi".getBytes(StandardCharsets.UTF_8), true))).isEqualTo(1002);
  }

  @Test
  void continuationWithoutMessageGetsProtocolError() throws Exception {
    assertThat(closeCodeAfter(frame(FIN | CONTINUATION, new byte[] {1}, true))).isEqualTo(1002);
  }

  @Test
  void endlessFragmentationBeyondMessageLimitGetsMessageTooBig() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(frame(BINARY, new byte[MAX_FRAME], true));
    for (int i = 0; i < 2 * MAX_MESSAGE / MAX_FRAME; i++) {
      out.writeBytes(frame(CONTINUATION, new byte[MAX_FRAME], true));
    }
    assertThat(closeCodeAfter(out.toByteArray())).isEqualTo(1009);
  }

  @Test
  void inflateBombGetsMessageTooBig() throws Exception {
    byte[] zeros = new byte[100 * MAX_MESSAGE];
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    deflater.setInput(zeros);
    byte[] compressed = new byte[MAX_FRAME];
    int length = deflater.deflate(compressed, 0, compressed.length, Deflater.SYNC_FLUSH);
    deflater.end();
    assertThat(length).as("compressed size").isLessThan(MAX_FRAME);
    byte[] payload = java.util.Arrays.copyOf(compressed, length - 4);
    assertThat(closeCodeAfter(DEFLATE, frame(FIN | RSV1 | BINARY, payload, true))).isEqualTo(1009);
  }

  @Test
  void corruptCompressedDataGetsInvalidPayload() throws Exception {
    assertThat(closeCodeAfter(DEFLATE, frame(FIN | RSV1 | BINARY, new byte[] {(byte) 0xFF, (byte) 0xFF, 0x00}, true))).isEqualTo(1007);
  }

  @Test
  void invalidCloseCodeGetsProtocolError() throws Exception {
    assertThat(closeCodeAfter(frame(FIN | CLOSE, RawWebSocket.closePayload(1005, ""), true))).isEqualTo(1002);
    assertThat(closeCodeAfter(frame(FIN | CLOSE, new byte[] {3}, true))).isEqualTo(1002);
  }

  @Test
  void violationsAreTraced() throws Exception {
    closeCodeAfter(frame(FIN | 0x4, new byte[0], true));
    assertThat(runtime.trace().events()).anySatisfy(e -> {
      assertThat(e.kind()).isEqualTo(TraceKind.PROTOCOL_ERROR);
      assertThat(e.attributes()).containsEntry("protocol", "websocket").containsEntry("code", "1002");
    });
  }
}
