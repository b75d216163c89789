package io.asupersync.spring.boot.autoconfigure.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Runtime;
import io.asupersync.spring.boot.actuate.endpoint.AsupersyncEndpoint;
import io.asupersync.spring.boot.actuate.endpoint.AsupersyncTraceEndpoint;
import io.asupersync.spring.boot.autoconfigure.AsupersyncAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class AsupersyncEndpointAutoConfigurationTests {

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(AsupersyncAutoConfiguration.class, AsupersyncEndpointAutoConfiguration.class));

  @Test
  void endpointsAreCreatedWhenExposed() {
    contextRunner
        .withPropertyValues("management.endpoints.web.exposure.include=asupersync,asupersynctrace")
        .run(context -> assertThat(context)
            .hasSingleBean(AsupersyncEndpoint.class)
            .hasSingleBean(AsupersyncTraceEndpoint.class));
  }

  @Test
  void onlyTheExposedEndpointIsCreated() {
    contextRunner
        .withPropertyValues("management.endpoints.web.exposure.include=asupersynctrace")
        .run(context -> assertThat(context)
            .doesNotHaveBean(AsupersyncEndpoint.class)
            .hasSingleBean(AsupersyncTraceEndpoint.class));
  }

  @Test
  void endpointsAreNotCreatedWhenNotExposed() {
    contextRunner.run(context -> assertThat(context)
        .doesNotHaveBean(AsupersyncEndpoint.class)
        .doesNotHaveBean(AsupersyncTraceEndpoint.class));
  }

  @Test
  void endpointsAreNotCreatedWhenAccessIsNone() {
    contextRunner
        .withPropertyValues(
            "management.endpoints.web.exposure.include=*", "management.endpoint.asupersync.access=NONE")
        .run(context -> assertThat(context)
            .doesNotHaveBean(AsupersyncEndpoint.class)
            .hasSingleBean(AsupersyncTraceEndpoint.class));
  }

  @Test
  void endpointsBackOffWhenTheUserDefinesThem() {
    contextRunner
        .withPropertyValues("management.endpoints.web.exposure.include=*")
        .withBean("myEndpoint", AsupersyncEndpoint.class, () -> new AsupersyncEndpoint(Runtime.builder().build()))
        .run(context -> assertThat(context)
            .hasSingleBean(AsupersyncEndpoint.class)
            .hasBean("myEndpoint")
            .hasSingleBean(AsupersyncTraceEndpoint.class));
  }

  @Test
  void traceEndpointBacksOffWhenTheUserDefinesOne() {
    contextRunner
        .withPropertyValues("management.endpoints.web.exposure.include=*")
        .withBean("myTraceEndpoint", AsupersyncTraceEndpoint.class,
            () -> new AsupersyncTraceEndpoint(Runtime.builder().build()))
        .run(context -> assertThat(context)
            .hasSingleBean(AsupersyncTraceEndpoint.class)
            .hasBean("myTraceEndpoint")
            .hasSingleBean(AsupersyncEndpoint.class));
  }

  @Test
  void endpointsNeedARuntime() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsupersyncEndpointAutoConfiguration.class))
        .withPropertyValues("management.endpoints.web.exposure.include=*")
        .run(context -> assertThat(context).doesNotHaveBean(AsupersyncEndpoint.class));
  }

  @Test
  void endpointsAreNotCreatedWithoutTheActuatorAutoConfigureModule() {
    contextRunner
        .withPropertyValues("management.endpoints.web.exposure.include=*")
        .withClassLoader(new FilteredClassLoader(ConditionalOnAvailableEndpoint.class))
        .run(context -> assertThat(context)
            .hasNotFailed()
            .hasSingleBean(Runtime.class)
            .doesNotHaveBean(AsupersyncEndpoint.class)
            .doesNotHaveBean(AsupersyncTraceEndpoint.class));
  }
}
