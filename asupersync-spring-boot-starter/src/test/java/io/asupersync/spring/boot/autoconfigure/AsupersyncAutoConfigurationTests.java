package io.asupersync.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.LeakResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
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
  void runtimeIsCreatedFromPropertiesAndShutDownWithTheContext() {
    AtomicReference<io.asupersync.Runtime> created = new AtomicReference<>();
    contextRunner
        .withPropertyValues("asupersync.runtime.trace-capacity=32", "asupersync.runtime.leak-response=recover")
        .run(context -> {
          assertThat(context).hasSingleBean(io.asupersync.Runtime.class);
          io.asupersync.Runtime runtime = context.getBean(io.asupersync.Runtime.class);
          created.set(runtime);
          assertThat(runtime.trace().capacity()).isEqualTo(32);
          assertThat(runtime.run(cx -> cx.spawn(c -> 41).join(cx).orThrow() + 1).orThrow()).isEqualTo(42);
          assertThat(runtime.isShutdown()).isFalse();
          assertThat(context.getBean(AsupersyncProperties.class).runtime().leakResponse())
              .isEqualTo(LeakResponse.RECOVER);
        });
    assertThat(created.get().isShutdown()).isTrue();
  }

  @Test
  void runtimeBacksOffWhenTheUserDefinesOne() {
    io.asupersync.Runtime own = io.asupersync.Runtime.builder().build();
    contextRunner
        .withBean("myRuntime", io.asupersync.Runtime.class, () -> own)
        .run(context -> assertThat(context).getBean(io.asupersync.Runtime.class).isSameAs(own));
    own.close();
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
