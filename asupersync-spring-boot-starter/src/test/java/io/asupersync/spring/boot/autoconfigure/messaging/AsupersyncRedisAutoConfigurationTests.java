package io.asupersync.spring.boot.autoconfigure.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Runtime;
import io.asupersync.Outcome;
import io.asupersync.protocols.redis.RedisClient;
import io.asupersync.protocols.redis.RedisConnectionException;
import io.asupersync.protocols.redis.RespValue;
import io.asupersync.spring.boot.autoconfigure.AsupersyncAutoConfiguration;
import io.asupersync.spring.boot.autoconfigure.InvalidAsupersyncPropertyException;
import io.asupersync.testsupport.Ports;
import io.asupersync.testsupport.RedisServerProcess;
import io.asupersync.testsupport.TestCertificates;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleRegistry;
import org.springframework.boot.ssl.SslStoreBundle;
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
    contextRunner.withPropertyValues("asupersync.redis.host=127.0.0.1", "asupersync.redis.port=" + Ports.unused())
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(RedisClient.class));
  }

  @Test
  void backsOffWithoutTheRedisClasses() {
    contextRunner.withClassLoader(new FilteredClassLoader(RedisClient.class))
        .withPropertyValues("asupersync.redis.host=127.0.0.1")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RedisClient.class));
  }

  @Test
  void backsOffWithoutARuntime() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsupersyncRedisAutoConfiguration.class))
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
  void unknownSslBundleFailsStartupNamingTheProperty() {
    contextRunner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
        .withPropertyValues("asupersync.redis.url=rediss://127.0.0.1:6380", "asupersync.redis.ssl.bundle=missing")
        .run(context -> {
          assertThat(context).hasFailed();
          Throwable root = NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
          assertThat(root).isInstanceOf(InvalidAsupersyncPropertyException.class);
          assertThat(((InvalidAsupersyncPropertyException) root).property()).isEqualTo("asupersync.redis.ssl.bundle");
        });
  }

  @Test
  void sslBundleConnectsWithTlsToARealServerByHostOrRedissUrl() throws Exception {
    TestCertificates certificates = TestCertificates.forLocalhost();
    try (RedisServerProcess redis = RedisServerProcess.startTls(certificates, "--requirepass", "s3cret")) {
      ApplicationContextRunner withBundle = contextRunner
          .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
          .withPropertyValues(
              "spring.ssl.bundle.pem.redis.truststore.certificate=file:" + certificates.caPem(),
              "asupersync.redis.ssl.bundle=redis");
      withBundle.withPropertyValues("asupersync.redis.host=127.0.0.1", "asupersync.redis.port=" + redis.port(),
              "asupersync.redis.password=s3cret")
          .run(context -> assertThat(incr(context)).isEqualTo(1L));
      withBundle.withPropertyValues("asupersync.redis.url=rediss://:s3cret@127.0.0.1:" + redis.port() + "/0")
          .run(context -> assertThat(incr(context)).isEqualTo(2L));
    }
  }

  @Test
  void serverThatRequiresAClientCertificateAcceptsTheBundlesKeyAndRefusesATrustOnlyBundle() throws Exception {
    TestCertificates certificates = TestCertificates.forLocalhost();
    try (RedisServerProcess redis = RedisServerProcess.startMtls(certificates)) {
      ApplicationContextRunner trustOnly = contextRunner
          .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
          .withPropertyValues(
              "spring.ssl.bundle.pem.redis.truststore.certificate=file:" + certificates.caPem(),
              "asupersync.redis.ssl.bundle=redis",
              "asupersync.redis.url=rediss://127.0.0.1:" + redis.port());
      trustOnly.withPropertyValues(
              "spring.ssl.bundle.pem.redis.keystore.certificate=file:" + certificates.clientChainPem(),
              "spring.ssl.bundle.pem.redis.keystore.private-key=file:" + certificates.clientKeyPem())
          .run(context -> assertThat(incr(context)).isEqualTo(1L));
      trustOnly.run(context -> {
        Outcome<Long> outcome = context.getBean(Runtime.class)
            .run(cx -> context.getBean(RedisClient.class).incr(cx, "starter-tls-counter"));
        assertThat(outcome).isInstanceOfSatisfying(Outcome.Err.class,
            err -> assertThat(err.error()).isInstanceOf(RedisConnectionException.class)
                .rootCause().message().containsIgnoringCase("certificate_required"));
      });
    }
  }

  @Test
  void updatedBundleReachesTheClientsNextConnection() throws Exception {
    TestCertificates certificates = TestCertificates.forLocalhost();
    try (RedisServerProcess redis = RedisServerProcess.startTls(certificates)) {
      contextRunner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
          .withPropertyValues(
              "spring.ssl.bundle.pem.redis.truststore.certificate=file:" + TestCertificates.forLocalhost().caPem(),
              "asupersync.redis.ssl.bundle=redis",
              "asupersync.redis.url=rediss://127.0.0.1:" + redis.port())
          .run(context -> {
            Outcome<Long> before = context.getBean(Runtime.class)
                .run(cx -> context.getBean(RedisClient.class).incr(cx, "starter-tls-counter"));
            assertThat(before).isInstanceOf(Outcome.Err.class);

            context.getBean(SslBundleRegistry.class)
                .updateBundle("redis", SslBundle.of(SslStoreBundle.of(null, null, certificates.caTrustStore())));
            assertThat(incr(context)).isEqualTo(1L);
          });
    }
  }

  @Test
  void tlsWithoutABundleTrustsOnlyTheJdksCas() throws Exception {
    try (RedisServerProcess redis = RedisServerProcess.startTls(TestCertificates.forLocalhost())) {
      contextRunner.withPropertyValues("asupersync.redis.url=rediss://127.0.0.1:" + redis.port()).run(context -> {
        Outcome<Long> outcome = context.getBean(Runtime.class)
            .run(cx -> context.getBean(RedisClient.class).incr(cx, "never"));
        assertThat(outcome).isInstanceOfSatisfying(Outcome.Err.class,
            err -> assertThat(err.error()).isInstanceOf(RedisConnectionException.class));
      });
    }
  }

  private static long incr(org.springframework.context.ApplicationContext context) throws Exception {
    RedisClient client = context.getBean(RedisClient.class);
    return context.getBean(Runtime.class).run(cx -> client.incr(cx, "starter-tls-counter")).orThrow();
  }

  @Test
  void urlWithPasswordAndDatabaseReachesARealServer() throws Exception {
    try (RedisServerProcess redis = RedisServerProcess.start("--requirepass", "s3cret")) {
      contextRunner.withPropertyValues("asupersync.redis.url=redis://:s3cret@127.0.0.1:" + redis.port() + "/3")
          .run(context -> {
            RedisClient client = context.getBean(RedisClient.class);
            Runtime runtime = context.getBean(Runtime.class);
            assertThat(runtime.run(cx -> client.incr(cx, "starter-counter")).orThrow()).isEqualTo(1L);
            assertThat(runtime.run(cx -> ((RespValue.BulkString) client.command(cx, "CLIENT", "INFO")).utf8()).orThrow()).contains("db=3");
          });
    }
  }
}
