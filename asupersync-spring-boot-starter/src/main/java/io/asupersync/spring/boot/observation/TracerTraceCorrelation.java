package io.asupersync.spring.boot.observation;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.util.Map;

/** Reads the current span of a Micrometer {@link Tracer}; a no-op span (empty trace id) counts as none. */
public final class TracerTraceCorrelation implements TraceCorrelation {

  private final Tracer tracer;

  public TracerTraceCorrelation(Tracer tracer) {
    this.tracer = tracer;
  }

  @Override
  public Map<String, String> current() {
    Span span = tracer.currentSpan();
    if (span == null || span.isNoop() || span.context().traceId().isEmpty()) {
      return Map.of();
    }
    return Map.of(TRACE_ID, span.context().traceId(), SPAN_ID, span.context().spanId());
  }
}
