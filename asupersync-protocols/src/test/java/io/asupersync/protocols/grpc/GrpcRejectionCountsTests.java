package io.asupersync.protocols.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each limit or stream violation moves exactly its counter of {@link GrpcRouter#rejections()} by one. */
@Timeout(60)
class GrpcRejectionCountsTests {

  static final String SERVICE = "test.Counted";
  static final int LIMIT = 1024;
  static final MethodDescriptor<String, String> ECHO = unary("Echo");
  static final MethodDescriptor<String, String> BIG = unary("Big");
  static final MethodDescriptor<String, String> LOUD = unary("Loud");

  static final AtomicReference<GrpcRouter> router = new AtomicReference<>();
  static GrpcTestServer fixture;

  static MethodDescriptor<String, String> unary(String name) {
    return MethodDescriptor.unary(SERVICE, name, Utf8Codec.INSTANCE, Utf8Codec.INSTANCE);
  }

  @BeforeAll
  static void start() {
    GrpcService service = GrpcService.builder(SERVICE)
        .unary(ECHO, (cx, call, request) -> request)
        .unary(BIG, (cx, call, request) -> "x".repeat(Integer.parseInt(request)))
        .unary(LOUD, (cx, call, request) -> {
          call.addHeader("x-loud", "v".repeat(GrpcLimits.DEFAULT_MAX_METADATA_BYTES));
          return request;
        })
        .build();
    fixture = new GrpcTestServer(runtime -> {
      GrpcRouter r = GrpcRouter.builder()
          .service(service)
          .limits(GrpcLimits.defaults().withMaxInboundMessageBytes(LIMIT).withMaxOutboundMessageBytes(LIMIT))
          .trace(runtime.trace())
          .build();
      router.set(r);
      return r;
    });
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  /** Sends one call of {@code head} and {@code body}, expects {@code grpcStatus}, and checks the one counter that moved. */
  private static void assertCounted(GrpcRejectionReason reason, Http2Headers head, byte[] body, String grpcStatus) throws Exception {
    Map<GrpcRejectionReason, Long> before = router.get().rejections();
    try (GrpcWire wire = GrpcWire.connect(fixture.port())) {
      wire.headers(1, head, false);
      wire.data(1, body, true);
      assertThat(wire.answer(1).grpcStatus()).isEqualTo(grpcStatus);
    }
    Map<GrpcRejectionReason, Long> expected = new EnumMap<>(before);
    expected.merge(reason, 1L, Long::sum);
    assertThat(router.get().rejections()).isEqualTo(expected);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] gzip(byte[] data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  @Test
  void everyReasonIsPresentFromTheStart() {
    assertThat(router.get().rejections()).containsOnlyKeys(GrpcRejectionReason.values());
  }

  @Test
  void requestOverTheMessageLimitCountsMessageTooLarge() throws Exception {
    byte[] header = ByteBuffer.allocate(5).put((byte) 0).putInt(LIMIT + 1).array();
    assertCounted(GrpcRejectionReason.MESSAGE_TOO_LARGE, GrpcWire.call(ECHO.path()), header, "8");
  }

  @Test
  void malformedTimeoutCountsMalformedTimeout() throws Exception {
    assertCounted(GrpcRejectionReason.MALFORMED_TIMEOUT, GrpcWire.call(ECHO.path()).add("grpc-timeout", "1.5S"), GrpcWire.message(0, ascii("x")), "13");
  }

  @Test
  void requestMetadataOverTheLimitCountsMetadataTooLarge() throws Exception {
    Http2Headers head = GrpcWire.call(ECHO.path()).add("x-big", "v".repeat(GrpcLimits.DEFAULT_MAX_METADATA_BYTES));
    assertCounted(GrpcRejectionReason.METADATA_TOO_LARGE, head, GrpcWire.message(0, ascii("x")), "8");
  }

  @Test
  void responseOverTheMessageLimitCountsResponseTooLarge() throws Exception {
    assertCounted(GrpcRejectionReason.RESPONSE_TOO_LARGE, GrpcWire.call(BIG.path()), GrpcWire.message(0, ascii(Integer.toString(LIMIT + 1))), "8");
  }

  @Test
  void responseMetadataOverTheLimitCountsResponseMetadataTooLarge() throws Exception {
    assertCounted(GrpcRejectionReason.RESPONSE_METADATA_TOO_LARGE, GrpcWire.call(LOUD.path()), GrpcWire.message(0, ascii("x")), "13");
  }

  @Test
  void compressedFlagTwoCountsBadCompressedFlag() throws Exception {
    assertCounted(GrpcRejectionReason.BAD_COMPRESSED_FLAG, GrpcWire.call(ECHO.path()), GrpcWire.message(2, ascii("x")), "13");
  }

  @Test
  void unknownEncodingCountsUnsupportedEncoding() throws Exception {
    assertCounted(GrpcRejectionReason.UNSUPPORTED_ENCODING, GrpcWire.call(ECHO.path()).add("grpc-encoding", "snappy"), GrpcWire.message(1, ascii("x")), "12");
  }

  @Test
  void gzipPastTheLimitCountsInflateLimit() throws Exception {
    assertCounted(GrpcRejectionReason.INFLATE_LIMIT, GrpcWire.call(ECHO.path()).add("grpc-encoding", "gzip"), GrpcWire.message(1, gzip(new byte[LIMIT + 1])), "8");
  }

  @Test
  void gzipThatDoesNotInflateCountsBadCompressedData() throws Exception {
    assertCounted(GrpcRejectionReason.BAD_COMPRESSED_DATA, GrpcWire.call(ECHO.path()).add("grpc-encoding", "gzip"), GrpcWire.message(1, new byte[] {1, 2, 3}), "13");
  }

  @Test
  void streamEndingInsideAMessageCountsTruncatedMessage() throws Exception {
    assertCounted(GrpcRejectionReason.TRUNCATED_MESSAGE, GrpcWire.call(ECHO.path()), new byte[] {0, 0, 0, 0, 9, 'a'}, "13");
  }

  @Test
  void aGoodCallCountsNothing() throws Exception {
    Map<GrpcRejectionReason, Long> before = router.get().rejections();
    assertThat(fixture.runtime.run(cx -> fixture.client.unary(cx, ECHO, "fine")).orThrow()).isEqualTo("fine");
    assertThat(router.get().rejections()).isEqualTo(before);
  }
}
