package io.asupersync.fuzz.attack;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Runtime;
import io.asupersync.protocols.http.AsupersyncServer;
import io.asupersync.protocols.http.Http1Limits;
import io.asupersync.protocols.http.Http2Limits;
import io.asupersync.protocols.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A running server under attack: small limits so every attack reaches its limit quickly, a normal
 * client that must be served on its own connection during and after an attack, and the heap before
 * and after, measured after GC.
 */
final class Target implements AutoCloseable {

  static final Http1Limits H1 =
      new Http1Limits(512, 2048, 16, 8192, Duration.ofMillis(500), Duration.ofSeconds(30), 100, true);
  static final Http2Limits H2 =
      Http2Limits.defaults()
          .withMaxHeaderListBytes(4096)
          .withMaxConcurrentStreams(16)
          .withMaxHeaderFragmentBytes(8192)
          .withMaxContinuationFrames(16)
          .withContinuationTimeout(Duration.ofMillis(500))
          .withMaxResetsPerWindow(20)
          .withMaxEncoderResetsPerWindow(20)
          .withMaxPendingControlFrames(100)
          .withMaxHpackTableBytes(4096)
          .withMaxBodyBytes(8192);
  /** Heap growth an attack may leave behind (after GC): generous, far below what an unbounded buffer would hold. */
  static final long HEAP_BOUND = 48L * 1024 * 1024;

  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  final Runtime runtime;
  final AsupersyncServer server;
  private final long heapBefore;

  Target(UnaryOperator<AsupersyncServer.Builder> configure) {
    runtime = Runtime.builder().build();
    AsupersyncServer.Builder b =
        AsupersyncServer.builder(runtime)
            .bindAddress(InetAddress.getLoopbackAddress())
            .http1Limits(H1)
            .http2Limits(H2)
            .get("/", (cx, r) -> HttpResponse.ok("ok"))
            .post("/", (cx, r) -> HttpResponse.ok(Integer.toString(r.body().bytes(cx).length)));
    server = configure.apply(b).start();
    assertServed();
    heapBefore = usedHeapAfterGc();
  }

  Target() {
    this(b -> b.cleartextPort(0));
  }

  InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.cleartextPort());
  }

  /** Opens a raw connection to the cleartext port. */
  Socket connect() throws IOException {
    Socket s = new Socket();
    s.connect(address(), 5000);
    s.setSoTimeout(10_000);
    return s;
  }

  /** A normal client, on a connection of its own, gets its answer. */
  void assertServed() {
    try (Socket s = connect()) {
      s.getOutputStream().write("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(readAll(s)).as("a normal client's answer").startsWith("HTTP/1.1 200 OK").endsWith("ok");
    } catch (IOException e) {
      throw new AssertionError("a normal client could not be served", e);
    }
  }

  /** The heap did not grow by more than {@link #HEAP_BOUND} since the target started. */
  void assertHeapBounded() {
    long growth = usedHeapAfterGc() - heapBefore;
    assertThat(growth).as("heap growth after the attack (bytes, after GC)").isLessThan(HEAP_BOUND);
  }

  static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return MEMORY.getHeapMemoryUsage().getUsed();
  }

  /** Everything the peer sends until it closes (or 10 s of silence), as ISO-8859-1 text. */
  static String readAll(Socket s) throws IOException {
    return new String(readBytes(s), StandardCharsets.ISO_8859_1);
  }

  static byte[] readBytes(Socket s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InputStream in = s.getInputStream();
    byte[] buf = new byte[8192];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
      }
    } catch (SocketTimeoutException | java.net.SocketException e) {
      // silence, or a reset after the answer: what arrived is the answer
    }
    return out.toByteArray();
  }

  static void write(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  @Override
  public void close() {
    server.close();
    runtime.close();
  }
}
