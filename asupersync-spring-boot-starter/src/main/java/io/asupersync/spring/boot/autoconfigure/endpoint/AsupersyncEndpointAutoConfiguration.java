package io.asupersync.spring.boot.autoconfigure.endpoint;

import io.asupersync.Runtime;
import io.asupersync.spring.boot.actuate.endpoint.AsupersyncEndpoint;
import io.asupersync.spring.boot.actuate.endpoint.AsupersyncTraceEndpoint;
import io.asupersync.spring.boot.autoconfigure.AsupersyncAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code asupersync} and {@code asupersynctrace} actuator endpoints, each
 * created when it is available (enabled and exposed).
 */
@AutoConfiguration(after = AsupersyncAutoConfiguration.class)
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnBean(Runtime.class)
public final class AsupersyncEndpointAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint
  AsupersyncEndpoint asupersyncEndpoint(Runtime runtime) {
    return new AsupersyncEndpoint(runtime);
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint
  AsupersyncTraceEndpoint asupersyncTraceEndpoint(Runtime runtime) {
    return new AsupersyncTraceEndpoint(runtime);
  }
}
