package io.asupersync.spring.boot.autoconfigure.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Runtime;
import io.asupersync.protocols.redis.RedisClient;
import io.asupersync.protocols.redis.RespValue;
import io.asupersync.spring.boot.autoconfigure.AsupersyncAutoConfiguration;
import io.asupersync.spring.boot.autoconfigure.InvalidAsupersyncPropertyException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;

class AsupersyncRedisAutoConfigurationTests {

  private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(AsupersyncAutoConfiguration.class, AsupersyncRedisAutoConfiguration.class))
      .withPropertyValues("asupersync.runtime.shutdown-timeout=2s");

  @Test
  void noClientUntilAUrlOrHostIsSet() {
    contextRunner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RedisClient.class));
  }

  @Test
  void hostAloneGivesAClientWithoutConnectingAtStartup() throws Exception {
    contextRunner.withPropertyValues("asupersync.redis.host=127.0.0.1", "asupersync.redis.port=" + ServerProcess.freePort())
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(RedisClient.class));
  }

  @Test
  void backsOffWithoutTheRedisClasses() {
    contextRunner.withClassLoader(new FilteredClassLoader(RedisClient.class))
        .withPropertyValues("asupersync.redis.host=127.0.0.1")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RedisClient.class));
  }

  @Test
  void backsOffForTheApplicationsClient() {
    contextRunner.withPropertyValues("asupersync.redis.host=127.0.0.1")
        .withBean("mine", RedisClient.class, () -> {
          throw new AssertionError("never created: lazy");
        }, definition -> definition.setLazyInit(true))
        .run(context -> assertThat(context.getBeanNamesForType(RedisClient.class)).containsExactly("mine"));
  }

  @Test
  void tlsUrlFailsStartupNamingTheProperty() {
    contextRunner.withPropertyValues("asupersync.redis.url=rediss://127.0.0.1:6380").run(context -> {
      assertThat(context).hasFailed();
      Throwable root = NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
      assertThat(root).isInstanceOf(InvalidAsupersyncPropertyException.class);
      assertThat(((InvalidAsupersyncPropertyException) root).property()).isEqualTo("asupersync.redis.url");
    });
  }

  @Test
  void urlWithPasswordAndDatabaseReachesARealServer() throws Exception {
    try (ServerProcess redis = ServerProcess.start(
        "redis-server", "--port", "{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--requirepass", "s3cret")) {
      contextRunner.withPropertyValues("asupersync.redis.url=redis://:s3cret@127.0.0.1:" + redis.port + "/3")
          .run(context -> {
            RedisClient client = context.getBean(RedisClient.class);
            Runtime runtime = context.getBean(Runtime.class);
            assertThat(runtime.run(cx -> client.incr(cx, "starter-counter")).orThrow()).isEqualTo(1L);
            assertThat(runtime.run(cx -> ((RespValue.BulkString) client.command(cx, "CLIENT", "INFO")).utf8()).orThrow()).contains("db=3");
          });
    }
  }
}
