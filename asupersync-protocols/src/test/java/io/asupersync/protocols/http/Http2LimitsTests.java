package io.asupersync.protocols.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.trace.TraceKind;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Every HTTP/2 limit, hit with hand-built frames: the GOAWAY or RST_STREAM code, then a fresh connection works. */
class Http2LimitsTests extends ServerTestSupport {

  private static final Http2Limits SMALL =
      Http2Limits.defaults()
          .withMaxConcurrentStreams(2)
          .withMaxHeaderListBytes(4096)
          .withMaxHeaderFragmentBytes(8192)
          .withMaxContinuationFrames(3)
          .withContinuationTimeout(Duration.ofMillis(300))
          .withMaxResetsPerWindow(10)
          .withMaxEncoderResetsPerWindow(10)
          .withMaxPendingControlFrames(100)
          .withMaxHpackTableBytes(4096)
          .withMaxBodyBytes(1000);

  private final CountDownLatch release = new CountDownLatch(1);

  private AsupersyncServer server() {
    return start(
        b ->
            b.http2Limits(SMALL)
                .get("/ok", OK)
                .post("/upload", (cx, r) -> HttpResponse.ok("got " + r.body().bytes(cx).length))
                .get("/hold", (cx, r) -> {
                  while (release.getCount() > 0) {
                    cx.sleep(Duration.ofMillis(10));
                  }
                  return OK.handle(cx, r);
                }));
  }

  private static void assertGoAway(H2Wire h2, Http2Error error) throws Exception {
    H2Wire.Frame goAway = h2.awaitGoAway();
    assertThat(Http2Error.valueOf(goAway.errorCode())).isEqualTo(error);
    assertThat(h2.closedByPeer()).isTrue();
  }

  private void assertCounted(AsupersyncServer server, RejectionReason reason) {
    await(reason + " counted", () -> server.rejections().get(reason) >= 1);
    assertThat(events(reason.isLimit() ? TraceKind.LIMIT_EXCEEDED : TraceKind.PROTOCOL_ERROR))
        .anyMatch(e -> e.attributes().get("reason").equals(reason.name()) && e.attributes().get("protocol").equals("HTTP/2"));
  }

  @Test
  void rapidResetGetsGoAwayEnhanceYourCalm() throws Exception {
    AsupersyncServer server = server();
    try (H2Wire h2 = H2Wire.connect(server.cleartextPort())) {
      for (int i = 0; i < 12; i++) {
        int stream = 1 + 2 * i;
        h2.headers(stream, H2Wire.get("/hold"), true);
        h2.rst(stream, Http2Error.CANCEL);
      }
      assertGoAway(h2, Http2Error.ENHANCE_YOUR_CALM);
    }
    assertCounted(server, RejectionReason.RAPID_RESET);
    release.countDown();
    stillServesH2(server);
  }

  @Test
  void madeYouResetGetsGoAwayEnhanceYourCalm() throws Exception {
    AsupersyncServer server = start(b -> b.http2Limits(SMALL.withMaxConcurrentStreams(100)).get("/ok", OK).get("/hold", (cx, r) -> {
      while (release.getCount() > 0) {
        cx.sleep(Duration.ofMillis(10));
      }
      return OK.handle(cx, r);
    }));
    try (H2Wire h2 = H2Wire.connect(server.cleartextPort())) {
      for (int i = 0; i < 12; i++) {
        int stream = 1 + 2 * i;
        h2.headers(stream, H2Wire.get("/hold"), true);
        // DATA on a stream the client already ended: the server must reset it (STREAM_CLOSED)
        h2.data(stream, new byte[] {1}, false);
      }
      H2Wire.Frame reset = h2.await(f -> f.type() == H2Wire.RST_STREAM);
      assertThat(Http2Error.valueOf(reset.errorCode())).isEqualTo(Http2Error.STREAM_CLOSED);
      assertGoAway(h2, Http2Error.ENHANCE_YOUR_CALM);
    }
    assertCounted(server, RejectionReason.ENCODER_RESET_FLOOD);
    release.countDown();
    stillServesH2(server);
  }

  /** A valid header block for GET /ok with padding fields, to split across frames. */
  private static byte[] bigBlock(H2Wire h2, int stream, int filler) {
    Http2Headers h = H2Wire.get("/ok");
    h.add("x-filler", "f".repeat(filler));
    return h2.encode(stream, h);
  }

  @Test
  void continuationFrameCountOverLimitGetsGoAway() throws Exception {
    AsupersyncServer server = server();
    try (H2Wire h2 = H2Wire.connect(server.cleartextPort())) {
      byte[] block = bigBlock(h2, 1, 200);
      int piece = block.length / 6;
      h2.frame(H2Wire.HEADERS, H2Wire.END_STREAM, 1, Arrays.copyOfRange(block, 0, piece));
      for (int i = 1; i < 5; i++) {
        h2.frame(H2Wire.CONTINUATION, 0, 1, Arrays.copyOfRange(block, i * piece, (i + 1) * piece));
      }
      assertGoAway(h2, Http2Error.ENHANCE_YOUR_CALM);
    }
    assertCounted(server, RejectionReason.CONTINUATION_FLOOD);
    stillServesH2(server);
  }

  @Test
  void headerFragmentBytesOverLimitGetGoAway() throws Exception {
    AsupersyncServer server = server();
    try (H2Wire h2 = H2Wire.connect(server.cleartextPort())) {
      byte[] junk = new byte[5000];
      h2.frame(H2Wire.HEADERS, H2Wire.END_STREAM, 1, junk);
      h2.frame(H2Wire.CONTINUATION, 0, 1, junk);
      assertGoAway(h2, Http2Error.ENHANCE_YOUR_CALM);
    }
    assertCounted(server, RejectionReason.CONTINUATION_FLOOD);
    stillServesH2(server);
  }

  @Test
  void unfinishedHeaderBlockGetsGoAwayAfterTheContinuationDeadline() throws Exception {
    AsupersyncServer server = server();
    try (H2Wire h2 = H2Wire.connect(server.cleartextPort())) {
      byte[] block = bigBlock(h2, 1, 10);
      h2.frame(H2Wire.HEADERS, H2Wire.END_STREAM, 1, Arrays.copyOfRange(block, 0, block.length / 2));
      H2Wire.Frame goAway = h2.awaitGoAway();
      assertThat(Http2Error.valueOf(goAway.errorCode())).isEqualTo(Http2Error.ENHANCE_YOUR_CALM);
      assertThat(goAway.debug()).contains("not finished");
    }
    assertCounted(server, RejectionReason.CONTINUATION_TIMEOUT);
    stillServesH2(server);
  }

  @Test
  void streamsOverTheConcurrencyLimitAreRefused() throws Exception {
    AsupersyncServer server = server();
    try (H2Wire h2 = H2Wire.connect(server.cleartextPort())) {
      h2.headers(1, H2Wire.get("/hold"), true);
      h2.headers(3, H2Wire.get("/hold"), true);
      h2.headers(5, H2Wire.get("/hold"), true);
      H2Wire.Frame refused = h2.await(f -> f.type() == H2Wire.RST_STREAM);
      assertThat(refused.stream()).isEqualTo(5);
      assertThat(Http2Error.valueOf(refused.errorCode())).isEqualTo(Http2Error.REFUSED_STREAM);
      release.countDown();
      assertThat(h2.response(1).status()).isEqualTo(200);
      assertThat(h2.response(3).status()).isEqualTo(200);
      h2.headers(7, H2Wire.get("/ok"), true);
      assertThat(h2.response(7).status()).isEqualTo(200);
    }
    assertCounted(server, RejectionReason.STREAM_REFUSED);
  }

  @Test
  void headerListOverLimitGets431() throws Exception {
    AsupersyncServer server = server();
    try (H2Wire h2 = H2Wire.connect(server.cleartextPort())) {
      Http2Headers h = H2Wire.get("/ok");
      h.add("x-big", "sekrit" + "v".repeat(4500));
      h2.headers(1, h, true);
      H2Wire.Frame answer = h2.await(f -> f.stream() == 1);
      assertThat(answer.type()).isEqualTo(H2Wire.HEADERS);
      assertThat(h2.decode(answer).status().toString()).isEqualTo("431");
      assertThat(answer.has(H2Wire.END_STREAM)).isTrue();
      h2.headers(3, H2Wire.get("/ok"), true);
      assertThat(h2.response(3).status()).isEqualTo(200);
    }
    assertCounted(server, RejectionReason.HEADER_LIST_TOO_LARGE);
    assertThat(runtime.trace().events().toString()).doesNotContain("sekrit");
  }

  @Test
  void headerValueOverTheHpackStringLimitGets431OnItsStream() throws Exception {
    AsupersyncServer server =
        start(b -> b.http2Limits(Http2Limits.defaults().withMaxHeaderListBytes(64 * 1024).withMaxHpackStringBytes(1024)).get("/ok", OK));
    try (H2Wire h2 = H2Wire.connect(server.cleartextPort())) {
      Http2Headers h = H2Wire.get("/ok");
      h.add("x-big", "sekrit" + "v".repeat(2000));
      h2.headers(1, h, true);
      H2Wire.Frame answer = h2.await(f -> f.stream() == 1);
      assertThat(answer.type()).isEqualTo(H2Wire.HEADERS);
      assertThat(h2.decode(answer).status().toString()).isEqualTo("431");
      // well under the header list limit: only the string limit refused it
      h2.headers(3, H2Wire.get("/ok").add("x-fine", "v".repeat(1000)), true);
      assertThat(h2.response(3).status()).isEqualTo(200);
    }
    assertCounted(server, RejectionReason.HEADER_LIST_TOO_LARGE);
    assertThat(events(TraceKind.LIMIT_EXCEEDED)).anyMatch(e -> e.attributes().get("limit").equals("maxHpackStringBytes=1024"));
    assertThat(runtime.trace().events().toString()).doesNotContain("sekrit");
    stillServesH2(server);
  }

  @Test
  void missingPseudoHeaderGetsProtocolError() throws Exception {
    AsupersyncServer server = server();
    try (H2Wire h2 = H2Wire.connect(server.cleartextPort())) {
      h2.headers(1, new DefaultHttp2Headers().method("GET").scheme("http").authority("x"), true);
      H2Wire.Frame answer = h2.await(f -> f.type() == H2Wire.RST_STREAM || f.type() == H2Wire.GOAWAY);
      assertThat(Http2Error.valueOf(answer.errorCode())).isEqualTo(Http2Error.PROTOCOL_ERROR);
    }
    assertCounted(server, RejectionReason.PROTOCOL_ERROR);
    stillServesH2(server);
  }

  @Test
  void hpackTableSizeUpdateOverLimitGetsCompressionError() throws Exception {
    AsupersyncServer server = server();
    try (H2Wire h2 = H2Wire.connect(server.cleartextPort())) {
      ByteArrayOutputStream block = new ByteArrayOutputStream();
      // dynamic table size update to 8192 (> the advertised 4096): 001 prefix, 5-bit integer 31 + 8161
      block.write(new byte[] {0x3f, (byte) 0xe1, 0x3f});
      block.write(h2.encode(1, H2Wire.get("/ok")));
      h2.frame(H2Wire.HEADERS, H2Wire.END_HEADERS | H2Wire.END_STREAM, 1, block.toByteArray());
      assertGoAway(h2, Http2Error.COMPRESSION_ERROR);
    }
    assertCounted(server, RejectionReason.COMPRESSION_ERROR);
    stillServesH2(server);
  }

  @Test
  void declaredBodyOverLimitGets413() throws Exception {
    AsupersyncServer server = server();
    try (H2Wire h2 = H2Wire.connect(server.cleartextPort())) {
      h2.headers(1, H2Wire.request("POST", "/upload").setLong("content-length", 5000), false);
      assertThat(h2.response(1).status()).isEqualTo(413);
      h2.headers(3, H2Wire.request("POST", "/upload"), false);
      h2.data(3, new byte[600], false);
      h2.data(3, new byte[600], true);
      assertThat(h2.response(3).status()).isEqualTo(413);
    }
    assertThat(server.rejections().get(RejectionReason.BODY_TOO_LARGE)).isEqualTo(2);
    stillServesH2(server);
  }

  @Test
  void controlFrameFloodClosesTheConnection() throws Exception {
    AsupersyncServer server = server();
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new java.net.InetSocketAddress("127.0.0.1", server.cleartextPort()));
    try (H2Wire h2 = H2Wire.handshake(socket)) {
      byte[] ping = new byte[17];
      ping[2] = 8;
      ping[3] = H2Wire.PING;
      byte[] burst = new byte[17 * 4096];
      for (int i = 0; i < 4096; i++) {
        System.arraycopy(ping, 0, burst, i * 17, 17);
      }
      // PINGs without reading the acks: the acks queue up on the server until the cap
      try {
        for (int i = 0; i < 400 && server.rejections().get(RejectionReason.CONTROL_FRAME_FLOOD) == 0; i++) {
          socket.getOutputStream().write(burst);
        }
      } catch (java.io.IOException closed) {
        // the server closed the connection while we were still flooding
      }
      assertThat(h2.closedByPeer()).isTrue();
    }
    assertCounted(server, RejectionReason.CONTROL_FRAME_FLOOD);
    stillServesH2(server);
  }

  @Test
  void lastStreamIdIsServedThenTheConnectionGoesAway() throws Exception {
    AsupersyncServer server = server();
    try (H2Wire h2 = H2Wire.connect(server.cleartextPort())) {
      h2.headers(Integer.MAX_VALUE, H2Wire.get("/ok"), true);
      H2Wire.Frame goAway = h2.awaitGoAway();
      assertThat(Http2Error.valueOf(goAway.errorCode())).isEqualTo(Http2Error.NO_ERROR);
      assertThat(goAway.lastStreamId()).isEqualTo(Integer.MAX_VALUE);
      assertThat(h2.response(Integer.MAX_VALUE).status()).isEqualTo(200);
      assertThat(h2.closedByPeer()).isTrue();
    }
    assertThat(events(TraceKind.LIMIT_EXCEEDED)).anyMatch(e -> e.attributes().get("reason").equals("STREAM_IDS_EXHAUSTED"));
    stillServesH2(server);
  }
}
