package io.asupersync.protocols.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.CancelKind;
import io.asupersync.CancelReason;
import io.asupersync.CancelledException;
import io.netty.handler.codec.http2.Http2Error;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Graceful shutdown: in-flight requests finish, HTTP/2 gets two GOAWAYs, the timeout bounds it all. */
class ShutdownTests extends ServerTestSupport {

  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  private final HttpHandler held =
      (cx, request) -> {
        entered.countDown();
        while (release.getCount() > 0) {
          cx.sleep(Duration.ofMillis(10));
        }
        return HttpResponse.ok("finished");
      };

  private static boolean refusesConnections(int port) {
    try {
      new Socket("127.0.0.1", port).close();
      return false;
    } catch (IOException refused) {
      return true;
    }
  }

  @Test
  void inFlightHttp1RequestFinishesAndItsConnectionCloses() throws Exception {
    AsupersyncServer server = start(b -> b.get("/held", held).get("/ok", OK));
    int port = server.cleartextPort();
    try (RawHttp1 busy = RawHttp1.connect(port); RawHttp1 idle = RawHttp1.connect(port)) {
      assertThat(idle.get("/ok").status()).isEqualTo(200);
      busy.send("GET /held HTTP/1.1\r\nHost: x\r\n\r\n");
      entered.await();
      CompletableFuture<Boolean> done = CompletableFuture.supplyAsync(server::shutdown);
      await("listener closed", () -> refusesConnections(port));
      assertThat(idle.closedByPeer()).isTrue();
      release.countDown();
      RawHttp1.Response r = busy.read();
      assertThat(r.text()).isEqualTo("finished");
      assertThat(r.header("connection")).isEqualTo("close");
      assertThat(busy.closedByPeer()).isTrue();
      assertThat(done.get(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void http2GetsTwoGoAwaysAndTheInFlightStreamFinishes() throws Exception {
    AsupersyncServer server = start(b -> b.get("/held", held));
    try (H2Wire h2 = H2Wire.connect(server.cleartextPort())) {
      h2.headers(1, H2Wire.get("/held"), true);
      entered.await();
      CompletableFuture<Boolean> done = CompletableFuture.supplyAsync(server::shutdown);
      H2Wire.Frame first = h2.awaitGoAway();
      assertThat(Http2Error.valueOf(first.errorCode())).isEqualTo(Http2Error.NO_ERROR);
      assertThat(first.lastStreamId()).isEqualTo(Integer.MAX_VALUE);
      H2Wire.Frame second = h2.awaitGoAway(); // after our PING ack
      assertThat(second.lastStreamId()).isEqualTo(1);
      release.countDown();
      H2Wire.Response r = h2.response(1);
      assertThat(r.text()).isEqualTo("finished");
      assertThat(h2.closedByPeer()).isTrue();
      assertThat(done.get(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void requestsStillRunningAtTheTimeoutAreCancelledForShutdown() throws Exception {
    AtomicReference<CancelReason> reason = new AtomicReference<>();
    AsupersyncServer server =
        start(
            b ->
                b.shutdownTimeout(Duration.ofMillis(300))
                    .get("/forever", (cx, r) -> {
                      entered.countDown();
                      try {
                        cx.sleep(Duration.ofMinutes(5));
                      } catch (CancelledException e) {
                        reason.set(cx.cancelReason().orElseThrow());
                        throw e;
                      }
                      return OK.handle(cx, r);
                    }));
    try (RawHttp1 c = RawHttp1.connect(server.cleartextPort())) {
      c.send("GET /forever HTTP/1.1\r\nHost: x\r\n\r\n");
      entered.await();
      assertThat(server.shutdown()).isFalse();
      await("handler cancelled", () -> reason.get() != null);
      assertThat(reason.get().root().kind()).isEqualTo(CancelKind.SHUTDOWN);
      assertThat(c.closedByPeer()).isTrue();
    }
  }

  @Test
  void http2ResponseCutByTheShutdownTimeoutIsResetWithCancelNotInternalError() throws Exception {
    AsupersyncServer server =
        start(
            b ->
                b.shutdownTimeout(Duration.ofMillis(300))
                    .get("/stream", (cx, r) -> HttpResponse.status(200)
                        .streaming((c, sink) -> {
                          sink.write(c, "first".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                          entered.countDown();
                          c.sleep(Duration.ofMinutes(5));
                        })
                        .build()));
    try (H2Wire h2 = H2Wire.connect(server.cleartextPort())) {
      h2.headers(1, H2Wire.get("/stream"), true);
      entered.await();
      assertThat(server.shutdown()).isFalse();
      // a peer maps CANCEL to "cancelled" (gRPC: CANCELLED); INTERNAL_ERROR would read as a server bug
      H2Wire.Frame reset = h2.await(f -> f.type() == H2Wire.RST_STREAM && f.stream() == 1);
      assertThat(Http2Error.valueOf(reset.errorCode())).isEqualTo(Http2Error.CANCEL);
    }
  }
}
