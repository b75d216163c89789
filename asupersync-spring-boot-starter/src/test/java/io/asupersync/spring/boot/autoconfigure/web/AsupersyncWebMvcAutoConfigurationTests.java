package io.asupersync.spring.boot.autoconfigure.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Runtime;
import io.asupersync.spring.boot.autoconfigure.AsupersyncAutoConfiguration;
import io.asupersync.spring.boot.autoconfigure.InvalidAsupersyncPropertyException;
import io.asupersync.spring.boot.autoconfigure.observation.AsupersyncObservationAutoConfiguration;
import io.asupersync.spring.boot.observation.TraceCorrelation;
import io.asupersync.spring.boot.webmvc.CxHandlerAdapter;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

class AsupersyncWebMvcAutoConfigurationTests {

  private final WebApplicationContextRunner contextRunner =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  HttpMessageConvertersAutoConfiguration.class,
                  WebMvcAutoConfiguration.class,
                  AsupersyncAutoConfiguration.class,
                  AsupersyncWebMvcAutoConfiguration.class));

  @Test
  void cxHandlerAdapterIsOrderedAheadOfSpringsAdapterAndUsesTheRuntimeBudget() {
    contextRunner.run(context -> {
      assertThat(context).hasSingleBean(CxHandlerAdapter.class);
      CxHandlerAdapter adapter = context.getBean(CxHandlerAdapter.class);
      assertThat(adapter.getOrder()).isLessThan(context.getBean(RequestMappingHandlerAdapter.class).getOrder());
      assertThat(ReflectionTestUtils.getField(adapter, "requestBudget")).isEqualTo(Duration.ofSeconds(30));
      assertThat(ReflectionTestUtils.getField(adapter, "observations")).isSameAs(ObservationRegistry.NOOP);
      assertThat(ReflectionTestUtils.getField(adapter, "correlation")).isInstanceOf(TraceCorrelation.class);
    });
  }

  @Test
  void webRequestBudgetOverridesTheRuntimeDefault() {
    contextRunner
        .withPropertyValues("asupersync.runtime.default-request-budget=20s", "asupersync.web.request-budget=750ms")
        .run(context -> assertThat(ReflectionTestUtils.getField(context.getBean(CxHandlerAdapter.class), "requestBudget"))
            .isEqualTo(Duration.ofMillis(750)));
  }

  @Test
  void observationRegistryAndCorrelationBeansAreUsed() {
    ObservationRegistry registry = ObservationRegistry.create();
    TraceCorrelation correlation = () -> java.util.Map.of("traceId", "t");
    contextRunner
        .withBean(ObservationRegistry.class, () -> registry)
        .withBean(TraceCorrelation.class, () -> correlation)
        .run(context -> {
          CxHandlerAdapter adapter = context.getBean(CxHandlerAdapter.class);
          assertThat(ReflectionTestUtils.getField(adapter, "observations")).isSameAs(registry);
          assertThat(ReflectionTestUtils.getField(adapter, "correlation")).isSameAs(correlation);
        });
  }

  @Test
  void worksWithoutMicrometerTracing() {
    contextRunner
        .withConfiguration(AutoConfigurations.of(AsupersyncObservationAutoConfiguration.class))
        .withClassLoader(new FilteredClassLoader(Tracer.class))
        .run(context -> {
          assertThat(context).hasNotFailed().doesNotHaveBean(TraceCorrelation.class);
          assertThat(ReflectionTestUtils.getField(context.getBean(CxHandlerAdapter.class), "correlation"))
              .isInstanceOfSatisfying(TraceCorrelation.class, c -> assertThat(c.current()).isEmpty());
        });
  }

  @Test
  void adapterBacksOffWhenTheUserDefinesOne() {
    contextRunner
        .withBean("myAdapter", CxHandlerAdapter.class, () -> new CxHandlerAdapter(
            Runtime.builder().build(), new RequestMappingHandlerAdapter(), Duration.ofSeconds(1),
            ObservationRegistry.NOOP, TraceCorrelation.none()))
        .run(context -> assertThat(context).hasSingleBean(CxHandlerAdapter.class).hasBean("myAdapter"));
  }

  @Test
  void argumentResolverConfigurerBacksOffWhenTheUserDefinesOneWithItsName() {
    WebMvcConfigurer own = new WebMvcConfigurer() {};
    contextRunner.run(context -> assertThat(context).hasBean("asupersyncCxArgumentResolverConfigurer"));
    contextRunner
        .withBean("asupersyncCxArgumentResolverConfigurer", WebMvcConfigurer.class, () -> own)
        .run(context -> assertThat(context).hasNotFailed()
            .getBean("asupersyncCxArgumentResolverConfigurer").isSameAs(own));
  }

  @Test
  void nothingIsConfiguredWithoutARuntime() {
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(
            HttpMessageConvertersAutoConfiguration.class,
            WebMvcAutoConfiguration.class,
            AsupersyncWebMvcAutoConfiguration.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(CxHandlerAdapter.class)
            .doesNotHaveBean("asupersyncCxArgumentResolverConfigurer"));
  }

  @Test
  void nothingIsConfiguredOutsideAServletApplication() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsupersyncAutoConfiguration.class, AsupersyncWebMvcAutoConfiguration.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(CxHandlerAdapter.class));
  }

  @Test
  void nothingIsConfiguredWithoutSpringMvc() {
    contextRunner
        .withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
        .run(context -> assertThat(context).doesNotHaveBean(CxHandlerAdapter.class));
  }

  @Test
  void nonPositiveBudgetFailsStartup() {
    contextRunner
        .withPropertyValues("asupersync.web.request-budget=0s")
        .run(context -> assertThat(context).getFailure().rootCause()
            .isInstanceOf(InvalidAsupersyncPropertyException.class)
            .hasMessageContaining("asupersync.web.request-budget"));
  }
}
