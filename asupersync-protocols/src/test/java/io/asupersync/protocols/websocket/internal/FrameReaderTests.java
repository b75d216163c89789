package io.asupersync.protocols.websocket.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.protocols.websocket.CloseStatus;
import io.asupersync.protocols.websocket.WebSocketLimits;
import io.asupersync.protocols.websocket.WebSocketMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The frame reader and writer as pure state machines: what one writes, the other reads, in any split. */
class FrameReaderTests {

  private static final WebSocketLimits LIMITS = WebSocketLimits.defaults().withMaxMessageBytes(64 * 1024).withMaxFrameBytes(4096);
  private final SplittableRandom masks = new SplittableRandom(1);

  /** Feeds {@code wire} in chunks of {@code chunk} bytes and collects every event. */
  private static List<Inbound> readAll(FrameReader reader, byte[] wire, int chunk) throws WebSocketProtocolException {
    List<Inbound> events = new ArrayList<>();
    ByteBuf acc = Unpooled.buffer();
    for (int at = 0; at < wire.length; at += chunk) {
      acc.writeBytes(wire, at, Math.min(chunk, wire.length - at));
      for (Inbound e; (e = reader.next(acc)) != null; ) {
        events.add(e);
      }
      acc.discardReadBytes();
    }
    assertThat(acc.readableBytes()).as("bytes left over").isZero();
    return events;
  }

  private static byte[] bytes(ByteBuf buf) {
    byte[] out = new byte[buf.readableBytes()];
    buf.readBytes(out);
    buf.release();
    return out;
  }

  @Test
  void clientMessagesReachTheServerInAnySplit() throws Exception {
    for (boolean deflate : new boolean[] {false, true}) {
      FrameWriter writer = new FrameWriter(true, LIMITS, deflate, false);
      java.io.ByteArrayOutputStream wire = new java.io.ByteArrayOutputStream();
      List<WebSocketMessage> sent = List.of(
          WebSocketMessage.text("héllo wörld ✓ 𝄞"),
          WebSocketMessage.binary(new byte[] {0, 1, 2, (byte) 0xFF}),
          WebSocketMessage.text("abc".repeat(5000)), // over the frame limit: fragmented, compressed when deflating
          WebSocketMessage.text(""),
          WebSocketMessage.binary(new byte[10_000]));
      for (WebSocketMessage m : sent) {
        wire.writeBytes(bytes(writer.message(ByteBufAllocator.DEFAULT, m, masks)));
      }
      writer.close();
      for (int chunk : new int[] {1, 7, 4096, Integer.MAX_VALUE}) {
        try (FrameReader reader = new FrameReader(true, LIMITS, deflate, false)) {
          List<Inbound> events = readAll(reader, wire.toByteArray(), chunk);
          assertThat(events).as("deflate=%s chunk=%d", deflate, chunk)
              .containsExactlyElementsOf(sent.stream().map(m -> (Inbound) new Inbound.Data(m)).toList());
        }
      }
    }
  }

  @Test
  void controlFramesInterleaveWithFragments() throws Exception {
    FrameWriter writer = new FrameWriter(false, WebSocketLimits.defaults().withMaxFrameBytes(125), false, false);
    byte[] text = bytes(writer.message(ByteBufAllocator.DEFAULT, WebSocketMessage.text("y".repeat(300)), masks));
    byte[] ping = bytes(writer.control(ByteBufAllocator.DEFAULT, FrameReader.PING, new byte[] {9}, masks));
    // The first fragment (2 + 125 bytes), a ping, then the rest.
    byte[] wire = new byte[text.length + ping.length];
    System.arraycopy(text, 0, wire, 0, 127);
    System.arraycopy(ping, 0, wire, 127, ping.length);
    System.arraycopy(text, 127, wire, 127 + ping.length, text.length - 127);
    try (FrameReader reader = new FrameReader(false, LIMITS, false, false)) {
      List<Inbound> events = readAll(reader, wire, 3);
      assertThat(events).hasSize(2);
      assertThat(events.get(0)).isInstanceOfSatisfying(Inbound.Ping.class, p -> assertThat(p.payload()).containsExactly(9));
      assertThat(events.get(1)).isEqualTo(new Inbound.Data(WebSocketMessage.text("y".repeat(300))));
    }
  }

  @Test
  void closeFrameCarriesCodeAndReasonAndEndsReading() throws Exception {
    FrameWriter writer = new FrameWriter(true, LIMITS, false, false);
    byte[] close = bytes(writer.closeFrame(ByteBufAllocator.DEFAULT, new CloseStatus(4002, "bye"), masks));
    byte[] after = bytes(writer.message(ByteBufAllocator.DEFAULT, WebSocketMessage.text("ignored"), masks));
    try (FrameReader reader = new FrameReader(true, LIMITS, false, false)) {
      ByteBuf in = Unpooled.wrappedBuffer(close, after);
      assertThat(reader.next(in)).isEqualTo(new Inbound.Close(new CloseStatus(4002, "bye")));
      assertThat(reader.next(in)).isNull();
    }
  }

  @Test
  void closeReasonIsCutAtACharacterBoundary() {
    byte[] payload = FrameWriter.closePayload(new CloseStatus(1000, "é".repeat(100)));
    assertThat(payload.length).isLessThanOrEqualTo(125);
    assertThat(Utf8Validator.isValid(payload, 2, payload.length - 2)).isTrue();
  }

  @Test
  void frameHeaderOverTheLimitFailsBeforeThePayloadArrives() {
    try (FrameReader reader = new FrameReader(true, LIMITS, false, false)) {
      // FIN|BINARY, masked, 64-bit length of 1 GiB; then the mask: nothing of the payload.
      ByteBuf header = Unpooled.wrappedBuffer(new byte[] {(byte) 0x82, (byte) 0xFF, 0, 0, 0, 0, 0x40, 0, 0, 0, 1, 2, 3, 4});
      assertThatThrownBy(() -> reader.next(header))
          .isInstanceOfSatisfying(WebSocketProtocolException.class, e -> assertThat(e.closeCode()).isEqualTo(1009));
    }
  }

  @Test
  void emptyFragmentsCannotKeepAMessageOpenForever() throws Exception {
    WebSocketLimits limits = LIMITS.withMaxFrameBytes(125).withMaxMessageBytes(125); // the smallest limits allowed
    byte[] first = {0x01, (byte) 0x80, 0, 0, 0, 0}; // TEXT without FIN, masked, empty
    byte[] empty = {0x00, (byte) 0x80, 0, 0, 0, 0}; // CONTINUATION without FIN, masked, empty
    byte[] last = {(byte) 0x80, (byte) 0x82, 0, 0, 0, 0, 'h', 'i'}; // CONTINUATION with FIN, "hi"
    java.io.ByteArrayOutputStream within = new java.io.ByteArrayOutputStream();
    within.writeBytes(first);
    for (int i = 0; i < 122; i++) { // 124 fragments in all: within the limit
      within.writeBytes(empty);
    }
    within.writeBytes(last);
    try (FrameReader reader = new FrameReader(true, limits, false, false)) {
      assertThat(readAll(reader, within.toByteArray(), 7)).containsExactly(new Inbound.Data(WebSocketMessage.text("hi")));
    }
    java.io.ByteArrayOutputStream endless = new java.io.ByteArrayOutputStream();
    endless.writeBytes(first);
    for (int i = 0; i < 1000; i++) {
      endless.writeBytes(empty);
    }
    try (FrameReader reader = new FrameReader(true, limits, false, false)) {
      assertThatThrownBy(() -> readAll(reader, endless.toByteArray(), 64))
          .isInstanceOfSatisfying(WebSocketProtocolException.class, e -> assertThat(e.closeCode()).isEqualTo(1009));
    }
  }

  @Test
  void lengthWithTheHighBitSetIsAProtocolError() {
    try (FrameReader reader = new FrameReader(false, LIMITS, false, false)) {
      ByteBuf header = Unpooled.wrappedBuffer(new byte[] {(byte) 0x82, 127, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0});
      assertThatThrownBy(() -> reader.next(header))
          .isInstanceOfSatisfying(WebSocketProtocolException.class, e -> assertThat(e.closeCode()).isEqualTo(1002));
    }
  }

  @Test
  void compressedMessagesShareTheWindowUnlessNoContextTakeover() throws Exception {
    for (boolean reset : new boolean[] {false, true}) {
      FrameWriter writer = new FrameWriter(false, LIMITS, true, reset);
      String text = "the same sentence, repeated so the second copy refers back to the first. ";
      byte[] first = bytes(writer.message(ByteBufAllocator.DEFAULT, WebSocketMessage.text(text), masks));
      byte[] second = bytes(writer.message(ByteBufAllocator.DEFAULT, WebSocketMessage.text(text), masks));
      writer.close();
      if (reset) {
        assertThat(second).isEqualTo(first);
      } else {
        assertThat(second.length).isLessThan(first.length);
      }
      try (FrameReader reader = new FrameReader(false, LIMITS, true, reset)) {
        ByteBuf in = Unpooled.wrappedBuffer(first, second);
        assertThat(reader.next(in)).isEqualTo(new Inbound.Data(WebSocketMessage.text(text)));
        assertThat(reader.next(in)).isEqualTo(new Inbound.Data(WebSocketMessage.text(text)));
      }
    }
  }

  @Test
  void decompressionStopsAtTheMessageLimit() throws Exception {
    FrameWriter writer = new FrameWriter(true, WebSocketLimits.defaults(), true, false);
    byte[] bomb = bytes(writer.message(ByteBufAllocator.DEFAULT, WebSocketMessage.binary(new byte[1 << 20]), masks));
    writer.close();
    assertThat(bomb.length).isLessThan(4096);
    try (FrameReader reader = new FrameReader(true, LIMITS, true, false)) {
      assertThatThrownBy(() -> reader.next(Unpooled.wrappedBuffer(bomb)))
          .isInstanceOfSatisfying(WebSocketProtocolException.class, e -> assertThat(e.closeCode()).isEqualTo(1009));
    }
  }

  @Test
  void utf8ValidatorRejectsWhatRfc3629Forbids() {
    assertThat(valid(0xC0, 0x80)).as("overlong NUL").isFalse();
    assertThat(valid(0xE0, 0x80, 0x80)).as("overlong 3-byte").isFalse();
    assertThat(valid(0xED, 0xA0, 0x80)).as("surrogate").isFalse();
    assertThat(valid(0xF4, 0x90, 0x80, 0x80)).as("above U+10FFFF").isFalse();
    assertThat(valid(0xF5)).isFalse();
    assertThat(valid(0xE2, 0x82)).as("truncated").isFalse();
    assertThat(valid(0xF0, 0x9D, 0x84, 0x9E)).as("U+1D11E").isTrue();
    assertThat(valid(0xEF, 0xBF, 0xBF)).as("U+FFFF").isTrue();
    assertThat(Utf8Validator.isValid("ascii ✓".getBytes(StandardCharsets.UTF_8), 0, 9)).isTrue();
  }

  private static boolean valid(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      b[i] = (byte) bytes[i];
    }
    // Also byte by byte: the validator is incremental.
    Utf8Validator v = new Utf8Validator();
    boolean split = true;
    for (int i = 0; i < b.length && split; i++) {
      split = v.feed(b, i, 1);
    }
    boolean whole = Utf8Validator.isValid(b, 0, b.length);
    assertThat(split && v.complete()).isEqualTo(whole);
    return whole;
  }
}
