package io.asupersync.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.asupersync.protocols.http.client.HttpClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the HTTP/2 client's response side through its real connection pipeline (Netty's client frame
 * codec with our {@code Http2Limits}: HPACK limits, header list size, reset counters, control-frame
 * queue; the stream multiplexer; the client's stream handler, exchange and {@code ClientResponse}) over
 * {@link ClientHarness}: the client opens a connection with prior knowledge and sends a GET on stream
 * 1; the server answers with the input bytes as they are (its SETTINGS, then frames for stream 1, or
 * anything else) and closes; the caller reads the whole body.
 *
 * <p>Invariants, per input, as for {@link Http1ClientFuzzTests}: the call ends (within 10 s; 60 s on a retry, see {@link ClientHarness#call}) with a
 * response of status 100..599 and a body within the limit, or with {@link HttpClientException};
 * nothing else escapes (no Netty warning or leak); allocation within {@link
 * ClientHarness#allocationLimit}.
 *
 * <p>Without {@code JAZZER_FUZZ} this replays {@code Http2ClientFuzzTestsInputs/response} ({@link HttpSeeds}).
 */
class Http2ClientFuzzTests {

  private static ClientHarness harness;

  @BeforeAll
  static void start() {
    harness = new ClientHarness();
  }

  @AfterAll
  static void stop() {
    harness.close();
    NettyReports.collectAndAssertNoLeaks("the HTTP/2 client corpus");
  }

  @FuzzTest(maxDuration = "5m")
  void response(byte[] input) {
    ClientHarness.assertInvariants(harness.callWithinAllocationLimit(true, input), input.length, "an HTTP/2 response");
  }

  /** {@code status N body M}, or {@code error:REASON}. */
  static String call(byte[] input) {
    return harness.call(true, input);
  }
}
