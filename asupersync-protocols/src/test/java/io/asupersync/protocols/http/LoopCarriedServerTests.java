package io.asupersync.protocols.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Runtime;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Request tasks carried by their connection's event loop (one loop here, so every connection shares it). */
class LoopCarriedServerTests extends ServerTestSupport {

  @Override
  Runtime.Builder runtimeBuilder() {
    return loopCarriedRuntime();
  }

  @Test
  void theHandlerRunsOnAVirtualThreadCarriedByTheServersEventLoop() throws Exception {
    CompletableFuture<String> handlerCarrier = new CompletableFuture<>();
    AsupersyncServer server =
        start(b -> b.get("/where", (cx, r) -> {
          // a virtual thread names its carrier while mounted: VirtualThread[#n,name]/runnable@carrier
          String self = Thread.currentThread().toString();
          handlerCarrier.complete(Thread.currentThread().isVirtual() ? self.substring(self.lastIndexOf('@') + 1) : "not virtual");
          return HttpResponse.ok("here");
        }));
    try (RawHttp1 c = RawHttp1.connect(server.cleartextPort())) {
      assertThat(c.get("/where").text()).isEqualTo("here");
    }
    String carrier = handlerCarrier.get(5, TimeUnit.SECONDS);
    assertThat(Thread.getAllStackTraces().keySet())
        .filteredOn(t -> t.getName().equals(carrier))
        .singleElement()
        .isInstanceOf(FastThreadLocalThread.class);
  }

  @Test
  void aBlockedHandlerLeavesItsEventLoopServingOtherConnections() throws Exception {
    CountDownLatch slowStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AsupersyncServer server =
        start(b -> b.get("/slow", (cx, r) -> {
          slowStarted.countDown();
          // a plain JDK wait: it unmounts the virtual thread, so the loop goes on
          release.await();
          return HttpResponse.ok("slow");
        }).get("/ok", OK));
    try (RawHttp1 slow = RawHttp1.connect(server.cleartextPort())) {
      slow.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(slowStarted.await(5, TimeUnit.SECONDS)).isTrue();
      stillServes(server);
      stillServesH2(server);
      release.countDown();
      RawHttp1.Response r = slow.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).isEqualTo("slow");
    }
  }

  @Test
  void aStreamingHandlerThatNeverWaitsYieldsItsEventLoopOverHttp2() throws Exception {
    firehoseYieldsTheLoop(
        server -> {
          H2Wire h2 = H2Wire.connect(server.cleartextPort());
          h2.headers(1, H2Wire.get("/firehose"), true);
          return h2;
        });
  }

  @Test
  void aStreamingHandlerThatNeverWaitsYieldsItsEventLoopOverHttp1() throws Exception {
    firehoseYieldsTheLoop(
        server -> {
          RawHttp1 c = RawHttp1.connect(server.cleartextPort());
          c.send("GET /firehose HTTP/1.1\r\nHost: x\r\n\r\n");
          return c;
        });
  }

  interface UnreadClient {
    AutoCloseable open(AsupersyncServer server) throws Exception;
  }

  /**
   * A handler that writes in a loop and waits on nothing but its sink, for a client that never reads,
   * holds the event loop that carries it until a write parks it: the sink must park it once it is a
   * bounded amount ahead of the wire (HTTP/2: chunks queued to the loop and the stream window;
   * HTTP/1.1: the channel's high-water mark). Unbounded, it would queue all of {@code limit} before the
   * loop could serve the other connection.
   */
  private void firehoseYieldsTheLoop(UnreadClient unreadClient) throws Exception {
    byte[] chunk = new byte[16 * 1024];
    long limit = 256L * 1024 * 1024;
    CountDownLatch writing = new CountDownLatch(1);
    AtomicLong written = new AtomicLong();
    AtomicLong writtenWhenOtherServed = new AtomicLong(-1);
    AsupersyncServer server =
        start(
            b ->
                b.get(
                        "/firehose",
                        (cx, r) ->
                            HttpResponse.status(200)
                                .streaming(
                                    (c, sink) -> {
                                      writing.countDown();
                                      while (written.get() < limit) {
                                        sink.write(c, chunk);
                                        written.addAndGet(chunk.length);
                                      }
                                    })
                                .build())
                    .get(
                        "/ok",
                        (cx, r) -> {
                          writtenWhenOtherServed.set(written.get());
                          return HttpResponse.ok("ok");
                        }));
    try (AutoCloseable unread = unreadClient.open(server)) {
      assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();
      stillServes(server);
      assertThat(writtenWhenOtherServed.get()).isLessThan(limit);
    }
  }
}
