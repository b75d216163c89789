package io.asupersync.fuzz.attack;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.fuzz.H2Wire;
import io.asupersync.protocols.grpc.GrpcClient;
import io.asupersync.protocols.grpc.GrpcLimits;
import io.asupersync.protocols.grpc.GrpcRouter;
import io.asupersync.protocols.grpc.GrpcService;
import io.asupersync.protocols.grpc.MessageCodec;
import io.asupersync.protocols.grpc.MethodDescriptor;
import io.asupersync.protocols.http.Http2Limits;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * gRPC attacks on a running server (a {@link GrpcRouter} on {@code AsupersyncServer}, gRPC's default
 * limits: 4 MiB messages, 8 KiB metadata; HTTP/2's default limits) driven with hand-built HTTP/2 frames
 * and HPACK, so every byte of the call is the test's. Each asserts the {@code grpc-status} on the wire
 * (and whether the answer was trailers-only), that a gRPC client and an HTTP/1.1 client on other
 * connections are served while the attacking call is open and after, and that the heap stayed within
 * the bound.
 */
class GrpcAttackTests {

  private static final int OK = 0, INTERNAL = 13, RESOURCE_EXHAUSTED = 8;
  private static final int MAX_MESSAGE = GrpcLimits.DEFAULT_MAX_MESSAGE_BYTES;
  private static final String SIZE_PATH = "/attack.Echo/Size";
  private static final MessageCodec<byte[]> BYTES =
      new MessageCodec<>() {
        @Override
        public byte[] encode(byte[] message) {
          return message;
        }

        @Override
        public byte[] decode(byte[] bytes) {
          return bytes;
        }
      };
  /** Answers with the size of the request, in decimal. */
  private static final MethodDescriptor<byte[], byte[]> SIZE = MethodDescriptor.unary("attack.Echo", "Size", BYTES, BYTES);

  /** Attacking calls (they carry {@code x-attack}) that reached the handler. */
  private static final AtomicInteger handled = new AtomicInteger();
  private static Target target;
  private static GrpcClient client;

  @BeforeAll
  static void start() {
    GrpcService echo =
        GrpcService.builder("attack.Echo")
            .unary(SIZE, (cx, call, request) -> {
              if (call.requestMetadata().first("x-attack") != null) {
                handled.incrementAndGet();
              }
              return Integer.toString(request.length).getBytes(StandardCharsets.US_ASCII);
            })
            .build();
    GrpcRouter router = GrpcRouter.builder().service(echo).build();
    target = new Target(b -> router.installOn(b.cleartextPort(0).http2Limits(Http2Limits.defaults())));
    client = GrpcClient.builder("127.0.0.1", target.server.cleartextPort()).build();
    assertGrpcServed();
  }

  @AfterAll
  static void stop() {
    client.close();
    target.close();
  }

  @AfterEach
  void normalClientsStillServedAndHeapBounded() {
    assertGrpcServed();
    target.assertServed();
    target.assertHeapBounded();
  }

  /** A gRPC client on a connection of its own gets its answer. */
  private static void assertGrpcServed() {
    try {
      byte[] answer = target.runtime.run(cx -> client.unary(cx, SIZE, new byte[3])).orThrow();
      assertThat(answer).as("a normal gRPC client's answer").asString(StandardCharsets.US_ASCII).isEqualTo("3");
    } catch (Exception e) {
      throw new AssertionError("a normal gRPC client could not be served", e);
    }
  }

  private static H2Session open() throws Exception {
    return new H2Session(target.connect()).settle();
  }

  @Test
  void messageAnnouncedFarOverTheLimitGetsResourceExhaustedWithoutBeingBuffered() throws Exception {
    try (H2Session h2 = open()) {
      // 4 GiB - 1 announced, a few bytes sent, the stream left open as if the rest were coming
      h2.send(new H2Wire().headers(1, H2Wire.END_HEADERS, call()).frame(H2Wire.DATA, 0, 1, prefixed(0, 0xffffffffL, new byte[100])));
      assertGrpcServed();
      H2Session.GrpcAnswer answer = h2.awaitGrpcStatus(1);
      assertThat(answer).as("the call's status").isNotNull();
      assertThat(answer.status()).isEqualTo(RESOURCE_EXHAUSTED);
      assertThat(answer.trailersOnly()).as("trailers-only").isTrue();
    }
  }

  @Test
  void gzipMessageInflatingPastTheLimitGetsResourceExhausted() throws Exception {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 64; i++) {
        gzip.write(zeros); // 64 MiB, 16 times the limit
      }
    }
    byte[] bomb = compressed.toByteArray();
    try (H2Session h2 = open()) {
      h2.send(new H2Wire().headers(1, H2Wire.END_HEADERS, call("grpc-encoding", "gzip")));
      h2.data(1, prefixed(1, bomb.length, bomb), true);
      assertGrpcServed();
      H2Session.GrpcAnswer answer = h2.awaitGrpcStatus(1);
      assertThat(answer).as("the call's status").isNotNull();
      assertThat(answer.status()).as("status (%s)", answer.message()).isEqualTo(RESOURCE_EXHAUSTED);
    }
  }

  @Test
  void messagesTrickledUpToTheLimitCostWhatArrivedNotWhatTheyAnnounce() throws Exception {
    int streams = 32; // 32 x 4 MiB announced: 128 MiB if the server reserved the announced lengths
    try (H2Session h2 = open()) {
      for (int i = 0; i < streams; i++) {
        h2.send(new H2Wire().headers(1 + 2 * i, H2Wire.END_HEADERS, call()));
        h2.data(1 + 2 * i, prefixed(0, MAX_MESSAGE, new byte[0]), false);
      }
      int sent = 0;
      for (int round = 0; round < 4; round++) {
        for (int i = 0; i < streams; i++) {
          h2.data(1 + 2 * i, new byte[512], false);
        }
        sent += 512;
        assertGrpcServed();
      }
      target.assertHeapBounded();
      // the limit is inclusive: the rest of one message, a little at a time, is accepted
      byte[] rest = new byte[MAX_MESSAGE - sent];
      h2.data(1, rest, true);
      H2Session.GrpcAnswer answer = h2.awaitGrpcStatus(1);
      assertThat(answer).as("the call's status").isNotNull();
      assertThat(answer.status()).isEqualTo(OK);
      assertThat(answer.data()).isEqualTo(prefixed(0, 7, Integer.toString(MAX_MESSAGE).getBytes(StandardCharsets.US_ASCII)));
      H2Wire resets = new H2Wire();
      for (int i = 1; i < streams; i++) {
        resets.rst(1 + 2 * i, 0x8);
      }
      h2.send(resets);
    }
  }

  @Test
  void requestMetadataOverTheLimitGetsResourceExhaustedTrailersOnly() throws Exception {
    int before = handled.get();
    try (H2Session h2 = open()) {
      // 10 KiB of metadata: over gRPC's 8 KiB, under HTTP/2's 64 KiB header list
      h2.send(new H2Wire().headers(1, H2Wire.END_HEADERS, call("x-big", "m".repeat(10 * 1024))).frame(H2Wire.DATA, H2Wire.END_STREAM, 1, prefixed(0, 1, new byte[1])));
      // 70 KiB: over the header list size the server advertised in SETTINGS, which HTTP/2 refuses
      h2.send(headerBlock(3, call("x-big", "m".repeat(70 * 1024))));
      assertGrpcServed();
      H2Session.GrpcAnswer answer = h2.awaitGrpcStatus(1);
      assertThat(answer).as("the call's status").isNotNull();
      assertThat(answer.status()).isEqualTo(RESOURCE_EXHAUSTED);
      assertThat(answer.trailersOnly()).as("trailers-only").isTrue();
      assertThat(h2.awaitGrpcStatus(3)).as("a gRPC status for a header list over SETTINGS_MAX_HEADER_LIST_SIZE").isNull();
      assertThat(h2.headersOf(3)).as("HTTP/2's answer").isNotNull();
      assertThat(String.valueOf(h2.headersOf(3).status())).isEqualTo("431");
      assertThat(h2.awaitReset(3)).isEqualTo(H2Session.PROTOCOL_ERROR);
      // the connection serves on
      h2.send(new H2Wire().headers(5, H2Wire.END_HEADERS, call()).frame(H2Wire.DATA, H2Wire.END_STREAM, 5, prefixed(0, 2, new byte[2])));
      H2Session.GrpcAnswer next = h2.awaitGrpcStatus(5);
      assertThat(next).as("the next call's status").isNotNull();
      assertThat(next.status()).isEqualTo(OK);
    }
    assertThat(handled.get()).as("calls with oversize metadata that reached the handler").isEqualTo(before + 1);
  }

  /** {@code block} as HEADERS and CONTINUATION frames of at most 16 KiB, without END_STREAM. */
  private static H2Wire headerBlock(int stream, byte[] block) {
    H2Wire w = new H2Wire();
    for (int at = 0; at < block.length; ) {
      int n = Math.min(16_384, block.length - at);
      byte[] part = Arrays.copyOfRange(block, at, at + n);
      int flags = at + n == block.length ? H2Wire.END_HEADERS : 0;
      w.frame(at == 0 ? H2Wire.HEADERS : H2Wire.CONTINUATION, flags, stream, part);
      at += n;
    }
    return w;
  }

  @Test
  void badCompressedFlagGetsInternal() throws Exception {
    int before = handled.get();
    try (H2Session h2 = open()) {
      h2.send(new H2Wire()
          // flag 1 without a grpc-encoding, with identity, then flag values that mean nothing
          .headers(1, H2Wire.END_HEADERS, call()).frame(H2Wire.DATA, H2Wire.END_STREAM, 1, prefixed(1, 3, new byte[3]))
          .headers(3, H2Wire.END_HEADERS, call("grpc-encoding", "identity")).frame(H2Wire.DATA, H2Wire.END_STREAM, 3, prefixed(1, 3, new byte[3]))
          .headers(5, H2Wire.END_HEADERS, call()).frame(H2Wire.DATA, H2Wire.END_STREAM, 5, prefixed(2, 3, new byte[3]))
          .headers(7, H2Wire.END_HEADERS, call("grpc-encoding", "gzip")).frame(H2Wire.DATA, H2Wire.END_STREAM, 7, prefixed(0xff, 3, new byte[3])));
      assertGrpcServed();
      for (int stream = 1; stream <= 7; stream += 2) {
        H2Session.GrpcAnswer answer = h2.awaitGrpcStatus(stream);
        assertThat(answer).as("status of stream %d", stream).isNotNull();
        assertThat(answer.status()).as("status of stream %d (%s)", stream, answer.message()).isEqualTo(INTERNAL);
        assertThat(answer.trailersOnly()).as("trailers-only on stream %d", stream).isTrue();
      }
    }
    assertThat(handled.get()).as("calls whose handler got a request").isEqualTo(before);
  }

  @Test
  void malformedGrpcTimeoutGetsInternalTrailersOnly() throws Exception {
    int before = handled.get();
    String[] malformed = {"1x", "123456789S", "-1S", "S", "1 S", "+1S", "", "99999999999999999999H"};
    try (H2Session h2 = open()) {
      H2Wire w = new H2Wire();
      for (int i = 0; i < malformed.length; i++) {
        w.headers(1 + 2 * i, H2Wire.END_HEADERS, call("grpc-timeout", malformed[i])).frame(H2Wire.DATA, H2Wire.END_STREAM, 1 + 2 * i, prefixed(0, 1, new byte[1]));
      }
      h2.send(w);
      assertGrpcServed();
      for (int i = 0; i < malformed.length; i++) {
        H2Session.GrpcAnswer answer = h2.awaitGrpcStatus(1 + 2 * i);
        assertThat(answer).as("status for grpc-timeout '%s'", malformed[i]).isNotNull();
        assertThat(answer.status()).as("status for grpc-timeout '%s'", malformed[i]).isEqualTo(INTERNAL);
        assertThat(answer.trailersOnly()).as("trailers-only for grpc-timeout '%s'", malformed[i]).isTrue();
      }
    }
    assertThat(handled.get()).as("calls that reached the handler").isEqualTo(before);
  }

  /**
   * The header block of a call to {@code attack.Echo/Size} (POST, http, the path and an authority from
   * the static table, the rest as literals without indexing) plus {@code extra} name/value pairs.
   */
  static byte[] call(String... extra) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(0x83); // :method POST
    b.write(0x86); // :scheme http
    H2Wire.literal(b, 0x04, SIZE_PATH);
    H2Wire.literal(b, 0x01, "t");
    field(b, "content-type", "application/grpc");
    field(b, "te", "trailers");
    field(b, "x-attack", "1");
    for (int i = 0; i + 1 < extra.length; i += 2) {
      field(b, extra[i], extra[i + 1]);
    }
    return b.toByteArray();
  }

  private static void field(ByteArrayOutputStream b, String name, String value) {
    b.write(0x00);
    H2Wire.string(b, name);
    H2Wire.string(b, value);
  }

  /** A length-prefixed message: the compressed flag, the announced length (4 bytes), then {@code payload}. */
  static byte[] prefixed(int flag, long announced, byte[] payload) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(flag);
    b.writeBytes(H2Wire.int32((int) announced));
    b.writeBytes(payload);
    return b.toByteArray();
  }
}
