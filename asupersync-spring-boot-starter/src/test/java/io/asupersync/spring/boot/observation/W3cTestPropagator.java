package io.asupersync.spring.boot.observation;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@code traceparent} in and out, enough for a test tracer (real bridges bring their own). */
public final class W3cTestPropagator implements Propagator {
  private final Tracer tracer;

  public W3cTestPropagator(Tracer tracer) {
    this.tracer = tracer;
  }

  @Override
  public List<String> fields() {
    return List.of("traceparent");
  }

  @Override
  public <C> void inject(TraceContext context, @Nullable C carrier, Setter<C> setter) {
    setter.set(carrier, "traceparent", "00-" + context.traceId() + "-" + context.spanId() + "-01");
  }

  @Override
  public <C> Span.Builder extract(C carrier, Getter<C> getter) {
    String traceparent = getter.get(carrier, "traceparent");
    if (traceparent == null) {
      return tracer.spanBuilder();
    }
    String[] parts = traceparent.split("-");
    return tracer.spanBuilder()
        .setParent(tracer.traceContextBuilder().traceId(parts[1]).spanId(parts[2]).sampled(true).build());
  }
}
