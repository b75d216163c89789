package io.asupersync.protocols.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.CancelKind;
import io.asupersync.CancelReason;
import io.asupersync.CancelledException;
import io.asupersync.TaskHandle;
import io.asupersync.trace.TraceKind;
import io.netty.handler.codec.http2.Http2Error;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Each request is a region: a client that goes away cancels the handler and every task it spawned. */
class RequestRegionTests extends ServerTestSupport {

  private final Queue<CancelReason> childReasons = new ConcurrentLinkedQueue<>();
  private final Queue<String> finalized = new ConcurrentLinkedQueue<>();
  private final CountDownLatch childrenWaiting = new CountDownLatch(3);

  /** Spawns three children that wait forever, then waits on them. */
  private final HttpHandler fanOut =
      (cx, request) -> {
        cx.defer(c -> finalized.add("request region"));
        List<TaskHandle<Void>> children = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          int n = i;
          children.add(
              cx.spawn(
                  c -> {
                    try {
                      childrenWaiting.countDown();
                      c.sleep(Duration.ofMinutes(5));
                      return null;
                    } catch (CancelledException e) {
                      childReasons.add(c.cancelReason().orElseThrow());
                      throw e;
                    } finally {
                      finalized.add("child " + n);
                    }
                  }));
        }
        for (TaskHandle<Void> child : children) {
          child.join(cx);
        }
        return HttpResponse.ok("never");
      };

  @Test
  void accessEventCarriesTheRequestTaskAndRegion() throws Exception {
    Queue<long[]> seen = new ConcurrentLinkedQueue<>();
    AsupersyncServer server =
        start(
            b ->
                b.get(
                    "/ids",
                    (cx, request) -> {
                      seen.add(new long[] {cx.taskId(), cx.regionId()});
                      return HttpResponse.ok("ids");
                    }));
    try (RawHttp1 c = RawHttp1.connect(server.cleartextPort())) {
      assertThat(c.get("/ids").status()).isEqualTo(200);
    }
    try (H2Wire h2 = H2Wire.connect(server.cleartextPort())) {
      h2.headers(1, H2Wire.get("/ids"), true);
      assertThat(h2.response(1).status()).isEqualTo(200);
    }
    await("two access events", () -> events(TraceKind.ACCESS).size() == 2);
    List<long[]> ids = List.copyOf(seen);
    assertThat(ids).hasSize(2).allMatch(id -> id[0] > 0 && id[1] > 0);
    assertThat(ids.get(0)[1]).isNotEqualTo(ids.get(1)[1]);
    assertThat(events(TraceKind.ACCESS))
        .extracting(e -> e.taskId() + "/" + e.regionId())
        .containsExactly(ids.get(0)[0] + "/" + ids.get(0)[1], ids.get(1)[0] + "/" + ids.get(1)[1]);
  }

  @Test
  void http2ResetCancelsTheRequestRegionWithItsReason() throws Exception {
    AsupersyncServer server = start(b -> b.get("/fan", fanOut).get("/ok", OK));
    try (H2Wire h2 = H2Wire.connect(server.cleartextPort())) {
      h2.headers(1, H2Wire.get("/fan"), true);
      childrenWaiting.await();
      h2.rst(1, Http2Error.CANCEL);
      assertCancelledAndFinalized("client reset (CANCEL)");
      h2.headers(3, H2Wire.get("/ok"), true);
      assertThat(h2.response(3).status()).isEqualTo(200);
    }
  }

  @Test
  void http2StreamErrorResetsTheStreamAndCancelsTheRequestRegion() throws Exception {
    AsupersyncServer server = start(b -> b.post("/fan", fanOut).get("/ok", OK));
    try (H2Wire h2 = H2Wire.connect(server.cleartextPort())) {
      h2.headers(1, H2Wire.request("POST", "/fan").setInt("content-length", 4), false);
      childrenWaiting.await();
      // more DATA than the declared length: a stream error (RFC 9113 8.1.1), found by the codec
      h2.data(1, new byte[8], false);
      H2Wire.Frame reset = h2.await(f -> f.type() == H2Wire.RST_STREAM && f.stream() == 1);
      assertThat(reset.errorCode()).isEqualTo((int) Http2Error.PROTOCOL_ERROR.code());
      assertCancelledAndFinalized("stream error");
      h2.headers(3, H2Wire.get("/ok"), true);
      assertThat(h2.response(3).status()).isEqualTo(200);
    }
  }

  @Test
  void http1DisconnectCancelsTheRequestRegionWithItsReason() throws Exception {
    AsupersyncServer server = start(b -> b.get("/fan", fanOut).get("/ok", OK));
    try (RawHttp1 c = RawHttp1.connect(server.cleartextPort())) {
      c.send("GET /fan HTTP/1.1\r\nHost: x\r\n\r\n");
      childrenWaiting.await();
    }
    assertCancelledAndFinalized("client disconnected");
    stillServes(server);
  }

  private void assertCancelledAndFinalized(String message) {
    await("children cancelled and finalizers run", () -> childReasons.size() == 3 && finalized.size() == 4);
    for (CancelReason reason : childReasons) {
      assertThat(reason.root().kind()).isEqualTo(CancelKind.RESOURCE_UNAVAILABLE);
      assertThat(reason.root().message()).isEqualTo(message);
    }
    assertThat(finalized).containsExactlyInAnyOrder("child 0", "child 1", "child 2", "request region");
    // children end before the region's finalizer runs
    assertThat(finalized.stream().toList().get(3)).isEqualTo("request region");
    await("access event with 499", () -> events(TraceKind.ACCESS).stream().anyMatch(e -> e.attributes().get("status").equals("499")));
    assertThat(events(TraceKind.ACCESS).get(0).attributes()).containsEntry("route", "/fan");
  }
}
