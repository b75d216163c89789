package io.asupersync.spring.boot.autoconfigure.client;

import io.asupersync.Runtime;
import io.asupersync.protocols.client.ClientCallObserver;
import io.asupersync.protocols.http.client.HttpClient;
import io.asupersync.spring.boot.autoconfigure.AsupersyncAutoConfiguration;
import io.asupersync.spring.boot.client.GrpcClientBuilders;
import io.asupersync.spring.boot.observation.ObservationClientCallObserver;
import io.asupersync.spring.boot.observation.TraceCorrelation;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

/**
 * Auto-configuration of the Asupersync clients, the way Boot hands out {@code RestClient.Builder}: a
 * prototype {@link HttpClient.Builder} bean and a {@link GrpcClientBuilders} bean, both applying the
 * context's {@link ClientCallObserver}. With Micrometer Observation (an {@link ObservationRegistry}
 * bean), that observer is an {@link ObservationClientCallObserver}: one observation per call, and with
 * a tracing bridge a client span whose {@code traceparent} is sent. Each bean backs off when the
 * application defines one of its type.
 */
@AutoConfiguration(
    after = AsupersyncAutoConfiguration.class,
    afterName = {
      "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
      "io.asupersync.spring.boot.autoconfigure.observation.AsupersyncObservationAutoConfiguration"
    })
@ConditionalOnClass(HttpClient.class)
@ConditionalOnBean(Runtime.class)
public final class AsupersyncClientAutoConfiguration {

  @Bean
  @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
  @ConditionalOnMissingBean
  HttpClient.Builder asupersyncHttpClientBuilder(Runtime runtime, ObjectProvider<ClientCallObserver> observer) {
    return HttpClient.builder(runtime).observer(observer.getIfUnique(ClientCallObserver::none));
  }

  @Bean
  @ConditionalOnMissingBean
  GrpcClientBuilders asupersyncGrpcClientBuilders(Runtime runtime, ObjectProvider<ClientCallObserver> observer) {
    return new GrpcClientBuilders(runtime.trace(), observer.getIfUnique(ClientCallObserver::none));
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(ObservationRegistry.class)
  @ConditionalOnBean(ObservationRegistry.class)
  static final class ObservationConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ClientCallObserver asupersyncClientCallObserver(
        ObservationRegistry registry, ObjectProvider<TraceCorrelation> correlation) {
      return new ObservationClientCallObserver(registry, correlation.getIfAvailable(TraceCorrelation::none));
    }
  }
}
