package io.asupersync.spring.boot.autoconfigure.web;

import io.asupersync.Runtime;
import io.asupersync.spring.boot.autoconfigure.AsupersyncAutoConfiguration;
import io.asupersync.spring.boot.autoconfigure.AsupersyncRuntimeProperties;
import io.asupersync.spring.boot.observation.TraceCorrelation;
import io.asupersync.spring.boot.webmvc.CxArgumentResolver;
import io.asupersync.spring.boot.webmvc.CxHandlerAdapter;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Auto-configuration of the Spring MVC integration: a handler method may take a {@code Cx} parameter and
 * then runs in its own request region, budgeted by {@code asupersync.web.request-budget}.
 */
@AutoConfiguration(
    after = AsupersyncAutoConfiguration.class,
    afterName = "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({DispatcherServlet.class, RequestMappingHandlerAdapter.class})
@ConditionalOnBean(Runtime.class)
@EnableConfigurationProperties(AsupersyncWebProperties.class)
public final class AsupersyncWebMvcAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  CxHandlerAdapter asupersyncCxHandlerAdapter(
      Runtime runtime,
      RequestMappingHandlerAdapter requestMappingHandlerAdapter,
      AsupersyncWebProperties web,
      AsupersyncRuntimeProperties runtimeProperties,
      ObjectProvider<ObservationRegistry> observations,
      ObjectProvider<TraceCorrelation> correlation) {
    return new CxHandlerAdapter(
        runtime,
        requestMappingHandlerAdapter,
        web.requestBudget() != null ? web.requestBudget() : runtimeProperties.defaultRequestBudget(),
        observations.getIfAvailable(() -> ObservationRegistry.NOOP),
        correlation.getIfAvailable(TraceCorrelation::none));
  }

  @Bean
  @ConditionalOnMissingBean(name = "asupersyncCxArgumentResolverConfigurer")
  WebMvcConfigurer asupersyncCxArgumentResolverConfigurer() {
    return new WebMvcConfigurer() {
      @Override
      public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new CxArgumentResolver());
      }
    };
  }
}
