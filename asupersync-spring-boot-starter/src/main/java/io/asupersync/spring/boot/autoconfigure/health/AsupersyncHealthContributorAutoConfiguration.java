package io.asupersync.spring.boot.autoconfigure.health;

import io.asupersync.Runtime;
import io.asupersync.spring.boot.autoconfigure.AsupersyncAutoConfiguration;
import io.asupersync.spring.boot.health.AsupersyncHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code asupersync} health indicator ({@code management.health.asupersync.enabled}
 * turns it off).
 */
@AutoConfiguration(after = AsupersyncAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(Runtime.class)
@ConditionalOnEnabledHealthIndicator("asupersync")
@EnableConfigurationProperties(AsupersyncHealthProperties.class)
public final class AsupersyncHealthContributorAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(value = AsupersyncHealthIndicator.class, name = "asupersyncHealthIndicator")
  AsupersyncHealthIndicator asupersyncHealthIndicator(Runtime runtime, AsupersyncHealthProperties properties) {
    return new AsupersyncHealthIndicator(runtime, properties.leakThreshold());
  }
}
