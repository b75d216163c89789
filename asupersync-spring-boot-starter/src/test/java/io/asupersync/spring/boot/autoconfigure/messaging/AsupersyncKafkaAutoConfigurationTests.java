package io.asupersync.spring.boot.autoconfigure.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.protocols.kafka.KafkaSender;
import io.asupersync.spring.boot.autoconfigure.AsupersyncAutoConfiguration;
import io.asupersync.spring.boot.autoconfigure.InvalidAsupersyncPropertyException;
import io.asupersync.testsupport.Ports;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;

class AsupersyncKafkaAutoConfigurationTests {

  private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(AsupersyncAutoConfiguration.class, AsupersyncKafkaAutoConfiguration.class))
      .withPropertyValues("asupersync.runtime.shutdown-timeout=2s");

  @Test
  void noSenderUntilBootstrapServersAreSet() {
    contextRunner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(KafkaSender.class));
  }

  @Test
  void bootstrapServersGiveASenderWithoutABrokerAtStartup() throws Exception {
    contextRunner.withPropertyValues("asupersync.kafka.bootstrap-servers=127.0.0.1:" + Ports.unused(),
            "asupersync.kafka.client-id=starter-test")
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(KafkaSender.class));
  }

  @Test
  void backsOffWithoutKafkaClients() {
    contextRunner.withClassLoader(new FilteredClassLoader("org.apache.kafka.clients.producer"))
        .withPropertyValues("asupersync.kafka.bootstrap-servers=127.0.0.1:9092")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(KafkaSender.class));
  }

  @Test
  void backsOffWithoutARuntime() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsupersyncKafkaAutoConfiguration.class))
        .withPropertyValues("asupersync.kafka.bootstrap-servers=127.0.0.1:9092")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(KafkaSender.class));
  }

  @Test
  void backsOffForTheApplicationsSender() {
    contextRunner.withPropertyValues("asupersync.kafka.bootstrap-servers=127.0.0.1:9092")
        .withBean("mine", KafkaSender.class, () -> {
          throw new AssertionError("never created: lazy");
        }, definition -> definition.setLazyInit(true))
        .run(context -> assertThat(context.getBeanNamesForType(KafkaSender.class)).containsExactly("mine"));
  }

  @Test
  void idempotenceOffFailsStartupNamingTheProperty() {
    contextRunner.withPropertyValues("asupersync.kafka.bootstrap-servers=127.0.0.1:9092", "asupersync.kafka.idempotence=false")
        .run(context -> {
          Throwable root = NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
          assertThat(root).isInstanceOf(InvalidAsupersyncPropertyException.class);
          assertThat(((InvalidAsupersyncPropertyException) root).property()).isEqualTo("asupersync.kafka.idempotence");
        });
  }
}
