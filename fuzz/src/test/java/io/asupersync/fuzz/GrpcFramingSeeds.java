package io.asupersync.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * The seed corpora of {@link GrpcFramingFuzzTests}. The file name prefix says how the target must treat a
 * seed: {@code accept-} seeds decode completely (or parse), {@code reject-} seeds are refused.
 */
final class GrpcFramingSeeds {

  private static final int NONE = 0;
  private static final int IDENTITY = 1;
  private static final int GZIP = 2;
  private static final int SNAPPY = 3;

  private GrpcFramingSeeds() {}

  /** Seeds of {@link GrpcFramingFuzzTests#messageFraming}: encoding byte, piece-size byte, stream. */
  static Map<String, byte[]> framing() {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
    seeds.put("accept-empty-stream", stream(NONE, 255));
    seeds.put("accept-one-message", stream(NONE, 255, frame(0, hello)));
    seeds.put("accept-empty-message", stream(NONE, 255, frame(0, new byte[0])));
    seeds.put("accept-three-messages-cut-in-threes", stream(NONE, 2, frame(0, hello), frame(0, new byte[0]), frame(0, new byte[40])));
    seeds.put("accept-byte-by-byte", stream(IDENTITY, 0, frame(0, new byte[20]), frame(0, hello)));
    seeds.put("accept-exactly-the-limit", stream(NONE, 255, frame(0, new byte[GrpcFramingFuzzTests.LIMIT])));
    seeds.put("accept-gzip", stream(GZIP, 7, frame(1, gzip(hello)), frame(0, hello)));
    seeds.put("accept-gzip-to-the-limit", stream(GZIP, 255, frame(1, gzip(new byte[GrpcFramingFuzzTests.LIMIT]))));
    seeds.put("accept-uncompressed-under-unknown-encoding", stream(SNAPPY, 255, frame(0, hello)));
    seeds.put("reject-announced-over-limit", stream(NONE, 255, header(0, GrpcFramingFuzzTests.LIMIT + 1)));
    seeds.put("reject-announced-4g", stream(NONE, 255, header(0, -1)));
    seeds.put("reject-flag-2", stream(GZIP, 255, header(2, 0)));
    seeds.put("reject-compressed-without-encoding", stream(NONE, 255, frame(1, gzip(hello))));
    seeds.put("reject-compressed-identity", stream(IDENTITY, 255, frame(1, gzip(hello))));
    seeds.put("reject-compressed-unknown-encoding", stream(SNAPPY, 255, frame(1, hello)));
    seeds.put("reject-gzip-bomb", stream(GZIP, 255, frame(1, gzip(new byte[GrpcFramingFuzzTests.LIMIT + 1]))));
    seeds.put("reject-corrupt-gzip", stream(GZIP, 255, frame(1, hello)));
    seeds.put("reject-truncated-message", stream(NONE, 3, Arrays.copyOf(frame(0, hello), 7)));
    seeds.put("reject-truncated-header", stream(NONE, 3, new byte[] {0, 0, 0}));
    return seeds;
  }

  /** Seeds of {@link GrpcFramingFuzzTests#timeoutAndStatusMessage}. */
  static Map<String, byte[]> timeouts() {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    for (String ok : new String[] {"1S", "250m", "99999999H", "0n", "00000001u", "3M"}) {
      seeds.put("accept-" + ok, ok.getBytes(StandardCharsets.ISO_8859_1));
    }
    String[][] bad = {{"nine-digits", "123456789S"}, {"lower-s", "1s"}, {"sign", "-1S"}, {"space", "1 S"}, {"no-unit", "100"}, {"empty", ""},
        {"percent-message", "%09tab%E2%98%BA%zz"}, {"latin1", "\u00e9\u00ff1S"}};
    for (String[] b : bad) {
      seeds.put("reject-" + b[0], b[1].getBytes(StandardCharsets.ISO_8859_1));
    }
    return seeds;
  }

  private static byte[] stream(int encoding, int pieceSeed, byte[]... frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(encoding);
    out.write(pieceSeed);
    for (byte[] f : frames) {
      out.writeBytes(f);
    }
    return out.toByteArray();
  }

  private static byte[] header(int flag, int length) {
    return ByteBuffer.allocate(5).put((byte) flag).putInt(length).array();
  }

  private static byte[] frame(int flag, byte[] message) {
    return ByteBuffer.allocate(5 + message.length).put((byte) flag).putInt(message.length).put(message).array();
  }

  private static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
