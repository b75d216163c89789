package io.asupersync.protocols.client;

import java.util.Map;

/**
 * Sees every call a client makes ({@code HttpClient}, {@code GrpcClient}): told when the call starts,
 * where it may add request headers (a tracing {@code traceparent}), and how it ended. Installed with
 * the clients' {@code observer(...)} builder method. Keeps the protocols free of any metrics or tracing
 * library: the Spring Boot starter implements it with a Micrometer {@code Observation}.
 *
 * <p>{@link #start} runs on the calling task's thread before anything is sent, so a thread-bound
 * context there (the current span) is the call's parent. {@link Call#end} follows exactly once, on the
 * calling thread or a client I/O thread, before the caller sees the end; it must be quick and must not
 * block. An exception from {@code start} fails the call before it is sent; one from {@code end} is
 * dropped.
 */
@FunctionalInterface
public interface ClientCallObserver {

  /** A call begins; add headers through {@link OutgoingCall#header}. */
  Call start(OutgoingCall call);

  /** One observed call. */
  interface Call {

    /**
     * Attributes added to the call's {@code CLIENT_CALL} trace event (the trace and span ids of the
     * call's span, say); read once, when the call ends. Empty by default.
     */
    default Map<String, String> traceAttributes() {
      return Map.of();
    }

    /** The call ended (for HTTP: when the response status and headers arrived). */
    void end(CallOutcome outcome);
  }

  /** The observer that sees nothing; the clients' default. */
  static ClientCallObserver none() {
    return NoCall.OBSERVER;
  }
}
