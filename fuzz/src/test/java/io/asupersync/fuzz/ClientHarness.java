package io.asupersync.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Budget;
import io.asupersync.Outcome;
import io.asupersync.RegionPolicy;
import io.asupersync.Runtime;
import io.asupersync.protocols.http.Http1Limits;
import io.asupersync.protocols.http.Http2Limits;
import io.asupersync.protocols.http.client.InMemoryConnections;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * The client targets' harness: a runtime and {@link InMemoryConnections} (the client's real HTTP/1.1
 * and HTTP/2 connection pipelines over an in-VM channel to a server that answers with the input and
 * closes), reused across inputs. One call per input, on a task with a deadline.
 */
final class ClientHarness implements AutoCloseable {

  /** Small limits so that short inputs reach them; the body limit is {@code maxBodyBytes} of HTTP/1.1 for both. */
  static final Http1Limits H1 =
      new Http1Limits(256, 1024, 16, 4096, Duration.ofSeconds(10), Duration.ofSeconds(60), 1000, true);

  static final Http2Limits H2 =
      Http2Limits.defaults()
          .withMaxHeaderListBytes(4096)
          .withMaxConcurrentStreams(8)
          .withInitialWindowBytes(65_535)
          .withMaxHpackTableBytes(4096)
          .withMaxHpackStringBytes(4096)
          .withMaxBodyBytes(4096);

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private final Runtime runtime = Runtime.builder().build();
  private final InMemoryConnections connections = new InMemoryConnections(runtime, H1, H2);

  /** What one call made of a response, and what all threads allocated meanwhile. */
  record Result(String result, long allocatedBytes) {}

  /**
   * {@code status N body M}, or {@code error:REASON}; fails on any other outcome. A call past its 10 s
   * deadline goes once more with 60 s before it fails: a fuzzer niced to 19 on a busy machine can be
   * starved for seconds, while a call that hangs hangs again.
   */
  String call(boolean http2, byte[] response) {
    Outcome<String> outcome = call(http2, response, Duration.ofSeconds(10));
    if (outcome instanceof Outcome.Cancelled) {
      outcome = call(http2, response, Duration.ofSeconds(60));
    }
    assertThat(outcome).as("outcome of the call").isInstanceOf(Outcome.Ok.class);
    return ((Outcome.Ok<String>) outcome).value();
  }

  private Outcome<String> call(boolean http2, byte[] response, Duration deadline) {
    return runtime.run(cx -> cx.scope(RegionPolicy.FAIL_FAST, Budget.timeout(cx.now(), deadline),
        inner -> connections.get(inner, http2, response)).orThrow());
  }

  /** {@link #call}, once more when over {@link #allocationLimit}: the first pass over a path loads classes. */
  Result callWithinAllocationLimit(boolean http2, byte[] response) {
    long before = THREADS.getTotalThreadAllocatedBytes();
    String result = call(http2, response);
    long allocated = THREADS.getTotalThreadAllocatedBytes() - before;
    for (int pass = 1; pass < 3 && allocated > allocationLimit(response.length); pass++) {
      before = THREADS.getTotalThreadAllocatedBytes();
      call(http2, response);
      allocated = THREADS.getTotalThreadAllocatedBytes() - before;
    }
    return new Result(result, allocated);
  }

  /** Linear in the response plus a fixed cost per connection (client pipeline, codecs, runtime). */
  static long allocationLimit(int inputLength) {
    return 64L * inputLength + 8 * 1024 * 1024;
  }

  /** Checks the invariants both client targets share: a typed result, a bounded body, bounded allocation, no Netty report. */
  static void assertInvariants(Result r, int inputLength, String what) {
    assertThat(r.result()).as("result").matches("status [1-5]\\d\\d body \\d+|error:[A-Z_]+");
    if (r.result().startsWith("status")) {
      assertThat(Long.parseLong(r.result().substring(r.result().lastIndexOf(' ') + 1))).as("body length")
          .isLessThanOrEqualTo(H1.maxBodyBytes());
    }
    assertThat(r.allocatedBytes()).as("bytes allocated for a %d-byte response", inputLength)
        .isLessThanOrEqualTo(allocationLimit(inputLength));
    NettyReports.assertNone(what);
  }

  @Override
  public void close() {
    connections.close();
    runtime.close();
  }
}
