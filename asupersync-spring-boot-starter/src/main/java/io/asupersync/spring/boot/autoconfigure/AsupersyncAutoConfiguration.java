package io.asupersync.spring.boot.autoconfigure;

import io.asupersync.Runtime;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for the Asupersync structured-concurrency runtime: one {@link Runtime} per
 * application context, shut down (bounded by {@code asupersync.runtime.shutdown-timeout}) when the
 * context closes.
 */
@AutoConfiguration
@EnableConfigurationProperties(AsupersyncProperties.class)
public final class AsupersyncAutoConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  Runtime asupersyncRuntime(AsupersyncProperties properties) {
    AsupersyncProperties.Runtime settings = properties.runtime();
    return Runtime.builder()
        .shutdownTimeout(settings.shutdownTimeout())
        .traceCapacity(settings.traceCapacity())
        .leakResponse(settings.leakResponse())
        .build();
  }
}
