package io.asupersync.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes HTTP/2 frame sequences into the server's real pipeline: the connection preface, then the
 * input, through the preface sniffer, our CONTINUATION guard, Netty's frame codec with our limits
 * (rapid-reset and MadeYouReset counters, control-frame queue, HPACK limits), the connection handler with its per-stream exchanges,
 * and request dispatch, over {@link ServerPipelineHarness}.
 *
 * <p>The first input byte picks the chunk size ({@code 1 + b % 64}; 0 sends everything at once); the
 * rest follows the preface. Invariants, per input:
 *
 * <ul>
 *   <li>nothing escapes (no Netty warning or leak report) and every input buffer is released;
 *   <li>the server's bytes are whole frames, starting with its SETTINGS;
 *   <li>GOAWAY and RST_STREAM carry a defined error code (RFC 9113 section 7);
 *   <li>every response the server sent has a {@code :status} of a served request (200, 204, 404, 405)
 *       or a declared rejection (400, 413, 431), never 5xx;
 *   <li>when the server closes the connection it sent GOAWAY first, unless the client sent one;
 *   <li>the event loop allocates at most {@link ServerPipelineHarness#allocationLimit} bytes.
 * </ul>
 *
 * <p>Without {@code JAZZER_FUZZ} this replays {@code Http2ServerFuzzTestsInputs/frames} ({@link HttpSeeds}).
 */
class Http2ServerFuzzTests {

  /** 503: a {@code request-timeout} header the input carries can spend the request's budget (request timed out). */
  private static final Set<Integer> STATUSES = Set.of(200, 204, 400, 404, 405, 413, 431, 503);

  private static ServerPipelineHarness harness;

  @BeforeAll
  static void start() {
    harness = ServerPipelineHarness.forTargets();
  }

  @AfterAll
  static void stop() {
    harness.close();
    NettyReports.collectAndAssertNoLeaks("the HTTP/2 server corpus");
  }

  @FuzzTest(maxDuration = "5m")
  void frames(byte[] input) throws Http2Exception {
    int chunk = input.length == 0 || input[0] == 0 ? Integer.MAX_VALUE : 1 + (input[0] & 0xff) % 64;
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    wire.writeBytes(H2Wire.PREFACE);
    if (input.length > 1) {
      wire.write(input, 1, input.length - 1);
    }
    byte[] bytes = wire.toByteArray();
    ServerPipelineHarness.Result r = harness.driveWithinAllocationLimit(bytes, chunk);
    NettyReports.assertNone("an HTTP/2 frame sequence");
    assertThat(r.loopAllocatedBytes()).as("event loop allocation for %d bytes", bytes.length)
        .isLessThanOrEqualTo(ServerPipelineHarness.allocationLimit(bytes.length, chunk));
    List<H2Wire.Frame> frames = H2Wire.parse(r.answer());
    assertThat(frames).as("the server's bytes end on a frame boundary").isNotNull();
    assertThat(frames).as("server frames").isNotEmpty();
    assertThat(frames.get(0).type()).as("first server frame").isEqualTo(H2Wire.SETTINGS);
    boolean goAway = false;
    DefaultHttp2HeadersDecoder hpack = new DefaultHttp2HeadersDecoder(false);
    for (H2Wire.Frame f : frames) {
      switch (f.type()) {
        case H2Wire.GOAWAY -> {
          goAway = true;
          assertThat(H2Wire.int32At(f.payload(), 4)).as("GOAWAY error code").isBetween(0, 0xd);
        }
        case H2Wire.RST_STREAM -> assertThat(H2Wire.int32At(f.payload(), 0)).as("RST_STREAM error code").isBetween(0, 0xd);
        case H2Wire.HEADERS -> {
          ByteBuf block = Unpooled.wrappedBuffer(f.payload());
          try {
            Http2Headers h = hpack.decodeHeaders(f.stream(), block);
            if (h.status() != null) {
              assertThat(STATUSES).as("response status").contains(Integer.parseInt(h.status().toString()));
            }
          } finally {
            block.release();
          }
        }
        default -> {}
      }
    }
    if (r.closedByServer() && !clientSentGoAway(input)) {
      assertThat(goAway).as("GOAWAY before the server closed").isTrue();
    }
  }

  /**
   * Whether the server refused something in {@code answer}: GOAWAY with an error, RST_STREAM, or a
   * response status of 400 or more.
   */
  static boolean servedWithoutRejection(byte[] answer) {
    return !rejected(answer) && responses(answer) > 0;
  }

  /** The response header blocks with a {@code :status} in {@code answer}. */
  static int responses(byte[] answer) {
    List<H2Wire.Frame> frames = H2Wire.parse(answer);
    int n = 0;
    DefaultHttp2HeadersDecoder hpack = new DefaultHttp2HeadersDecoder(false);
    for (H2Wire.Frame f : frames == null ? List.<H2Wire.Frame>of() : frames) {
      if (f.type() == H2Wire.HEADERS) {
        ByteBuf block = Unpooled.wrappedBuffer(f.payload());
        try {
          n += hpack.decodeHeaders(f.stream(), block).status() != null ? 1 : 0;
        } catch (Http2Exception e) {
          return n;
        } finally {
          block.release();
        }
      }
    }
    return n;
  }

  static boolean rejected(byte[] answer) {
    List<H2Wire.Frame> frames = H2Wire.parse(answer);
    if (frames == null) {
      return true;
    }
    DefaultHttp2HeadersDecoder hpack = new DefaultHttp2HeadersDecoder(false);
    for (H2Wire.Frame f : frames) {
      if (f.type() == H2Wire.GOAWAY && H2Wire.int32At(f.payload(), 4) != 0 || f.type() == H2Wire.RST_STREAM) {
        return true;
      }
      if (f.type() == H2Wire.HEADERS) {
        ByteBuf block = Unpooled.wrappedBuffer(f.payload());
        try {
          CharSequence status = hpack.decodeHeaders(f.stream(), block).status();
          if (status != null && Integer.parseInt(status.toString()) >= 400) {
            return true;
          }
        } catch (Http2Exception e) {
          return true;
        } finally {
          block.release();
        }
      }
    }
    return false;
  }

  /** Whether the input, read as frames from its second byte, holds a GOAWAY before it stops parsing. */
  private static boolean clientSentGoAway(byte[] input) {
    byte[] after = input.length > 1 ? Arrays.copyOfRange(input, 1, input.length) : new byte[0];
    int at = 0;
    while (at + 9 <= after.length) {
      if ((after[at + 3] & 0xff) == H2Wire.GOAWAY) {
        return true;
      }
      at += 9 + (((after[at] & 0xff) << 16) | ((after[at + 1] & 0xff) << 8) | (after[at + 2] & 0xff));
    }
    return false;
  }
}
