package io.asupersync.spring.boot.autoconfigure.messaging;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Runtime;
import io.asupersync.protocols.nats.NatsClient;
import io.asupersync.protocols.nats.NatsMessage;
import io.asupersync.protocols.nats.NatsSubscription;
import io.asupersync.spring.boot.autoconfigure.AsupersyncAutoConfiguration;
import io.asupersync.spring.boot.autoconfigure.InvalidAsupersyncPropertyException;
import io.asupersync.testsupport.NatsServerProcess;
import io.asupersync.testsupport.Ports;
import io.asupersync.testsupport.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.core.NestedExceptionUtils;

class AsupersyncNatsAutoConfigurationTests {

  private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(AsupersyncAutoConfiguration.class, AsupersyncNatsAutoConfiguration.class))
      .withPropertyValues("asupersync.runtime.shutdown-timeout=2s");

  @Test
  void noClientUntilServersAreSet() {
    contextRunner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(NatsClient.class));
  }

  @Test
  void backsOffWithoutTheNatsClasses() {
    contextRunner.withClassLoader(new FilteredClassLoader(NatsClient.class))
        .withPropertyValues("asupersync.nats.servers=nats://127.0.0.1:4222")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(NatsClient.class));
  }

  @Test
  void backsOffWithoutARuntime() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsupersyncNatsAutoConfiguration.class))
        .withPropertyValues("asupersync.nats.servers=nats://127.0.0.1:4222")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(NatsClient.class));
  }

  @Test
  void backsOffForTheApplicationsClient() {
    contextRunner.withPropertyValues("asupersync.nats.servers[0]=nats://127.0.0.1:4222")
        .withBean("mine", NatsClient.class, () -> {
          throw new AssertionError("never created: lazy");
        }, definition -> definition.setLazyInit(true))
        .run(context -> assertThat(context.getBeanNamesForType(NatsClient.class)).containsExactly("mine"));
  }

  @Test
  void unreachableServersFailStartupNamingTheProperty() throws Exception {
    int closed = Ports.unused();
    contextRunner.withPropertyValues("asupersync.nats.servers=nats://127.0.0.1:" + closed, "asupersync.nats.connect-timeout=2s")
        .run(context -> {
          assertThat(context).hasFailed();
          Throwable root = NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
          assertThat(root).isInstanceOf(InvalidAsupersyncPropertyException.class);
          InvalidAsupersyncPropertyException invalid = (InvalidAsupersyncPropertyException) root;
          assertThat(invalid.property()).isEqualTo("asupersync.nats.servers");
          assertThat(invalid.action()).contains("nats-server");
        });
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void unreachableServersWithFailFastOffStartWithoutAClientAndOneWarning(CapturedOutput output) {
    String servers = "nats://127.0.0.1:" + Ports.unused();
    contextRunner.withPropertyValues("asupersync.nats.servers=" + servers, "asupersync.nats.fail-fast=false")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBeanProvider(NatsClient.class).getIfAvailable()).isNull();
          assertThat(output.getOut().lines().filter(line -> line.contains("Starting without a NatsClient")))
              .singleElement(as(InstanceOfAssertFactories.STRING))
              .contains("WARN", servers, "CONNECT_FAILED", "nats-server");
        });
  }

  @Test
  void connectedClientPublishesToARealServerAndIsClosedWithTheContext() throws Exception {
    try (NatsServerProcess nats = NatsServerProcess.start()) {
      AtomicReference<NatsClient> client = new AtomicReference<>();
      contextRunner.withPropertyValues("asupersync.nats.servers=" + nats.url()).run(context -> {
        client.set(context.getBean(NatsClient.class));
        Runtime runtime = context.getBean(Runtime.class);
        NatsMessage received = runtime.run(cx -> {
          NatsSubscription subscription = client.get().subscribe(cx, "starter.test");
          client.get().publish(cx, "starter.test", "hi".getBytes(StandardCharsets.UTF_8));
          return subscription.next(cx, Duration.ofSeconds(10));
        }).orThrow();
        assertThat(new String(received.data(), StandardCharsets.UTF_8)).isEqualTo("hi");
      });
      assertThat(client.get().isConnected()).isFalse();
    }
  }

  @Test
  void sslBundleConnectsWithTlsToAServerThatRequiresIt() throws Exception {
    TestCertificates certificates = TestCertificates.forLocalhost();
    try (NatsServerProcess nats = NatsServerProcess.startTls(certificates, "")) {
      contextRunner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
          .withPropertyValues(
              "spring.ssl.bundle.pem.nats.truststore.certificate=file:" + certificates.caPem(),
              "asupersync.nats.ssl.bundle=nats",
              "asupersync.nats.servers=tls://127.0.0.1:" + nats.port())
          .run(context -> assertThat(roundTrip(context, "starter.tls", "secret")).isEqualTo("secret"));
    }
  }

  @Test
  void serverThatRequiresAClientCertificateAcceptsTheBundlesKeyAndRefusesATrustOnlyBundle() throws Exception {
    TestCertificates certificates = TestCertificates.forLocalhost();
    try (NatsServerProcess nats = NatsServerProcess.startMtls(certificates, "")) {
      ApplicationContextRunner trustOnly = contextRunner
          .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
          .withPropertyValues(
              "spring.ssl.bundle.pem.nats.truststore.certificate=file:" + certificates.caPem(),
              "asupersync.nats.ssl.bundle=nats",
              "asupersync.nats.servers=tls://127.0.0.1:" + nats.port());
      trustOnly.withPropertyValues(
              "spring.ssl.bundle.pem.nats.keystore.certificate=file:" + certificates.clientChainPem(),
              "spring.ssl.bundle.pem.nats.keystore.private-key=file:" + certificates.clientKeyPem())
          .run(context -> assertThat(roundTrip(context, "starter.mtls", "mutual")).isEqualTo("mutual"));
      trustOnly.run(context -> {
        assertThat(context).hasFailed();
        Throwable root = NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
        assertThat(root).isInstanceOfSatisfying(InvalidAsupersyncPropertyException.class, invalid -> {
          assertThat(invalid.property()).isEqualTo("asupersync.nats.servers");
          assertThat(invalid.getMessage()).contains("CONNECT_FAILED");
          assertThat(invalid.getMessage().toLowerCase(Locale.ROOT)).containsAnyOf("certificate_required", "bad_certificate");
          assertThat(invalid.action()).contains("client certificate");
        });
      });
    }
  }

  @Test
  void serverThatRequiresTlsFailsAPlaintextStartupWithAHint() throws Exception {
    try (NatsServerProcess nats = NatsServerProcess.startTls(TestCertificates.forLocalhost(), "")) {
      contextRunner.withPropertyValues("asupersync.nats.servers=" + nats.url()).run(context -> {
        assertThat(context).hasFailed();
        Throwable root = NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
        assertThat(root).isInstanceOfSatisfying(InvalidAsupersyncPropertyException.class,
            invalid -> assertThat(invalid.action()).contains("asupersync.nats.ssl.bundle"));
      });
    }
  }

  @Test
  void tlsWithoutABundleTrustsOnlyTheJdksCas() throws Exception {
    try (NatsServerProcess nats = NatsServerProcess.startTls(TestCertificates.forLocalhost(), "")) {
      contextRunner.withPropertyValues("asupersync.nats.servers=" + nats.url(), "asupersync.nats.ssl.enabled=true")
          .run(context -> {
            assertThat(context).hasFailed();
            Throwable root = NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
            assertThat(root).isInstanceOfSatisfying(InvalidAsupersyncPropertyException.class,
                invalid -> assertThat(invalid.getMessage()).contains("TLS handshake failed"));
          });
    }
  }

  /** Subscribes, publishes {@code payload} and returns what the subscription received, as text. */
  private static String roundTrip(ApplicationContext context, String subject, String payload) throws Exception {
    NatsClient client = context.getBean(NatsClient.class);
    NatsMessage received = context.getBean(Runtime.class).run(cx -> {
      NatsSubscription subscription = client.subscribe(cx, subject);
      client.publish(cx, subject, payload.getBytes(StandardCharsets.UTF_8));
      return subscription.next(cx, Duration.ofSeconds(10));
    }).orThrow();
    return new String(received.data(), StandardCharsets.UTF_8);
  }
}
