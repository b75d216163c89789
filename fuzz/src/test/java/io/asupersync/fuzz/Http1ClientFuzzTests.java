package io.asupersync.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.asupersync.Budget;
import io.asupersync.Outcome;
import io.asupersync.RegionPolicy;
import io.asupersync.Runtime;
import io.asupersync.protocols.http.Http1Limits;
import io.asupersync.protocols.http.client.ClientRequest;
import io.asupersync.protocols.http.client.ClientResponse;
import io.asupersync.protocols.http.client.HttpClient;
import io.asupersync.protocols.http.client.HttpClientException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes HTTP/1.1 response parsing through the client's real pipeline: {@link HttpClient} connects
 * over loopback to a raw server that reads the request head, answers with the input bytes verbatim and
 * closes. Netty's {@code HttpClientCodec} with our limits and the client's connection handler parse
 * them; the caller reads the whole body.
 *
 * <p>Invariants, per input: the call ends (within 10 s) with a response whose status is 100..599 and
 * whose body is within {@code maxBodyBytes}, or with {@link HttpClientException}; nothing else escapes
 * (no other exception, no Netty warning or leak); and all threads together allocate at most {@link
 * #allocationLimit} bytes, so no allocation is sized by an announced length.
 *
 * <p>Without {@code JAZZER_FUZZ} this replays {@code Http1ClientFuzzTestsInputs/response} ({@link HttpSeeds}).
 */
class Http1ClientFuzzTests {

  static final Http1Limits LIMITS =
      new Http1Limits(256, 1024, 16, 4096, Duration.ofSeconds(10), Duration.ofSeconds(60), 1000, true);

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private static Runtime runtime;
  private static HttpClient client;
  private static ServerSocket server;
  private static Thread acceptor;
  private static volatile byte[] response = new byte[0];

  @BeforeAll
  static void start() throws Exception {
    runtime = Runtime.builder().build();
    client = HttpClient.builder(runtime).http1Limits(LIMITS).maxConnectionsPerOrigin(1).build();
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = Thread.ofPlatform().daemon().name("fuzz-raw-server").start(Http1ClientFuzzTests::serve);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    acceptor.join(5000);
    client.close();
    runtime.close();
    NettyReports.collectAndAssertNoLeaks("the HTTP/1.1 client corpus");
  }

  /** Each connection, on its own thread: read the request head, write the current input, close. */
  private static void serve() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        byte[] answer = response;
        Thread.ofVirtual().start(() -> answer(s, answer));
      } catch (IOException e) {
        // the server socket closed
      }
    }
  }

  private static void answer(Socket s, byte[] answer) {
    try (s) {
      InputStream in = s.getInputStream();
      int matched = 0;
      for (int b; matched < 4 && (b = in.read()) >= 0; ) {
        matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      OutputStream out = s.getOutputStream();
      out.write(answer);
      out.flush();
      s.shutdownOutput(); // the whole request head was read: closing now sends FIN, not a reset
    } catch (IOException e) {
      // the client gave up on the connection
    }
  }

  @FuzzTest(maxDuration = "5m")
  void response(byte[] input) {
    long before = THREADS.getTotalThreadAllocatedBytes();
    String result = call(input);
    long allocated = THREADS.getTotalThreadAllocatedBytes() - before;
    if (allocated > allocationLimit(input.length)) {
      before = THREADS.getTotalThreadAllocatedBytes(); // the first pass loads classes
      call(input);
      allocated = THREADS.getTotalThreadAllocatedBytes() - before;
    }
    assertThat(result).as("result").matches("status [1-5]\\d\\d body \\d+|error:[A-Z_]+");
    if (result.startsWith("status")) {
      assertThat(Long.parseLong(result.substring(result.lastIndexOf(' ') + 1))).as("body length").isLessThanOrEqualTo(LIMITS.maxBodyBytes());
    }
    assertThat(allocated).as("bytes allocated for a %d-byte response", input.length).isLessThanOrEqualTo(allocationLimit(input.length));
    NettyReports.assertNone("an HTTP/1.1 response");
  }

  /** {@code status N body M}, or {@code error:REASON}; fails on any other outcome. */
  static String call(byte[] input) {
    response = input;
    URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/");
    Outcome<String> outcome =
        runtime.run(cx -> cx.scope(RegionPolicy.FAIL_FAST, Budget.timeout(cx.now(), Duration.ofSeconds(10)), inner -> {
          try (ClientResponse r = client.send(inner, ClientRequest.get(uri))) {
            byte[] body = r.bytes(inner);
            return "status " + r.status() + " body " + body.length;
          } catch (HttpClientException e) {
            return "error:" + e.reason();
          }
        }).orThrow());
    assertThat(outcome).as("outcome of the call").isInstanceOf(Outcome.Ok.class);
    return ((Outcome.Ok<String>) outcome).value();
  }

  /** Linear in the response plus a fixed cost per connection (client pipeline, runtime, loopback socket). */
  static long allocationLimit(int inputLength) {
    return 64L * inputLength + 8 * 1024 * 1024;
  }
}
