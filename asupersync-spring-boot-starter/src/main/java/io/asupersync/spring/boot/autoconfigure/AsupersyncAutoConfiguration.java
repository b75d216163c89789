package io.asupersync.spring.boot.autoconfigure;

import io.asupersync.Runtime;
import io.asupersync.protocols.EventLoopCarrier;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration for the Asupersync structured-concurrency runtime: one {@link Runtime} per
 * application context, shut down (bounded by {@code asupersync.runtime.shutdown-timeout}) when the
 * context closes. Binds and checks every {@code asupersync.*} section at startup, so a bad value fails
 * the application before anything runs.
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
@EnableConfigurationProperties({
  AsupersyncRuntimeProperties.class,
  AsupersyncServerProperties.class,
  AsupersyncGrpcProperties.class,
  AsupersyncWebSocketProperties.class,
  AsupersyncRedisProperties.class,
  AsupersyncNatsProperties.class,
  AsupersyncKafkaProperties.class
})
public final class AsupersyncAutoConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  Runtime asupersyncRuntime(AsupersyncRuntimeProperties properties) {
    Runtime.Builder builder =
        Runtime.builder()
            .leakResponse(properties.leakResponse())
            .traceCapacity(properties.traceCapacity())
            .traceLifecycle(properties.traceLifecycle())
            .shutdownTimeout(properties.shutdownTimeout());
    if (properties.leakEscalationThreshold() != null) {
      builder.leakEscalationThreshold(properties.leakEscalationThreshold());
    }
    if (properties.eventLoopCarrier()) {
      builder.threadFactory(EventLoopCarrier.threadFactory());
    }
    return builder.build();
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBean(SslBundles.class)
  static final class SslBundleNamesConfiguration {

    @Bean
    SslBundleNamesCheck asupersyncSslBundleNamesCheck(
        SslBundles sslBundles,
        AsupersyncServerProperties server,
        AsupersyncRedisProperties redis,
        AsupersyncNatsProperties nats,
        AsupersyncKafkaProperties kafka) {
      return new SslBundleNamesCheck(
          sslBundles,
          Map.of(
              "asupersync.server.ssl.bundle", Optional.ofNullable(server.ssl().bundle()),
              "asupersync.redis.ssl.bundle", Optional.ofNullable(redis.ssl().bundle()),
              "asupersync.nats.ssl.bundle", Optional.ofNullable(nats.ssl().bundle()),
              "asupersync.kafka.ssl.bundle", Optional.ofNullable(kafka.ssl().bundle())));
    }
  }
}
