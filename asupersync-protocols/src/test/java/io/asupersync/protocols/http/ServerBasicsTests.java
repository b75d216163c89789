package io.asupersync.protocols.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.ClientAuth;
import io.asupersync.protocols.http.internal.Http1UpgradeHandler;
import io.asupersync.trace.TraceEvent;
import io.asupersync.trace.TraceKind;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ServerBasicsTests extends ServerTestSupport {

  @Test
  void routesMethodAndPatternWithPathAndQueryParameters() throws Exception {
    AsupersyncServer server =
        start(
            b ->
                b.get("/users/{id}", (cx, r) -> HttpResponse.ok(r.pathParam("id") + "|" + r.queryParam("q") + "|" + r.route()))
                    .get("/users/me", (cx, r) -> HttpResponse.ok("me"))
                    .get("/files/{*path}", (cx, r) -> HttpResponse.ok(r.pathParam("path"))));
    try (RawHttp1 c = RawHttp1.connect(server.cleartextPort())) {
      assertThat(c.get("/users/a%20b?q=x%26y").text()).isEqualTo("a b|x&y|/users/{id}");
      assertThat(c.get("/users/me").text()).isEqualTo("me");
      assertThat(c.get("/files/a/b/c.txt").text()).isEqualTo("a/b/c.txt");
      assertThat(c.get("/nothing").status()).isEqualTo(404);
      c.send("DELETE /users/1 HTTP/1.1\r\nHost: x\r\n\r\n");
      RawHttp1.Response r = c.read();
      assertThat(r.status()).isEqualTo(405);
      assertThat(r.header("allow")).isEqualTo("GET");
      c.send("HEAD /users/me HTTP/1.1\r\nHost: x\r\n\r\n");
      RawHttp1.Response head = c.readHead();
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("content-length")).isEqualTo("2");
      assertThat(c.get("/users/me").text()).isEqualTo("me");
    }
  }

  @Test
  void servesHttp1KeepAliveAndEmitsOneAccessEventPerRequestWithoutRawPath() throws Exception {
    AsupersyncServer server = start(b -> b.get("/items/{id}", OK));
    try (RawHttp1 c = RawHttp1.connect(server.cleartextPort())) {
      assertThat(c.get("/items/secret-token?key=hunter2").status()).isEqualTo(200);
      assertThat(c.get("/items/2").status()).isEqualTo(200);
    }
    await("two access events", () -> events(TraceKind.ACCESS).size() == 2);
    TraceEvent e = events(TraceKind.ACCESS).get(0);
    assertThat(e.attributes())
        .containsEntry("protocol", "HTTP/1.1")
        .containsEntry("method", "GET")
        .containsEntry("route", "/items/{id}")
        .containsEntry("status", "200")
        .containsKey("durationMicros");
    assertThat(e.attributes().values().toString()).doesNotContain("secret-token").doesNotContain("hunter2");
  }

  @Test
  void responseFieldsReachTheWireLowerCasedWithRepeatsAndWithoutHopByHopFieldsOnBothProtocols() throws Exception {
    AsupersyncServer server =
        start(
            b ->
                b.get(
                    "/fields",
                    (cx, r) ->
                        HttpResponse.status(201)
                            .header("Content-Type", "text/csv")
                            .header("Cache-Control", "no-store")
                            .header("Set-Cookie", "a=1")
                            .header("Set-Cookie", "b=2")
                            .header("X-Request-Id", "r-7")
                            .header("Connection", "x-hop")
                            .header("Transfer-Encoding", "gzip")
                            .body("id,name")
                            .build()));
    try (RawHttp1 c = RawHttp1.connect(server.cleartextPort())) {
      RawHttp1.Response r = c.get("/fields");
      assertThat(r.status()).isEqualTo(201);
      assertThat(r.headers())
          .containsEntry("content-type", List.of("text/csv"))
          .containsEntry("cache-control", List.of("no-store"))
          .containsEntry("set-cookie", List.of("a=1", "b=2"))
          .containsEntry("x-request-id", List.of("r-7"))
          .containsEntry("content-length", List.of("7"))
          .doesNotContainKey("transfer-encoding");
      assertThat(r.header("connection")).isNull();
      assertThat(r.text()).isEqualTo("id,name");
    }
    try (H2Wire h2 = H2Wire.connect(server.cleartextPort())) {
      h2.headers(1, H2Wire.get("/fields"), true);
      H2Wire.Response r = h2.response(1);
      assertThat(r.headers().status().toString()).isEqualTo("201");
      assertThat(r.headers().get("content-type").toString()).isEqualTo("text/csv");
      assertThat(r.headers().get("cache-control").toString()).isEqualTo("no-store");
      assertThat(r.headers().getAll("set-cookie").stream().map(CharSequence::toString)).containsExactly("a=1", "b=2");
      assertThat(r.headers().get("x-request-id").toString()).isEqualTo("r-7");
      assertThat(r.headers().get("content-length").toString()).isEqualTo("7");
      assertThat(r.headers().contains("connection")).isFalse();
      assertThat(r.headers().contains("transfer-encoding")).isFalse();
      assertThat(r.text()).isEqualTo("id,name");
    }
  }

  @Test
  void servesH2cWithPriorKnowledge() throws Exception {
    AsupersyncServer server = start(b -> b.get("/hello/{name}", (cx, r) -> HttpResponse.ok("hi " + r.pathParam("name") + " over " + r.protocol().text())));
    try (H2Wire h2 = H2Wire.connect(server.cleartextPort())) {
      h2.headers(1, H2Wire.get("/hello/bob"), true);
      h2.headers(3, H2Wire.get("/hello/eve"), true);
      H2Wire.Response first = h2.response(1);
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.text()).isEqualTo("hi bob over HTTP/2");
      assertThat(h2.response(3).text()).isEqualTo("hi eve over HTTP/2");
    }
  }

  @Test
  void servesH2cThroughUpgrade() throws Exception {
    AsupersyncServer server = start(b -> b.get("/up", (cx, r) -> HttpResponse.ok(r.protocol().text())));
    try (Socket s = new Socket("127.0.0.1", server.cleartextPort())) {
      s.getOutputStream()
          .write(
              ("GET /up HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                      + "HTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      var in = s.getInputStream();
      StringBuilder line = new StringBuilder();
      while (!line.toString().endsWith("\r\n\r\n")) {
        line.append((char) in.read());
      }
      assertThat(line.toString()).startsWith("HTTP/1.1 101");
      try (H2Wire h2 = H2Wire.afterUpgrade(s)) {
        H2Wire.Response r = h2.response(1);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("HTTP/2");
        h2.headers(3, H2Wire.get("/up"), true);
        assertThat(h2.response(3).text()).isEqualTo("HTTP/2");
      }
    }
  }

  @Test
  void h2cUpgradeBehindUnansweredPipelinedRequestsIsServedOverHttp1() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AsupersyncServer server =
        start(
            b ->
                b.get(
                    "/up",
                    (cx, r) -> {
                      if (r.queryParam("wait") != null && !release.await(10, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("test never released the handler");
                      }
                      return HttpResponse.ok(r.protocol().text());
                    }));
    try (RawHttp1 c = RawHttp1.connect(server.cleartextPort())) {
      // one write: the server decodes the upgrade request while the first is still in its handler
      c.send(
          "GET /up?wait=1 HTTP/1.1\r\nHost: x\r\n\r\n"
              + "GET /up HTTP/1.1\r\nHost: x\r\n\r\n"
              + "GET /up HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
              + "HTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n");
      release.countDown();
      for (int i = 0; i < 3; i++) {
        RawHttp1.Response r = c.read();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("HTTP/1.1");
      }
      assertThat(c.get("/up").text()).isEqualTo("HTTP/1.1");
    }
  }

  @Test
  void jdkClientUpgradesToH2c() throws Exception {
    AsupersyncServer server = start(b -> b.get("/up", (cx, r) -> HttpResponse.ok(r.protocol().text())));
    try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
      URI uri = URI.create("http://127.0.0.1:" + server.cleartextPort() + "/up");
      var first = client.send(java.net.http.HttpRequest.newBuilder(uri).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(first.body()).isEqualTo("HTTP/1.1".equals(first.body()) ? "HTTP/1.1" : "HTTP/2");
      var second = client.send(java.net.http.HttpRequest.newBuilder(uri).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(second.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(second.body()).isEqualTo("HTTP/2");
    }
  }

  @Test
  void tlsPortNegotiatesH2AndHttp11WithAlpn() throws Exception {
    AsupersyncServer server =
        start(
            b ->
                b.tlsPort(0)
                    .tlsContext(() -> Pki.INSTANCE.serverContext(ClientAuth.NONE))
                    .get("/tls", (cx, r) -> HttpResponse.ok(r.protocol().text() + " " + r.scheme() + " " + r.tls().orElseThrow().applicationProtocol())));
    URI uri = URI.create("https://127.0.0.1:" + server.tlsPort() + "/tls");
    for (var version : List.of(HttpClient.Version.HTTP_2, HttpClient.Version.HTTP_1_1)) {
      try (HttpClient client = HttpClient.newBuilder().version(version).sslContext(Pki.INSTANCE.clientContext(null)).build()) {
        var response = client.send(java.net.http.HttpRequest.newBuilder(uri).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.version()).isEqualTo(version);
        assertThat(response.body())
            .isEqualTo(version == HttpClient.Version.HTTP_2 ? "HTTP/2 https h2" : "HTTP/1.1 https null");
      }
    }
  }

  @Test
  void mtlsPeerCertificateReachesTheHandler() throws Exception {
    AsupersyncServer server =
        start(
            b ->
                b.tlsPort(0)
                    .tlsContext(() -> Pki.INSTANCE.serverContext(ClientAuth.REQUIRE))
                    .get("/me", (cx, r) -> HttpResponse.ok(r.tls().orElseThrow().peerPrincipal().orElseThrow().getName())));
    URI uri = URI.create("https://127.0.0.1:" + server.tlsPort() + "/me");
    try (HttpClient client = HttpClient.newBuilder().sslContext(Pki.INSTANCE.clientContext(Pki.INSTANCE.client)).build()) {
      var response = client.send(java.net.http.HttpRequest.newBuilder(uri).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(response.body()).isEqualTo("CN=alice,O=Test");
    }
  }

  @Test
  void filtersWrapEveryRequestInOrderAndSeeTheRoute() throws Exception {
    AsupersyncServer server =
        start(
            b ->
                b.get("/users/{id}", (cx, r) -> HttpResponse.ok("user " + r.attributes().get("principal")))
                    .filter(
                        (cx, r, next) -> {
                          HttpResponse inner = next.handle(cx, r);
                          return HttpResponse.status(inner.status()).headers(inner.headers()).header("x-route", r.route()).body(inner.body()).build();
                        })
                    .filter(
                        (cx, r, next) -> {
                          if (r.headers().first("authorization") == null) {
                            return HttpResponse.text(401, "who are you");
                          }
                          r.attributes().put("principal", "alice");
                          return next.handle(cx, r);
                        }));
    try (RawHttp1 c = RawHttp1.connect(server.cleartextPort())) {
      RawHttp1.Response denied = c.get("/users/1");
      assertThat(denied.status()).isEqualTo(401);
      assertThat(denied.header("x-route")).isEqualTo("/users/{id}");
      c.send("GET /users/1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n\r\n");
      RawHttp1.Response ok = c.read();
      assertThat(ok.text()).isEqualTo("user alice");
      assertThat(c.get("/missing").header("x-route")).isEqualTo("-");
    }
  }

  @Test
  void upgradeHookTakesOverTheConnectionAfterHttp1HandlersLeave() throws Exception {
    AtomicReference<List<String>> pipelineSeen = new AtomicReference<>();
    Http1UpgradeHandler echo =
        new Http1UpgradeHandler() {
          @Override
          public boolean accepts(FullHttpRequest request) {
            return request.uri().equals("/echo");
          }

          @Override
          public void upgrade(Channel channel, FullHttpRequest request) {
            pipelineSeen.set(channel.pipeline().names());
            var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
            response.headers().set("upgrade", "echo").set("connection", "upgrade");
            channel.writeAndFlush(response).addListener(f -> {
              channel.pipeline().remove(Http1UpgradeHandler.CODEC_NAME);
              channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                  ctx.writeAndFlush(msg);
                }
              });
            });
          }
        };
    AsupersyncServer server = start(b -> b.get("/echo", OK).get("/ok", OK).http1Upgrade("echo", echo));
    try (RawHttp1 c = RawHttp1.connect(server.cleartextPort())) {
      c.send("GET /ok HTTP/1.1\r\nHost: x\r\nUpgrade: echo\r\nConnection: upgrade\r\n\r\n");
      assertThat(c.read().text()).isEqualTo("ok"); // declined: served as a request
      c.send("GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: echo\r\nConnection: upgrade\r\n\r\n");
      assertThat(c.readHead().status()).isEqualTo(101);
      c.send("ping!");
      assertThat(new String(c.input().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("ping!");
    }
    assertThat(pipelineSeen.get()).contains(Http1UpgradeHandler.CODEC_NAME).doesNotContain("http1", "http1-guard");
  }


  @Test
  void nioTransportServesTheSameAsNative() throws Exception {
    AsupersyncServer server = start(b -> b.nativeTransport(false).get("/ok", OK));
    stillServes(server);
    stillServesH2(server);
  }

  @Test
  void expectContinueGetsAnInterimAnswerBeforeTheBody() throws Exception {
    AsupersyncServer server = start(b -> b.post("/upload", (cx, r) -> HttpResponse.ok(r.body().string(cx))));
    try (RawHttp1 c = RawHttp1.connect(server.cleartextPort())) {
      c.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
      assertThat(c.readHead().status()).isEqualTo(100);
      c.send("hello");
      assertThat(c.read().text()).isEqualTo("hello");
    }
  }
}
