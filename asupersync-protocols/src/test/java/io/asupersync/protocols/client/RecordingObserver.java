package io.asupersync.protocols.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An observer for the client tests: adds {@code traceparent} to every call, gives each call a trace
 * attribute, and keeps what it saw.
 */
public final class RecordingObserver implements ClientCallObserver {

  public static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  public final BlockingQueue<String> started = new LinkedBlockingQueue<>();
  public final BlockingQueue<CallOutcome> ended = new LinkedBlockingQueue<>();

  @Override
  public Call start(OutgoingCall call) {
    started.add(call.toString());
    call.header("traceparent", TRACEPARENT);
    return new Call() {
      @Override
      public Map<String, String> traceAttributes() {
        return Map.of("traceId", "0af7651916cd43dd8448eb211c80319c");
      }

      @Override
      public void end(CallOutcome outcome) {
        ended.add(outcome);
      }
    };
  }

  /** The next call's end; fails when none comes within a few seconds. */
  public CallOutcome nextEnd() throws InterruptedException {
    CallOutcome outcome = ended.poll(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
    assertThat(outcome).as("a call ended").isNotNull();
    return outcome;
  }
}
