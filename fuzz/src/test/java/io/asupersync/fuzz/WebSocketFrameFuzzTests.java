package io.asupersync.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.asupersync.protocols.websocket.WebSocketLimits;
import io.asupersync.protocols.websocket.WebSocketMessage;
import io.asupersync.protocols.websocket.internal.FrameReader;
import io.asupersync.protocols.websocket.internal.FrameWriter;
import io.asupersync.protocols.websocket.internal.Inbound;
import io.asupersync.protocols.websocket.internal.WebSocketProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Fuzzes the WebSocket frame reader ({@link FrameReader}) on the server side (client frames, masked)
 * and the client side (server frames, unmasked), with and without permessage-deflate.
 *
 * <p>Input: the first byte picks the mode ({@link Mode}), the second the size of the chunks the wire
 * bytes arrive in (0: all at once), the rest are the wire bytes. Invariants: nothing but {@link
 * WebSocketProtocolException} escapes; the events and the failure are the same whatever the chunking
 * (the reader is a state machine over a byte stream, not over reads); a read allocates at most {@link
 * #allocationLimit} (measured with the thread's allocation counter, on a warm second pass when the
 * first also loaded classes), so nothing is sized by an announced length; and what the reader accepted,
 * {@link FrameWriter} encodes into bytes the reader reads back as the same events.
 *
 * <p>Without {@code JAZZER_FUZZ} this runs in regression mode over the corpus in {@code
 * src/test/resources/io/asupersync/fuzz/WebSocketFrameFuzzTestsInputs/frameReader}, which {@link
 * WebSocketFrameSeeds} regenerates.
 */
class WebSocketFrameFuzzTests {

  /** 1 MiB frames and messages: large enough that sizing anything by an announced length shows. */
  static final WebSocketLimits LIMITS = WebSocketLimits.defaults().withMaxMessageBytes(1 << 20);

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /**
   * Which side reads, and the extension state: bit 0 the client reads (server frames, unmasked),
   * bit 1 permessage-deflate negotiated, bit 2 the peer resets its compressor after each message.
   */
  record Mode(boolean client, boolean deflate, boolean reset, int chunk) {
    static Mode of(byte[] input) {
      int bits = input.length == 0 ? 0 : input[0] & 0xFF;
      int chunk = input.length < 2 ? 0 : input[1] & 0xFF;
      return new Mode((bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0, chunk == 0 ? Integer.MAX_VALUE : chunk);
    }

    byte bits() {
      return (byte) ((client ? 1 : 0) | (deflate ? 2 : 0) | (reset ? 4 : 0));
    }
  }

  /** The events read, each as comparable text, then the close code of the failure (or none). */
  record Result(List<String> events, int failure) {}

  @FuzzTest(maxDuration = "5m")
  void frameReader(byte[] input) {
    Mode mode = Mode.of(input);
    byte[] wire = input.length <= 2 ? new byte[0] : Arrays.copyOfRange(input, 2, input.length);

    long before = THREADS.getCurrentThreadAllocatedBytes();
    Result whole = read(mode, wire, Integer.MAX_VALUE);
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    if (allocated > allocationLimit(mode, wire.length)) {
      before = THREADS.getCurrentThreadAllocatedBytes();
      read(mode, wire, Integer.MAX_VALUE);
      allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    }
    assertThat(allocated).as("bytes allocated reading %d wire bytes", wire.length).isLessThanOrEqualTo(allocationLimit(mode, wire.length));

    assertThat(read(mode, wire, mode.chunk())).as("events in chunks of %d", mode.chunk()).isEqualTo(whole);

    List<Inbound> accepted = events(mode, wire);
    if (!accepted.isEmpty()) {
      byte[] again = encode(mode, accepted);
      Result reread = read(mode, again, Integer.MAX_VALUE);
      assertThat(reread.events()).as("re-encoded events").isEqualTo(whole.events());
      assertThat(reread.failure()).isZero();
    }
  }

  /** Reads {@code wire} in chunks of {@code chunk} bytes until it is used up or the reader fails. */
  static Result read(Mode mode, byte[] wire, int chunk) {
    List<String> events = new ArrayList<>();
    try (FrameReader reader = new FrameReader(!mode.client(), LIMITS, mode.deflate(), mode.reset())) {
      ByteBuf acc = Unpooled.buffer(Math.min(wire.length, 64 * 1024));
      for (int at = 0; at < wire.length; at += chunk) {
        acc.writeBytes(wire, at, Math.min(chunk, wire.length - at));
        for (Inbound e; (e = reader.next(acc)) != null; ) {
          events.add(describe(e));
        }
        acc.discardReadBytes();
      }
      return new Result(events, 0);
    } catch (WebSocketProtocolException e) {
      return new Result(events, e.closeCode());
    }
  }

  /** The events the reader accepted before any failure. */
  private static List<Inbound> events(Mode mode, byte[] wire) {
    List<Inbound> events = new ArrayList<>();
    try (FrameReader reader = new FrameReader(!mode.client(), LIMITS, mode.deflate(), mode.reset())) {
      ByteBuf in = Unpooled.wrappedBuffer(wire);
      for (Inbound e; (e = reader.next(in)) != null; ) {
        events.add(e);
      }
    } catch (WebSocketProtocolException expected) {
      // the events before the failure are what the round trip checks
    }
    return events;
  }

  /** The bytes a peer in the reader's opposite role would send for {@code events}. */
  static byte[] encode(Mode mode, List<Inbound> events) {
    SplittableRandom masks = new SplittableRandom(7);
    ByteBuf out = Unpooled.buffer();
    try (FrameWriter writer = new FrameWriter(!mode.client(), LIMITS, mode.deflate(), mode.reset())) {
      for (Inbound e : events) {
        ByteBuf frames = switch (e) {
          case Inbound.Data d -> writer.message(ByteBufAllocator.DEFAULT, d.message(), masks);
          case Inbound.Ping p -> writer.control(ByteBufAllocator.DEFAULT, 0x9, p.payload(), masks);
          case Inbound.Pong p -> writer.control(ByteBufAllocator.DEFAULT, 0xA, p.payload(), masks);
          case Inbound.Close c -> c.status().code() == 1005
              ? writer.control(ByteBufAllocator.DEFAULT, 0x8, new byte[0], masks)
              : writer.closeFrame(ByteBufAllocator.DEFAULT, c.status(), masks);
        };
        out.writeBytes(frames);
        frames.release();
      }
    }
    byte[] bytes = new byte[out.readableBytes()];
    out.readBytes(bytes);
    return bytes;
  }

  static String describe(Inbound e) {
    HexFormat hex = HexFormat.of();
    return switch (e) {
      case Inbound.Data d -> switch (d.message()) {
        case WebSocketMessage.Text t -> "text:" + t.text();
        case WebSocketMessage.Binary b -> "binary:" + hex.formatHex(b.data());
      };
      case Inbound.Ping p -> "ping:" + hex.formatHex(p.payload());
      case Inbound.Pong p -> "pong:" + hex.formatHex(p.payload());
      case Inbound.Close c -> "close:" + c.status().code() + ":" + c.status().reason();
    };
  }

  /**
   * Linear in the wire bytes: a message is buffered, grown by doubling and copied out once, so a few
   * times its size; decompression multiplies by at most deflate's ratio (1032:1). A reader that sized
   * a buffer by an announced length (up to the 1 MiB limit from a 14-byte header) breaks it.
   */
  static long allocationLimit(Mode mode, int wireLength) {
    return (mode.deflate() ? 4L * 1032 : 64L) * wireLength + 256 * 1024;
  }
}
