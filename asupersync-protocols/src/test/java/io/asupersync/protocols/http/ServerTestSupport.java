package io.asupersync.protocols.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Runtime;
import io.asupersync.protocols.EventLoopCarrier;
import io.asupersync.trace.TraceEvent;
import io.asupersync.trace.TraceKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;

/** Starts servers on ephemeral ports with a fresh runtime per test, and stops them after it. */
abstract class ServerTestSupport {

  final Runtime runtime = runtimeBuilder().traceCapacity(65_536).build();
  private final List<AsupersyncServer> servers = new ArrayList<>();

  /** The runtime the tests' servers run on; subclasses rerun the same tests on other task threads. */
  Runtime.Builder runtimeBuilder() {
    return Runtime.builder();
  }

  /**
   * A runtime whose request tasks are carried by their event loop. Fails where this JVM cannot do it
   * (the build opens java.lang to the tests): a silent fallback would rerun the default case.
   */
  static Runtime.Builder loopCarriedRuntime() {
    assertThat(EventLoopCarrier.isAvailable()).as("EventLoopCarrier available").isTrue();
    return Runtime.builder().threadFactory(EventLoopCarrier.threadFactory());
  }

  AsupersyncServer start(Consumer<AsupersyncServer.Builder> config) {
    AsupersyncServer.Builder b =
        AsupersyncServer.builder(runtime)
            .cleartextPort(0)
            .bindAddress(java.net.InetAddress.getLoopbackAddress())
            .ioThreads(1)
            .shutdownTimeout(Duration.ofSeconds(5));
    config.accept(b);
    AsupersyncServer server = b.start();
    servers.add(server);
    return server;
  }

  @AfterEach
  void stopServers() {
    for (AsupersyncServer s : servers) {
      s.close();
    }
    runtime.close();
  }

  /** Polls {@code condition} every few milliseconds for at most 5 s. */
  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  List<TraceEvent> events(TraceKind kind) {
    return runtime.trace().events(e -> e.kind() == kind, Integer.MAX_VALUE);
  }

  /** The server still serves a plain request on a new HTTP/1.1 connection. */
  static void stillServes(AsupersyncServer server) throws Exception {
    try (RawHttp1 c = RawHttp1.connect(server.cleartextPort())) {
      RawHttp1.Response r = c.get("/ok");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).isEqualTo("ok");
    }
  }

  /** The server still serves a plain request on a new HTTP/2 connection. */
  static void stillServesH2(AsupersyncServer server) throws Exception {
    try (H2Wire h2 = H2Wire.connect(server.cleartextPort())) {
      h2.headers(1, H2Wire.get("/ok"), true);
      H2Wire.Response r = h2.response(1);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).isEqualTo("ok");
    }
  }

  static final HttpHandler OK = (cx, request) -> HttpResponse.ok("ok");
}
