package io.asupersync.protocols.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How the request region's outcome becomes the answer. */
class OutcomeMappingTests extends ServerTestSupport {

  private AsupersyncServer server() {
    return start(
        b ->
            b.defaultTimeout(Duration.ofSeconds(10))
                .get("/ok", OK)
                .get("/conflict", (cx, r) -> {
                  throw new HttpStatusException(409, "already there");
                })
                .get("/io", (cx, r) -> {
                  throw new IOException("disk on fire: /etc/secret");
                })
                .get("/slow", (cx, r) -> {
                  cx.sleep(Duration.ofMinutes(1));
                  return OK.handle(cx, r);
                })
                .get("/bug", (cx, r) -> {
                  throw new IllegalStateException("bug");
                }));
  }

  @Test
  void errWithStatusExceptionAnswersItsStatusAndMessage() throws Exception {
    try (RawHttp1 c = RawHttp1.connect(server().cleartextPort())) {
      RawHttp1.Response r = c.get("/conflict");
      assertThat(r.status()).isEqualTo(409);
      assertThat(r.text()).isEqualTo("already there");
      assertThat(c.get("/ok").status()).isEqualTo(200); // connection kept
    }
  }

  @Test
  void otherErrAnswers500WithoutTheExceptionText() throws Exception {
    try (RawHttp1 c = RawHttp1.connect(server().cleartextPort())) {
      RawHttp1.Response r = c.get("/io");
      assertThat(r.status()).isEqualTo(500);
      assertThat(r.text()).doesNotContain("secret");
    }
  }

  @Test
  void deadlineFromClientTimeoutHeaderAnswers503() throws Exception {
    try (RawHttp1 c = RawHttp1.connect(server().cleartextPort())) {
      c.send("GET /slow HTTP/1.1\r\nHost: x\r\nrequest-timeout: 50\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(503);
      assertThat(c.get("/ok").status()).isEqualTo(200);
    }
  }

  @Test
  void serverDefaultTimeoutAnswers503OnHttp2() throws Exception {
    AsupersyncServer server = start(b -> b.defaultTimeout(Duration.ofMillis(50)).get("/slow", (cx, r) -> {
      cx.sleep(Duration.ofMinutes(1));
      return OK.handle(cx, r);
    }));
    try (H2Wire h2 = H2Wire.connect(server.cleartextPort())) {
      h2.headers(1, H2Wire.get("/slow"), true);
      H2Wire.Response r = h2.response(1);
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.text()).isEqualTo("request timed out");
    }
  }

  @Test
  void malformedClientTimeoutAnswers400() throws Exception {
    AsupersyncServer server = server();
    try (RawHttp1 c = RawHttp1.connect(server.cleartextPort())) {
      c.send("GET /ok HTTP/1.1\r\nHost: x\r\nrequest-timeout: soon\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(400);
    }
    assertThat(server.rejections().get(RejectionReason.MALFORMED_REQUEST)).isEqualTo(1);
  }

  @Test
  void panicAnswers500AndClosesTheHttp1Connection() throws Exception {
    AsupersyncServer server = server();
    try (RawHttp1 c = RawHttp1.connect(server.cleartextPort())) {
      RawHttp1.Response r = c.get("/bug");
      assertThat(r.status()).isEqualTo(500);
      assertThat(r.header("connection")).isEqualTo("close");
      assertThat(c.closedByPeer()).isTrue();
    }
    stillServes(server);
  }

  @Test
  void panicAnswers500AndKeepsTheHttp2Connection() throws Exception {
    AsupersyncServer server = server();
    try (H2Wire h2 = H2Wire.connect(server.cleartextPort())) {
      h2.headers(1, H2Wire.get("/bug"), true);
      assertThat(h2.response(1).status()).isEqualTo(500);
      h2.headers(3, H2Wire.get("/ok"), true);
      assertThat(h2.response(3).status()).isEqualTo(200);
    }
  }
}
