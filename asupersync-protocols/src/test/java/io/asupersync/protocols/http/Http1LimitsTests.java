package io.asupersync.protocols.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.trace.TraceEvent;
import io.asupersync.trace.TraceKind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every HTTP/1.1 limit, hit over a socket: the answer on the wire, then a fresh connection still works. */
class Http1LimitsTests extends ServerTestSupport {

  private static final Http1Limits SMALL =
      Http1Limits.defaults()
          .withMaxInitialLineBytes(256)
          .withMaxHeaderBytes(1024)
          .withMaxHeaders(10)
          .withMaxBodyBytes(1000)
          .withHeaderReadTimeout(Duration.ofMillis(300))
          .withMaxRequestsPerConnection(3);

  private AsupersyncServer server() {
    return start(
        b ->
            b.http1Limits(SMALL)
                .get("/ok", OK)
                .post("/upload", (cx, r) -> HttpResponse.ok("got " + r.body().bytes(cx).length)));
  }

  /** Sends {@code request} on a new connection; asserts the status, a close, the counter and the trace. */
  private void assertRejected(AsupersyncServer server, String request, int status, RejectionReason reason) throws Exception {
    try (RawHttp1 c = RawHttp1.connect(server.cleartextPort())) {
      c.send(request);
      RawHttp1.Response r = c.read();
      assertThat(r.status()).isEqualTo(status);
      assertThat(r.header("connection")).isEqualTo("close");
      assertThat(c.closedByPeer()).isTrue();
    }
    assertThat(server.rejections().get(reason)).isEqualTo(1);
    TraceEvent event =
        events(reason.isLimit() ? TraceKind.LIMIT_EXCEEDED : TraceKind.PROTOCOL_ERROR).stream()
            .filter(e -> e.attributes().get("reason").equals(reason.name()))
            .findFirst()
            .orElseThrow();
    assertThat(event.attributes()).containsEntry("protocol", "HTTP/1.1").containsKeys("connection", "limit");
    assertThat(event.attributes().toString()).doesNotContain("sekrit");
    stillServes(server);
  }

  @Test
  void requestLineOverLimitGets414() throws Exception {
    assertRejected(server(), "GET /" + "a".repeat(300) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414, RejectionReason.REQUEST_LINE_TOO_LONG);
  }

  @Test
  void headerBlockOverLimitGets431() throws Exception {
    assertRejected(server(), "GET /ok HTTP/1.1\r\nHost: x\r\nX-Big: sekrit" + "b".repeat(1100) + "\r\n\r\n", 431, RejectionReason.HEADERS_TOO_LARGE);
  }

  @Test
  void headerCountOverLimitGets431() throws Exception {
    StringBuilder h = new StringBuilder("GET /ok HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < 10; i++) {
      h.append("X-").append(i).append(": sekrit\r\n");
    }
    assertRejected(server(), h + "\r\n", 431, RejectionReason.TOO_MANY_HEADERS);
  }

  @Test
  void declaredBodyOverLimitGets413() throws Exception {
    assertRejected(server(), "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n", 413, RejectionReason.BODY_TOO_LARGE);
  }

  @Test
  void chunkedBodyGrowingOverLimitGets413() throws Exception {
    String chunk = Integer.toHexString(600) + "\r\n" + "z".repeat(600) + "\r\n";
    assertRejected(
        server(),
        "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk + "0\r\n\r\n",
        413,
        RejectionReason.BODY_TOO_LARGE);
  }

  @Test
  void contentLengthWithTransferEncodingGets400() throws Exception {
    assertRejected(
        server(),
        "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        400,
        RejectionReason.CONTENT_LENGTH_WITH_TRANSFER_ENCODING);
  }

  @Test
  void conflictingContentLengthsGet400() throws Exception {
    assertRejected(
        server(),
        "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
        400,
        RejectionReason.DUPLICATE_CONTENT_LENGTH);
  }

  @Test
  void repeatedEqualContentLengthsGet400() throws Exception {
    assertRejected(
        server(),
        "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
        400,
        RejectionReason.DUPLICATE_CONTENT_LENGTH);
  }

  @Test
  void missingHostGets400() throws Exception {
    assertRejected(server(), "GET /ok HTTP/1.1\r\n\r\n", 400, RejectionReason.BAD_HOST);
  }

  @Test
  void duplicateHostGets400() throws Exception {
    assertRejected(server(), "GET /ok HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, RejectionReason.BAD_HOST);
  }

  @Test
  void slowHeadersGet408() throws Exception {
    assertRejected(server(), "GET /ok HTTP/1.1\r\nHost: x\r\nX-Slow: sekrit", 408, RejectionReason.HEADER_READ_TIMEOUT);
  }

  @Test
  void idleKeptAliveConnectionIsClosed() throws Exception {
    AsupersyncServer server = start(b -> b.http1Limits(SMALL.withIdleTimeout(Duration.ofMillis(200))).get("/ok", OK));
    try (RawHttp1 c = RawHttp1.connect(server.cleartextPort())) {
      assertThat(c.get("/ok").status()).isEqualTo(200);
      assertThat(c.closedByPeer()).isTrue();
    }
    assertThat(events(TraceKind.LIMIT_EXCEEDED)).anyMatch(e -> e.attributes().get("reason").equals("IDLE_TIMEOUT"));
    stillServes(server);
  }

  @Test
  void keepAliveEndsAfterMaxRequestsPerConnection() throws Exception {
    AsupersyncServer server = server();
    try (RawHttp1 c = RawHttp1.connect(server.cleartextPort())) {
      assertThat(c.get("/ok").header("connection")).isNull();
      assertThat(c.get("/ok").header("connection")).isNull();
      RawHttp1.Response third = c.get("/ok");
      assertThat(third.status()).isEqualTo(200);
      assertThat(third.header("connection")).isEqualTo("close");
      assertThat(c.closedByPeer()).isTrue();
    }
    stillServes(server);
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    AsupersyncServer server = start(b -> b.get("/echo/{n}", (cx, r) -> HttpResponse.ok(r.pathParam("n"))));
    try (RawHttp1 c = RawHttp1.connect(server.cleartextPort())) {
      c.send("GET /echo/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /echo/2 HTTP/1.1\r\nHost: x\r\n\r\nGET /echo/3 HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(c.read().text()).isEqualTo("1");
      assertThat(c.read().text()).isEqualTo("2");
      assertThat(c.read().text()).isEqualTo("3");
    }
  }
}
