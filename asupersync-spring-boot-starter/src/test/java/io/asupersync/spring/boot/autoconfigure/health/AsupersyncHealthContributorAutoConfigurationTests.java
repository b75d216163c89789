package io.asupersync.spring.boot.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Runtime;
import io.asupersync.spring.boot.autoconfigure.AsupersyncAutoConfiguration;
import io.asupersync.spring.boot.autoconfigure.InvalidAsupersyncPropertyException;
import io.asupersync.spring.boot.health.AsupersyncHealthIndicator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class AsupersyncHealthContributorAutoConfigurationTests {

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  AsupersyncAutoConfiguration.class, AsupersyncHealthContributorAutoConfiguration.class));

  @Test
  void healthIndicatorIsCreatedWithTheConfiguredThreshold() {
    contextRunner
        .withPropertyValues("asupersync.health.leak-threshold=3")
        .run(context -> {
          assertThat(context).hasSingleBean(AsupersyncHealthIndicator.class).hasBean("asupersyncHealthIndicator");
          Health health = context.getBean(AsupersyncHealthIndicator.class).health();
          assertThat(health.getDetails()).containsEntry("leakThreshold", 3L);
        });
  }

  @Test
  void healthIndicatorCanBeTurnedOff() {
    contextRunner
        .withPropertyValues("management.health.asupersync.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(AsupersyncHealthIndicator.class));
  }

  @Test
  void healthIndicatorBacksOffWhenTheUserDefinesOneWithItsName() {
    contextRunner
        .withBean("asupersyncHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
        .run(context -> assertThat(context).doesNotHaveBean(AsupersyncHealthIndicator.class));
  }

  @Test
  void healthIndicatorBacksOffWhenTheUserDefinesOneOfItsType() {
    contextRunner
        .withBean("ownHealth", AsupersyncHealthIndicator.class,
            () -> new AsupersyncHealthIndicator(Runtime.builder().build(), 0))
        .run(context -> assertThat(context).hasSingleBean(AsupersyncHealthIndicator.class).hasBean("ownHealth"));
  }

  @Test
  void healthIndicatorNeedsARuntime() {
    ApplicationContextRunner withoutStarterRuntime = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsupersyncHealthContributorAutoConfiguration.class));
    withoutStarterRuntime.run(context -> assertThat(context).hasNotFailed()
        .doesNotHaveBean(AsupersyncHealthIndicator.class));
    withoutStarterRuntime.withBean(Runtime.class, () -> Runtime.builder().build())
        .run(context -> assertThat(context).hasSingleBean(AsupersyncHealthIndicator.class));
  }

  @Test
  void healthIndicatorNeedsTheHealthModule() {
    contextRunner
        .withClassLoader(new FilteredClassLoader(HealthIndicator.class))
        .run(context -> assertThat(context)
            .hasNotFailed()
            .hasSingleBean(Runtime.class)
            .doesNotHaveBean(AsupersyncHealthIndicator.class));
  }

  @Test
  void negativeThresholdFailsStartup() {
    contextRunner
        .withPropertyValues("asupersync.health.leak-threshold=-1")
        .run(context -> assertThat(context).getFailure().rootCause()
            .isInstanceOf(InvalidAsupersyncPropertyException.class)
            .hasMessageContaining("asupersync.health.leak-threshold"));
  }
}
