package io.asupersync.fuzz;

import io.asupersync.protocols.websocket.CloseStatus;
import io.asupersync.protocols.websocket.WebSocketMessage;
import io.asupersync.protocols.websocket.internal.Inbound;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;

/**
 * The seed corpus of {@link WebSocketFrameFuzzTests#frameReader}: valid conversations in each mode
 * (fragmented, interleaved with control frames, compressed with and without context takeover) and one
 * seed per rule the reader enforces. {@code accept-} seeds are read to the end; {@code reject-NNNN-}
 * seeds fail with close code NNNN.
 */
final class WebSocketFrameSeeds {

  private WebSocketFrameSeeds() {}

  private static final WebSocketFrameFuzzTests.Mode SERVER = new WebSocketFrameFuzzTests.Mode(false, false, false, 0);
  private static final WebSocketFrameFuzzTests.Mode CLIENT = new WebSocketFrameFuzzTests.Mode(true, false, false, 0);
  private static final WebSocketFrameFuzzTests.Mode SERVER_DEFLATE = new WebSocketFrameFuzzTests.Mode(false, true, false, 0);
  private static final WebSocketFrameFuzzTests.Mode CLIENT_DEFLATE_RESET = new WebSocketFrameFuzzTests.Mode(true, true, true, 0);

  static Map<String, byte[]> generate() {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    List<Inbound> conversation = List.of(
        new Inbound.Data(WebSocketMessage.text("hello ✓ wörld")),
        new Inbound.Ping(new byte[] {1, 2}),
        new Inbound.Data(WebSocketMessage.binary(new byte[] {0, (byte) 0xFF, 7})),
        new Inbound.Data(WebSocketMessage.text("repeat ".repeat(40))),
        new Inbound.Data(WebSocketMessage.text("repeat ".repeat(40))),
        new Inbound.Pong(new byte[0]),
        new Inbound.Close(new CloseStatus(1000, "bye")));
    seeds.put("accept-server", seed(SERVER, 0, WebSocketFrameFuzzTests.encode(SERVER, conversation)));
    seeds.put("accept-server-bytewise", seed(SERVER, 1, WebSocketFrameFuzzTests.encode(SERVER, conversation)));
    seeds.put("accept-client", seed(CLIENT, 5, WebSocketFrameFuzzTests.encode(CLIENT, conversation)));
    seeds.put("accept-server-deflate", seed(SERVER_DEFLATE, 3, WebSocketFrameFuzzTests.encode(SERVER_DEFLATE, conversation)));
    seeds.put("accept-client-deflate-reset", seed(CLIENT_DEFLATE_RESET, 0, WebSocketFrameFuzzTests.encode(CLIENT_DEFLATE_RESET, conversation)));
    seeds.put("accept-server-fragmented-with-ping", seed(SERVER, 2, concat(
        frame(0x01, "frag".getBytes(StandardCharsets.UTF_8), true),
        frame(0x89, new byte[] {5}, true),
        frame(0x00, new byte[] {(byte) 0xE2, (byte) 0x9C}, true),
        frame(0x80, new byte[] {(byte) 0x93}, true),
        frame(0x88, new byte[0], true))));

    seeds.put("reject-1002-unmasked-client-frame", seed(SERVER, 0, frame(0x81, new byte[] {'a'}, false)));
    seeds.put("reject-1002-masked-server-frame", seed(CLIENT, 0, frame(0x81, new byte[] {'a'}, true)));
    seeds.put("reject-1009-frame-over-limit", seed(SERVER, 0, new byte[] {(byte) 0x82, (byte) 0xFF, 0, 0, 0, 0, 0, 0x20, 0, 0, 1, 2, 3, 4}));
    seeds.put("reject-1002-length-high-bit", seed(CLIENT, 0, new byte[] {(byte) 0x82, 127, (byte) 0x80, 0, 0, 0, 0, 0, 0, 1}));
    seeds.put("reject-1002-fragmented-ping", seed(SERVER, 0, frame(0x09, new byte[0], true)));
    seeds.put("reject-1002-ping-over-125", seed(SERVER, 0, frame(0x89, new byte[126], true)));
    seeds.put("reject-1002-reserved-opcode", seed(CLIENT, 0, frame(0x83, new byte[0], false)));
    seeds.put("reject-1002-rsv1-without-deflate", seed(SERVER, 0, frame(0xC1, new byte[] {'a'}, true)));
    seeds.put("reject-1002-rsv2", seed(SERVER_DEFLATE, 0, frame(0xA1, new byte[] {'a'}, true)));
    seeds.put("reject-1002-rsv1-on-continuation", seed(SERVER_DEFLATE, 0, concat(frame(0x41, compress("ab"), true), frame(0xC0, new byte[0], true))));
    seeds.put("reject-1002-continuation-first", seed(SERVER, 0, frame(0x80, new byte[] {'a'}, true)));
    seeds.put("reject-1002-text-inside-fragmented", seed(SERVER, 0, concat(frame(0x01, new byte[] {'a'}, true), frame(0x81, new byte[] {'b'}, true))));
    seeds.put("reject-1007-bad-utf8", seed(SERVER, 0, frame(0x81, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, true)));
    seeds.put("reject-1007-truncated-utf8", seed(CLIENT, 0, frame(0x81, new byte[] {'a', (byte) 0xE2}, false)));
    seeds.put("reject-1007-bad-close-reason", seed(SERVER, 0, frame(0x88, new byte[] {0x03, (byte) 0xE8, (byte) 0xFF}, true)));
    seeds.put("reject-1002-close-code-1005", seed(SERVER, 0, frame(0x88, new byte[] {0x03, (byte) 0xED}, true)));
    seeds.put("reject-1002-one-byte-close", seed(CLIENT, 0, frame(0x88, new byte[] {0x03}, false)));
    seeds.put("reject-1007-corrupt-deflate", seed(SERVER_DEFLATE, 0, frame(0xC2, new byte[] {(byte) 0xFF, (byte) 0xFF, 0}, true)));
    seeds.put("reject-1009-inflate-bomb", seed(SERVER_DEFLATE, 0, frame(0xC2, compress("\0".repeat(2 << 20)), true)));
    return seeds;
  }

  static byte[] seed(WebSocketFrameFuzzTests.Mode mode, int chunk, byte[] wire) {
    byte[] input = new byte[wire.length + 2];
    input[0] = mode.bits();
    input[1] = (byte) chunk;
    System.arraycopy(wire, 0, input, 2, wire.length);
    return input;
  }

  /** A raw frame, masked with a fixed key when {@code masked}; the first byte as given. */
  static byte[] frame(int firstByte, byte[] payload, boolean masked) {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write(firstByte);
    int maskBit = masked ? 0x80 : 0;
    if (payload.length <= 125) {
      f.write(maskBit | payload.length);
    } else if (payload.length <= 0xFFFF) {
      f.write(maskBit | 126);
      f.write(payload.length >> 8);
      f.write(payload.length);
    } else {
      f.write(maskBit | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        f.write((int) ((long) payload.length >>> shift));
      }
    }
    byte[] key = {0x37, (byte) 0xFA, 0x21, 0x3D};
    if (masked) {
      f.writeBytes(key);
    }
    for (int i = 0; i < payload.length; i++) {
      f.write(masked ? payload[i] ^ key[i & 3] : payload[i]);
    }
    return f.toByteArray();
  }

  /** Raw deflate with a sync flush and the trailing 00 00 FF FF removed, as permessage-deflate sends it. */
  private static byte[] compress(String text) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    deflater.setInput(text.getBytes(StandardCharsets.UTF_8));
    byte[] out = new byte[64 * 1024];
    int length = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
    deflater.end();
    return java.util.Arrays.copyOf(out, length - 4);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
