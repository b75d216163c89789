package io.asupersync.protocols.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Streaming bodies both ways, trailers, and flow control. */
class StreamingTests extends ServerTestSupport {

  /** Echoes the body chunk by chunk in upper case, then trailers with the byte count and request trailers. */
  private static final HttpHandler ECHO =
      (cx, request) ->
          HttpResponse.status(200)
              .contentType("text/plain")
              .streaming(
                  (c, sink) -> {
                    long n = 0;
                    byte[] chunk;
                    while ((chunk = request.body().read(c)) != null) {
                      n += chunk.length;
                      sink.write(c, new String(chunk, StandardCharsets.UTF_8).toUpperCase().getBytes(StandardCharsets.UTF_8));
                    }
                    String seen = request.body().trailers().first("x-checksum");
                    sink.trailers(HttpHeaders.of("x-count", Long.toString(n), "x-seen", String.valueOf(seen)));
                  })
              .build();

  @Test
  void http1ChunkedRequestAndResponseCarryTrailers() throws Exception {
    AsupersyncServer server = start(b -> b.post("/echo", ECHO));
    try (RawHttp1 c = RawHttp1.connect(server.cleartextPort())) {
      c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTrailer: x-checksum\r\n\r\n"
          + "5\r\nhello\r\n6\r\n world\r\n0\r\nx-checksum: abc\r\n\r\n");
      RawHttp1.Response r = c.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("transfer-encoding")).isEqualTo("chunked");
      assertThat(r.text()).isEqualTo("HELLO WORLD");
      assertThat(r.trailers()).containsEntry("x-count", java.util.List.of("11")).containsEntry("x-seen", java.util.List.of("abc"));
    }
  }

  @Test
  void http2StreamsRequestAndResponseWithTrailers() throws Exception {
    AsupersyncServer server = start(b -> b.post("/echo", ECHO));
    try (H2Wire h2 = H2Wire.connect(server.cleartextPort())) {
      h2.headers(1, H2Wire.request("POST", "/echo"), false);
      h2.data(1, "hello".getBytes(StandardCharsets.UTF_8), false);
      h2.data(1, " world".getBytes(StandardCharsets.UTF_8), false);
      h2.headers(1, new io.netty.handler.codec.http2.DefaultHttp2Headers().add("x-checksum", "abc"), true);
      H2Wire.Response r = h2.response(1);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).isEqualTo("HELLO WORLD");
      assertThat(r.trailers().get("x-count").toString()).isEqualTo("11");
      assertThat(r.trailers().get("x-seen").toString()).isEqualTo("abc");
      assertThat(r.frames().get(r.frames().size() - 1).type()).isEqualTo(H2Wire.HEADERS);
    }
  }

  @Test
  void responseWithoutBodyIsOneHeadersFrameWithEndStream() throws Exception {
    AsupersyncServer server =
        start(b -> b.post("/grpc", (cx, r) -> HttpResponse.status(200).header("content-type", "application/grpc").header("grpc-status", "5").build()));
    try (H2Wire h2 = H2Wire.connect(server.cleartextPort())) {
      h2.headers(1, H2Wire.request("POST", "/grpc"), true);
      H2Wire.Response r = h2.response(1);
      assertThat(r.frames()).hasSize(1);
      assertThat(r.frames().get(0).type()).isEqualTo(H2Wire.HEADERS);
      assertThat(r.frames().get(0).has(H2Wire.END_STREAM)).isTrue();
      Http2Headers h = r.headers();
      assertThat(h.get("grpc-status").toString()).isEqualTo("5");
    }
  }

  @Test
  void http2ResponseWriterWaitsForFlowControlCredit() throws Exception {
    int total = 256 * 1024;
    AtomicLong written = new AtomicLong();
    AsupersyncServer server =
        start(
            b ->
                b.get(
                    "/big",
                    (cx, r) ->
                        HttpResponse.status(200)
                            .streaming(
                                (c, sink) -> {
                                  for (int i = 0; i < total / 4096; i++) {
                                    sink.write(c, new byte[4096]);
                                    written.addAndGet(4096);
                                  }
                                })
                            .build()));
    try (H2Wire h2 = H2Wire.connect(server.cleartextPort())) {
      h2.headers(1, H2Wire.get("/big"), true);
      // read without granting credit: the server may send the default 65,535-byte window, then stops
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      h2.socket.setSoTimeout(500);
      try {
        while (true) {
          H2Wire.Frame f = h2.read();
          if (f.type() == H2Wire.DATA) {
            got.write(f.payload());
          }
        }
      } catch (SocketTimeoutException stalled) {
        // no more DATA without WINDOW_UPDATE
      }
      assertThat(got.size()).isEqualTo(65_535);
      assertThat(written.get()).isLessThan(total);
      h2.socket.setSoTimeout(5000);
      h2.windowUpdate(0, total);
      h2.windowUpdate(1, total);
      H2Wire.Response rest = h2.response(1);
      assertThat(got.size() + rest.body().length).isEqualTo(total);
      assertThat(written.get()).isEqualTo(total);
    }
  }

  @Test
  void http2RequestBodyCreditFollowsTheHandlersReads() throws Exception {
    int total = 512 * 1024;
    java.util.concurrent.CountDownLatch startReading = new java.util.concurrent.CountDownLatch(1);
    AsupersyncServer server =
        start(
            b ->
                b.http2Limits(Http2Limits.defaults().withInitialWindowBytes(16 * 1024))
                    .post(
                        "/slow-reader",
                        (cx, r) -> {
                          while (startReading.getCount() > 0) {
                            cx.sleep(java.time.Duration.ofMillis(10));
                          }
                          return HttpResponse.ok("got " + r.body().bytes(cx).length);
                        }));
    try (H2Wire h2 = H2Wire.connect(server.cleartextPort())) {
      h2.headers(1, H2Wire.request("POST", "/slow-reader"), false);
      long streamCredit = 16 * 1024;
      long connectionCredit = 65_535;
      int sent = 0;
      boolean stalled = false;
      h2.socket.setSoTimeout(500);
      while (sent < total) {
        int n = (int) Math.min(Math.min(streamCredit, connectionCredit), Math.min(16 * 1024, total - sent));
        if (n > 0) {
          h2.data(1, new byte[n], false);
          sent += n;
          streamCredit -= n;
          connectionCredit -= n;
          continue;
        }
        try {
          H2Wire.Frame f = h2.await(fr -> fr.type() == H2Wire.WINDOW_UPDATE);
          int increment = java.nio.ByteBuffer.wrap(f.payload()).getInt();
          if (f.stream() == 0) {
            connectionCredit += increment;
          } else {
            streamCredit += increment;
          }
        } catch (SocketTimeoutException e) {
          if (stalled) {
            throw e;
          }
          if (sent < 64 * 1024) {
            continue; // the server takes at least its 64 KiB queue before pushing back: just slow
          }
          // no credit while the handler does not read: the server buffered a bounded amount only
          stalled = true;
          assertThat(sent).isLessThan(200 * 1024);
          startReading.countDown();
          h2.socket.setSoTimeout(5000);
        }
      }
      assertThat(stalled).isTrue();
      h2.data(1, new byte[0], true);
      assertThat(h2.response(1).text()).isEqualTo("got " + total);
    }
  }

  /**
   * Streams whose handler does not read hold back their last credit; resetting them must give it back to
   * the connection window, or a later request on the same connection could not send its body.
   */
  @Test
  void resetStreamsMidBodyGiveTheirCreditBackToTheConnection() throws Exception {
    int window = 16 * 1024;
    AsupersyncServer server =
        start(
            b ->
                b.http2Limits(Http2Limits.defaults().withInitialWindowBytes(window))
                    .post(
                        "/hold",
                        (cx, r) -> {
                          cx.sleep(Duration.ofMinutes(5));
                          return HttpResponse.ok("never");
                        })
                    .post("/count", (cx, r) -> HttpResponse.ok("got " + r.body().bytes(cx).length)));
    try (H2Wire h2 = H2Wire.connect(server.cleartextPort())) {
      Credit credit = new Credit(h2, window);
      int[] held = {1, 3, 5, 7, 9, 11, 13, 15};
      for (int stream : held) {
        h2.headers(stream, H2Wire.request("POST", "/hold"), false);
      }
      h2.socket.setSoTimeout(500);
      long sent = 0;
      while (true) {
        boolean progress = false;
        for (int stream : held) {
          int n = (int) Math.min(credit.of(stream), window);
          if (n > 0) {
            h2.data(stream, new byte[n], false);
            credit.spend(stream, n);
            sent += n;
            progress = true;
          }
        }
        assertThat(sent).as("bytes the server took while no handler reads").isLessThan(4L << 20);
        if (!progress && !credit.awaitUpdate()) {
          break;
        }
      }
      // the unread bodies hold (nearly) the whole connection window
      assertThat(credit.connection).isLessThan(window);
      for (int stream : held) {
        h2.rst(stream, Http2Error.CANCEL);
      }
      h2.socket.setSoTimeout(5000);
      int total = 4 * window;
      h2.headers(17, H2Wire.request("POST", "/count"), false);
      for (int done = 0; done < total; ) {
        int n = (int) Math.min(credit.of(17), Math.min(window, total - done));
        if (n > 0) {
          h2.data(17, new byte[n], false);
          credit.spend(17, n);
          done += n;
        } else {
          assertThat(credit.awaitUpdate()).as("credit for stream 17 after %s of %s bytes", done, total).isTrue();
        }
      }
      h2.data(17, new byte[0], true);
      assertThat(h2.response(17).text()).isEqualTo("got " + total);
    }
  }

  /** A client's send credit, as the server's WINDOW_UPDATE frames grant it. */
  private static final class Credit {
    private final H2Wire h2;
    private final int initialStreamWindow;
    private final Map<Integer, Long> streams = new HashMap<>();
    long connection = 65_535;

    Credit(H2Wire h2, int initialStreamWindow) {
      this.h2 = h2;
      this.initialStreamWindow = initialStreamWindow;
    }

    long of(int stream) {
      return Math.min(connection, streams.getOrDefault(stream, (long) initialStreamWindow));
    }

    void spend(int stream, int n) {
      connection -= n;
      streams.put(stream, streams.getOrDefault(stream, (long) initialStreamWindow) - n);
    }

    /** Waits for the next WINDOW_UPDATE; false when none came within the socket timeout. */
    boolean awaitUpdate() throws IOException {
      H2Wire.Frame f;
      try {
        f = h2.await(fr -> fr.type() == H2Wire.WINDOW_UPDATE);
      } catch (SocketTimeoutException e) {
        return false;
      }
      int increment = ByteBuffer.wrap(f.payload()).getInt();
      if (f.stream() == 0) {
        connection += increment;
      } else {
        streams.put(f.stream(), streams.getOrDefault(f.stream(), (long) initialStreamWindow) + increment);
      }
      return true;
    }
  }
}
