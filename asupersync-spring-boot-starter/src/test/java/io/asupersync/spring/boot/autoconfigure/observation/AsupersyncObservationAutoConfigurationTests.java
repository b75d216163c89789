package io.asupersync.spring.boot.autoconfigure.observation;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.spring.boot.observation.TraceCorrelation;
import io.asupersync.spring.boot.observation.TracerTraceCorrelation;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.tracing.autoconfigure.NoopTracerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class AsupersyncObservationAutoConfigurationTests {

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(AsupersyncObservationAutoConfiguration.class));

  @Test
  void correlationReadsTheCurrentSpanOfTheTracer() {
    SimpleTracer tracer = new SimpleTracer();
    contextRunner
        .withBean(Tracer.class, () -> tracer)
        .run(context -> {
          TraceCorrelation correlation = context.getBean(TraceCorrelation.class);
          assertThat(correlation).isInstanceOf(TracerTraceCorrelation.class);
          assertThat(correlation.current()).isEmpty();
          SimpleSpan span = tracer.nextSpan().name("work").start();
          try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
            assertThat(correlation.current())
                .containsEntry(TraceCorrelation.TRACE_ID, span.context().traceId())
                .containsEntry(TraceCorrelation.SPAN_ID, span.context().spanId());
          } finally {
            span.end();
          }
        });
  }

  @Test
  void noopTracerGivesNoIds() {
    contextRunner
        .withConfiguration(AutoConfigurations.of(NoopTracerAutoConfiguration.class))
        .run(context -> {
          Tracer tracer = context.getBean(Tracer.class);
          Tracer.SpanInScope scope = tracer.withSpan(tracer.nextSpan().start());
          assertThat(context.getBean(TraceCorrelation.class).current()).isEmpty();
          scope.close();
        });
  }

  @Test
  void correlationNeedsATracerBean() {
    contextRunner.run(context -> assertThat(context).doesNotHaveBean(TraceCorrelation.class));
  }

  @Test
  void correlationIsSkippedWithoutMicrometerTracing() {
    contextRunner
        .withBean(Object.class, Object::new)
        .withClassLoader(new FilteredClassLoader(Tracer.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(TraceCorrelation.class));
  }

  @Test
  void correlationBacksOffWhenTheUserDefinesOne() {
    TraceCorrelation own = TraceCorrelation.none();
    contextRunner
        .withBean(Tracer.class, SimpleTracer::new)
        .withBean(TraceCorrelation.class, () -> own)
        .run(context -> assertThat(context).getBean(TraceCorrelation.class).isSameAs(own));
  }
}
