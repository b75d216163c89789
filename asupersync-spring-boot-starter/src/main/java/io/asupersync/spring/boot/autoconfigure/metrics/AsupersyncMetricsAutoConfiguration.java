package io.asupersync.spring.boot.autoconfigure.metrics;

import io.asupersync.Runtime;
import io.asupersync.spring.boot.autoconfigure.AsupersyncAutoConfiguration;
import io.asupersync.spring.boot.metrics.AsupersyncMetrics;
import io.asupersync.spring.boot.metrics.RejectionCounts;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the Asupersync meters: the runtime's counters and every {@link RejectionCounts}
 * bean, bound to the application's meter registry.
 */
@AutoConfiguration(
    after = AsupersyncAutoConfiguration.class,
    afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({MeterRegistry.class, Runtime.class})
public final class AsupersyncMetricsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  AsupersyncMetrics asupersyncMetrics(Runtime runtime, ObjectProvider<RejectionCounts> rejections) {
    return new AsupersyncMetrics(runtime, rejections.orderedStream().toList());
  }
}
