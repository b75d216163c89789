package io.asupersync.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.asupersync.protocols.http.client.HttpClient;
import io.asupersync.protocols.http.client.HttpClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes HTTP/1.1 response parsing through the client's real connection pipeline (Netty's {@code
 * HttpClientCodec} with our limits, the client's connection handler, the exchange and {@code
 * ClientResponse}) over {@link ClientHarness}: the server answers the client's GET with the input bytes
 * verbatim and closes; the caller reads the whole body.
 *
 * <p>Invariants, per input: the call ends (within 10 s; 60 s on a retry, see {@link ClientHarness#call}) with a response whose status is 100..599 and
 * whose body is within {@code maxBodyBytes}, or with {@link HttpClientException}; nothing else escapes
 * (no other exception, no Netty warning or leak); and all threads together allocate at most {@link
 * ClientHarness#allocationLimit} bytes, so no allocation is sized by an announced length. What {@link
 * HttpClient#send} adds around this (pool, TCP connect) parses nothing.
 *
 * <p>Without {@code JAZZER_FUZZ} this replays {@code Http1ClientFuzzTestsInputs/response} ({@link HttpSeeds}).
 */
class Http1ClientFuzzTests {

  private static ClientHarness harness;

  @BeforeAll
  static void start() {
    harness = new ClientHarness();
  }

  @AfterAll
  static void stop() {
    harness.close();
    NettyReports.collectAndAssertNoLeaks("the HTTP/1.1 client corpus");
  }

  @FuzzTest(maxDuration = "5m")
  void response(byte[] input) {
    ClientHarness.assertInvariants(harness.callWithinAllocationLimit(false, input), input.length, "an HTTP/1.1 response");
  }

  /** {@code status N body M}, or {@code error:REASON}. */
  static String call(byte[] input) {
    return harness.call(false, input);
  }
}
