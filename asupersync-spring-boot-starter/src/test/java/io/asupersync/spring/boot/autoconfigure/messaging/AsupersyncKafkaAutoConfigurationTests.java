package io.asupersync.spring.boot.autoconfigure.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.protocols.kafka.KafkaSender;
import io.asupersync.spring.boot.autoconfigure.AsupersyncAutoConfiguration;
import io.asupersync.spring.boot.autoconfigure.InvalidAsupersyncPropertyException;
import io.asupersync.testsupport.Ports;
import io.asupersync.testsupport.TestCertificates;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
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

  @Test
  void unknownSslBundleFailsStartupNamingTheProperty() {
    contextRunner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
        .withPropertyValues("asupersync.kafka.bootstrap-servers=127.0.0.1:9093", "asupersync.kafka.ssl.bundle=missing")
        .run(context -> {
          assertThat(context).hasFailed();
          Throwable root = NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
          assertThat(root).isInstanceOfSatisfying(InvalidAsupersyncPropertyException.class, invalid -> {
            assertThat(invalid.property()).isEqualTo("asupersync.kafka.ssl.bundle");
            assertThat(invalid.getMessage()).contains("no SSL bundle named 'missing'");
          });
        });
  }

  /**
   * A TLS server that requires a client certificate stands in for the broker: the producer's first
   * connection (it fetches metadata at once) must complete the handshake, trusting the server through the
   * bundle's trust store and presenting the bundle's key.
   */
  @Test
  void sslBundleMakesTheSenderConnectWithTlsAndTheBundlesClientCertificate() throws Exception {
    TestCertificates certificates = TestCertificates.forLocalhost();
    SSLContext serverContext = ((JdkSslContext) SslContextBuilder
        .forServer(certificates.serverChainPem().toFile(), certificates.serverKeyPem().toFile())
        .trustManager(certificates.caPem().toFile())
        .clientAuth(ClientAuth.REQUIRE)
        .sslProvider(SslProvider.JDK)
        .build()).context();
    try (SSLServerSocket server = (SSLServerSocket) serverContext.getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      server.setSoTimeout(30_000);
      server.setNeedClientAuth(true);
      CompletableFuture<String> clientSubject = CompletableFuture.supplyAsync(() -> {
        try (SSLSocket socket = (SSLSocket) server.accept()) {
          socket.startHandshake();
          return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        } catch (Exception e) {
          throw new CompletionException(e);
        }
      });
      contextRunner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
          .withPropertyValues(
              "asupersync.kafka.bootstrap-servers=127.0.0.1:" + server.getLocalPort(),
              "asupersync.kafka.ssl.bundle=kafka",
              "spring.ssl.bundle.pem.kafka.truststore.certificate=file:" + certificates.caPem(),
              "spring.ssl.bundle.pem.kafka.keystore.certificate=file:" + certificates.clientChainPem(),
              "spring.ssl.bundle.pem.kafka.keystore.private-key=file:" + certificates.clientKeyPem())
          .run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(KafkaSender.class);
            assertThat(clientSubject.get(30, TimeUnit.SECONDS)).isEqualTo("CN=asupersync-test-client");
          });
    }
  }
}
