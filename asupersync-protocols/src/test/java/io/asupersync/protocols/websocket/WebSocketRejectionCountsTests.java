package io.asupersync.protocols.websocket;

import static io.asupersync.protocols.websocket.RawWebSocket.BINARY;
import static io.asupersync.protocols.websocket.RawWebSocket.CLOSE;
import static io.asupersync.protocols.websocket.RawWebSocket.FIN;
import static io.asupersync.protocols.websocket.RawWebSocket.PING;
import static io.asupersync.protocols.websocket.RawWebSocket.RSV1;
import static io.asupersync.protocols.websocket.RawWebSocket.TEXT;
import static io.asupersync.protocols.websocket.RawWebSocket.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.Runtime;
import io.asupersync.protocols.http.AsupersyncServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each violation a raw peer commits moves exactly its counter of {@link AsupersyncServer#websocketRejections()} by one. */
@Timeout(60)
class WebSocketRejectionCountsTests {

  static final int MAX_FRAME = 1024;
  static final int MAX_MESSAGE = 4096;

  static Runtime runtime;
  static AsupersyncServer server;

  @BeforeAll
  static void start() {
    runtime = Runtime.builder().shutdownTimeout(Duration.ofSeconds(10)).build();
    WebSocketLimits limits = WebSocketLimits.defaults().withMaxMessageBytes(MAX_MESSAGE).withMaxFrameBytes(MAX_FRAME);
    server = AsupersyncServer.builder(runtime).cleartextPort(0).websocket("/ws/echo", limits, List.of(), EchoHandlers.ECHO).start();
  }

  @AfterAll
  static void stop() {
    server.close();
    runtime.close();
  }

  /** Sends {@code bytes} after the handshake, expects the server's close frame, and checks the one counter that moved. */
  private static void assertCounted(WebSocketRejectionReason reason, String extraHeaders, byte[] bytes) throws IOException {
    Map<WebSocketRejectionReason, Long> before = server.websocketRejections();
    try (RawWebSocket raw = RawWebSocket.connect(server.cleartextPort(), "/ws/echo", extraHeaders)) {
      raw.write(bytes);
      assertThat(raw.readUntilClose().opcode()).isEqualTo(CLOSE);
    }
    assertOnlyMoved(before, reason);
  }

  private static void assertOnlyMoved(Map<WebSocketRejectionReason, Long> before, WebSocketRejectionReason reason) {
    Map<WebSocketRejectionReason, Long> expected = new EnumMap<>(before);
    expected.merge(reason, 1L, Long::sum);
    Poll.until(reason + " counted", () -> server.websocketRejections().get(reason) > before.get(reason));
    assertThat(server.websocketRejections()).isEqualTo(expected);
  }

  @Test
  void everyReasonStartsPresent() {
    assertThat(server.websocketRejections()).containsOnlyKeys(WebSocketRejectionReason.values());
  }

  @Test
  void unmaskedClientFrameCountsUnmaskedFrame() throws IOException {
    assertCounted(WebSocketRejectionReason.UNMASKED_FRAME, "", frame(FIN | TEXT, new byte[] {'h', 'i'}, false));
  }

  @Test
  void messageOverTheLimitAcrossFragmentsCountsMessageTooLarge() throws IOException {
    ByteArrayOutputStream fragments = new ByteArrayOutputStream();
    fragments.writeBytes(frame(BINARY, new byte[MAX_FRAME], true));
    for (int i = 0; i < MAX_MESSAGE / MAX_FRAME; i++) {
      fragments.writeBytes(frame(RawWebSocket.CONTINUATION, new byte[MAX_FRAME], true));
    }
    assertCounted(WebSocketRejectionReason.MESSAGE_TOO_LARGE, "", fragments.toByteArray());
  }

  @Test
  void frameOverTheLimitCountsFrameTooLarge() throws IOException {
    assertCounted(WebSocketRejectionReason.FRAME_TOO_LARGE, "", frame(FIN | BINARY, new byte[MAX_FRAME + 1], true));
  }

  @Test
  void fragmentedPingCountsBadControlFrame() throws IOException {
    assertCounted(WebSocketRejectionReason.BAD_CONTROL_FRAME, "", frame(PING, new byte[] {1}, true));
  }

  @Test
  void invalidUtf8TextCountsInvalidUtf8() throws IOException {
    assertCounted(WebSocketRejectionReason.INVALID_UTF8, "", frame(FIN | TEXT, new byte[] {(byte) 0xc3, (byte) 0x28}, true));
  }

  @Test
  void compressedMessageInflatingPastTheLimitCountsInflateLimit() throws IOException {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    deflater.setInput(new byte[MAX_MESSAGE + 1]);
    byte[] compressed = new byte[MAX_FRAME];
    int length = deflater.deflate(compressed, 0, compressed.length, Deflater.SYNC_FLUSH);
    deflater.end();
    byte[] payload = Arrays.copyOf(compressed, length - 4);
    assertCounted(WebSocketRejectionReason.INFLATE_LIMIT, "Sec-WebSocket-Extensions: permessage-deflate\r\n", frame(FIN | RSV1 | BINARY, payload, true));
  }

  @Test
  void refusedHandshakeCountsHandshakeRefused() {
    Map<WebSocketRejectionReason, Long> before = server.websocketRejections();
    assertThatThrownBy(() -> RawWebSocket.connect(server.cleartextPort(), "/ws/echo", "Sec-WebSocket-Version: 8\r\n").close())
        .hasMessageContaining("upgrade refused");
    assertOnlyMoved(before, WebSocketRejectionReason.HANDSHAKE_REFUSED);
  }

  @Test
  void serverWithoutEndpointsReportsZeros() {
    try (AsupersyncServer plain = AsupersyncServer.builder(runtime).cleartextPort(0).start()) {
      assertThat(plain.websocketRejections()).containsOnlyKeys(WebSocketRejectionReason.values()).allSatisfy((r, n) -> assertThat(n).isZero());
    }
  }
}
