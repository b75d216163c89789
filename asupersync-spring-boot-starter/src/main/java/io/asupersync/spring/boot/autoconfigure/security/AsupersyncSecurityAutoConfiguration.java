package io.asupersync.spring.boot.autoconfigure.security;

import io.asupersync.spring.boot.actuate.endpoint.AsupersyncEndpoint;
import io.asupersync.spring.boot.actuate.endpoint.AsupersyncTraceEndpoint;
import io.asupersync.spring.boot.autoconfigure.endpoint.AsupersyncEndpointAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.IncludeExcludeEndpointFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Security defaults of the starter. It defines no {@code SecurityFilterChain} (see {@code
 * AsupersyncEndpointSecurity} for guarding the endpoints in yours); when Spring Security is not on the
 * classpath and the Asupersync endpoints are exposed over HTTP, it logs one warning at startup.
 */
@AutoConfiguration(after = AsupersyncEndpointAutoConfiguration.class)
@ConditionalOnWebApplication
@ConditionalOnClass(IncludeExcludeEndpointFilter.class)
@ConditionalOnMissingClass("org.springframework.security.web.SecurityFilterChain")
public final class AsupersyncSecurityAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "asupersyncUnsecuredEndpointsWarning")
  UnsecuredEndpointsWarning asupersyncUnsecuredEndpointsWarning(
      Environment environment,
      ObjectProvider<AsupersyncEndpoint> endpoint,
      ObjectProvider<AsupersyncTraceEndpoint> traceEndpoint) {
    return new UnsecuredEndpointsWarning(
        environment, endpoint.getIfAvailable() != null, traceEndpoint.getIfAvailable() != null);
  }
}
