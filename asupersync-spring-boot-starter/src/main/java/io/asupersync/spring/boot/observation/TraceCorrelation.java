package io.asupersync.spring.boot.observation;

import java.util.Map;

/**
 * The ids of the trace the current thread is in, as trace event attributes ({@value #TRACE_ID} and
 * {@value #SPAN_ID}): request regions record them on their events so that {@code
 * /actuator/asupersynctrace?traceId=...} finds a request's events. Keeps the core runtime free of any
 * tracing library.
 */
@FunctionalInterface
public interface TraceCorrelation {

  /** Attribute naming the trace id. */
  String TRACE_ID = "traceId";

  /** Attribute naming the span id. */
  String SPAN_ID = "spanId";

  /** The ids of the current span, or an empty map when there is none. */
  Map<String, String> current();

  /** Correlation that never finds a trace (no tracer on the classpath or in the context). */
  static TraceCorrelation none() {
    return Map::of;
  }
}
