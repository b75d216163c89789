package io.asupersync.spring.boot.autoconfigure.observation;

import io.asupersync.spring.boot.observation.TraceCorrelation;
import io.asupersync.spring.boot.observation.TracerTraceCorrelation;
import io.micrometer.tracing.Tracer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link TraceCorrelation} that stamps the current trace and span ids on the
 * trace events of request regions, when a Micrometer {@link Tracer} is present.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration",
      "org.springframework.boot.micrometer.tracing.autoconfigure.NoopTracerAutoConfiguration"
    })
@ConditionalOnClass(Tracer.class)
@ConditionalOnBean(Tracer.class)
public final class AsupersyncObservationAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  TraceCorrelation asupersyncTraceCorrelation(Tracer tracer) {
    return new TracerTraceCorrelation(tracer);
  }
}
