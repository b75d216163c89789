package io.asupersync.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class AsupersyncAutoConfigurationTests {

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(AsupersyncAutoConfiguration.class));

  @Test
  void propertiesBindWithDefaultsWhenNothingIsSet() {
    contextRunner.run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(AsupersyncProperties.class);
      AsupersyncProperties.Runtime runtime = context.getBean(AsupersyncProperties.class).runtime();
      assertThat(runtime.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
      assertThat(runtime.traceCapacity()).isEqualTo(4096);
    });
  }

  @Test
  void propertiesBindOverridesInEveryNotation() {
    contextRunner
        .withPropertyValues("asupersync.runtime.shutdown-timeout=1500ms", "asupersync.runtime.traceCapacity=128")
        .run(context -> {
          AsupersyncProperties.Runtime runtime = context.getBean(AsupersyncProperties.class).runtime();
          assertThat(runtime.shutdownTimeout()).isEqualTo(Duration.ofMillis(1500));
          assertThat(runtime.traceCapacity()).isEqualTo(128);
        });
  }

  @Test
  void overridingOnePropertyKeepsTheOtherDefault() {
    contextRunner
        .withPropertyValues("asupersync.runtime.trace-capacity=16")
        .run(context -> {
          AsupersyncProperties.Runtime runtime = context.getBean(AsupersyncProperties.class).runtime();
          assertThat(runtime.traceCapacity()).isEqualTo(16);
          assertThat(runtime.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        });
  }

  @Test
  void invalidDurationFailsTheContext() {
    contextRunner
        .withPropertyValues("asupersync.runtime.shutdown-timeout=soon")
        .run(context -> assertThat(context).hasFailed());
  }

  @Test
  void autoConfigurationIsRegisteredInTheImportsFile() {
    assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()))
        .contains(AsupersyncAutoConfiguration.class.getName());
  }
}
