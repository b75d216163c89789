package io.asupersync.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes HTTP/1.1 request parsing through the server's real pipeline (preface sniffer, byte guard,
 * Netty's {@code HttpServerCodec} with our decoder settings, the h2c upgrade handler, our connection
 * handler, and request dispatch to handlers on a runtime), over {@link ServerPipelineHarness}.
 *
 * <p>The first input byte picks the chunk size ({@code 1 + b % 64}; 0 sends everything at once); the
 * rest is what the client sends. Invariants, per input:
 *
 * <ul>
 *   <li>nothing escapes: Netty reports no exception at the pipeline's tail, no failed task, no leak;
 *   <li>every input buffer is released once the connection closed;
 *   <li>the answer is a sequence of HTTP/1.x responses whose statuses are a served response (200, 204,
 *       404, 405) or a declared rejection (400, 413, 414, 417, 431, 505), 100 Continue, or 101 for an
 *       h2c upgrade; never a 5xx other than 505 (a handler or the server failing);
 *   <li>when the server closes the connection, it has answered first (a 4xx for a rejection);
 *   <li>the event loop allocates at most {@link ServerPipelineHarness#allocationLimit} bytes (nothing sized by an announced
 *       length).
 * </ul>
 *
 * <p>Without {@code JAZZER_FUZZ} this replays the corpus in {@code
 * src/test/resources/io/asupersync/fuzz/Http1ServerFuzzTestsInputs/request} ({@link HttpSeeds}).
 */
class Http1ServerFuzzTests {

  private static final Pattern STATUS_LINE = Pattern.compile("(?m)^HTTP/1\\.[01] (\\d{3}) ");
  /** 503: a {@code request-timeout} header the input carries can spend the request's budget (request timed out). */
  private static final Set<Integer> ALLOWED = Set.of(100, 101, 200, 204, 400, 404, 405, 413, 414, 417, 431, 503, 505);
  /** The statuses with which the server refuses a request. */
  static final Set<Integer> REJECTIONS = Set.of(400, 413, 414, 417, 431, 505);
  private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private static ServerPipelineHarness harness;

  @BeforeAll
  static void start() {
    harness = ServerPipelineHarness.forTargets();
  }

  @AfterAll
  static void stop() {
    harness.close();
    NettyReports.collectAndAssertNoLeaks("the HTTP/1.1 server corpus");
  }

  @FuzzTest(maxDuration = "5m")
  void request(byte[] input) {
    int chunk = input.length == 0 || input[0] == 0 ? Integer.MAX_VALUE : 1 + (input[0] & 0xff) % 64;
    byte[] wire = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
    ServerPipelineHarness.Result r = harness.driveWithinAllocationLimit(wire, chunk);
    NettyReports.assertNone("an HTTP/1.1 request");
    assertThat(r.loopAllocatedBytes()).as("event loop allocation for %d bytes", wire.length).isLessThanOrEqualTo(ServerPipelineHarness.allocationLimit(wire.length, chunk));
    if (sniffedAsHttp2(wire)) {
      return; // the HTTP/2 target covers this side
    }
    String answer = new String(r.answer(), StandardCharsets.ISO_8859_1);
    if (!answer.isEmpty()) {
      assertThat(answer).as("answer").startsWith("HTTP/1.");
    }
    for (int status : statuses(answer)) {
      assertThat(ALLOWED).as("status %d in %s", status, abbreviate(answer)).contains(status);
    }
    if (r.closedByServer() && wire.length > 0) {
      assertThat(answer).as("the server answered before it closed").isNotEmpty();
    }
  }

  /** The statuses of the responses in {@code answer}, up to an h2c switch (HTTP/2 frames follow it). */
  static List<Integer> statuses(String answer) {
    List<Integer> statuses = new ArrayList<>();
    Matcher m = STATUS_LINE.matcher(answer);
    while (m.find()) {
      int status = Integer.parseInt(m.group(1));
      statuses.add(status);
      if (status == 101) {
        break;
      }
    }
    return statuses;
  }

  /** Whether the sniffer takes (or still waits to decide on) the HTTP/2 path for these bytes. */
  static boolean sniffedAsHttp2(byte[] wire) {
    int n = Math.min(wire.length, PREFACE.length);
    return wire.length > 0 && Arrays.equals(wire, 0, n, PREFACE, 0, n);
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}
