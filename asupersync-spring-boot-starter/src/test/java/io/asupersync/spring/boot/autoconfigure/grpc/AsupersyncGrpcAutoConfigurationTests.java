package io.asupersync.spring.boot.autoconfigure.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.asupersync.Runtime;
import io.asupersync.protocols.grpc.ClientCall;
import io.asupersync.protocols.grpc.GrpcClient;
import io.asupersync.protocols.grpc.GrpcHealth;
import io.asupersync.protocols.grpc.GrpcHealth.ServingStatus;
import io.asupersync.protocols.grpc.GrpcLimits;
import io.asupersync.protocols.grpc.GrpcRouter;
import io.asupersync.protocols.grpc.GrpcService;
import io.asupersync.protocols.grpc.GrpcStatusException;
import io.asupersync.protocols.grpc.MessageCodec;
import io.asupersync.protocols.grpc.MethodDescriptor;
import io.asupersync.protocols.grpc.StatusCode;
import io.asupersync.protocols.http.AsupersyncServer;
import io.asupersync.spring.boot.Utf8Codec;
import io.asupersync.spring.boot.autoconfigure.AsupersyncAutoConfiguration;
import io.asupersync.spring.boot.autoconfigure.InvalidAsupersyncPropertyException;
import io.asupersync.spring.boot.autoconfigure.server.AsupersyncServerAutoConfiguration;
import io.asupersync.spring.boot.metrics.RejectionCounts;
import io.asupersync.spring.boot.server.AsupersyncServerCustomizer;
import io.asupersync.spring.boot.server.AsupersyncServerLifecycle;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class AsupersyncGrpcAutoConfigurationTests {

  private static final MessageCodec<String> UTF8 = Utf8Codec.CODEC;

  private static final MethodDescriptor<String, String> ECHO = MethodDescriptor.unary("test.Echo", "Echo", UTF8, UTF8);

  private static X509Bundle ca;

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(
              AsupersyncAutoConfiguration.class,
              AsupersyncServerAutoConfiguration.class,
              AsupersyncGrpcAutoConfiguration.class))
          .withPropertyValues(
              "asupersync.server.enabled=true",
              "asupersync.server.cleartext-port=0",
              "asupersync.runtime.shutdown-timeout=2s");

  private final ApplicationContextRunner withEcho =
      contextRunner.withBean("echoService", GrpcService.class, AsupersyncGrpcAutoConfigurationTests::echoService);

  @BeforeAll
  static void certificateAuthority() throws Exception {
    ca = new CertificateBuilder().subject("CN=test ca").setIsCertificateAuthority(true).ecp256().buildSelfSigned();
  }

  private static GrpcService echoService() {
    return GrpcService.builder("test.Echo").unary(ECHO, (cx, call, request) -> "echo " + request).build();
  }

  @Test
  void grpcServiceBeanAndHealthAreServedOnTheCleartextPort() {
    withEcho.run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(GrpcRouter.class).hasSingleBean(GrpcHealth.class);
      try (GrpcClient client = GrpcClient.builder("127.0.0.1", cleartextPort(context)).build()) {
        assertThat(call(context, client, ECHO, "hi")).isEqualTo("echo hi");
        assertThat(call(context, client, GrpcHealth.CHECK, "")).isEqualTo(ServingStatus.SERVING);
        assertThat(call(context, client, GrpcHealth.CHECK, "test.Echo")).isEqualTo(ServingStatus.SERVING);
        assertThat(status(context, client, GrpcHealth.CHECK, "test.Other")).isEqualTo(StatusCode.NOT_FOUND);
      }
    });
  }

  @Test
  void grpcAndHealthAreServedOnTheTlsPortWithAlpnH2() throws Exception {
    X509Bundle server = new CertificateBuilder().subject("CN=localhost").ecp256().addSanDnsName("localhost")
        .addSanIpAddress("127.0.0.1").addExtendedKeyUsageServerAuth().buildIssuedBy(ca);
    SslBundle bundle = SslBundle.of(SslStoreBundle.of(server.toKeyStore("secret".toCharArray()), "secret", null));
    SslContext clientTls = SslContextBuilder.forClient().trustManager(ca.toTrustManagerFactory())
        .applicationProtocolConfig(new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_2))
        .build();
    withEcho
        .withPropertyValues("asupersync.server.tls-port=0", "asupersync.server.ssl.bundle=server")
        .withBean(DefaultSslBundleRegistry.class, () -> new DefaultSslBundleRegistry("server", bundle))
        .run(context -> {
          int tlsPort = context.getEnvironment().getRequiredProperty(AsupersyncServerLifecycle.TLS_PORT_PROPERTY, Integer.class);
          try (GrpcClient client = GrpcClient.builder("127.0.0.1", tlsPort).authority("localhost").tls(clientTls).build()) {
            assertThat(call(context, client, ECHO, "over tls")).isEqualTo("echo over tls");
            assertThat(call(context, client, GrpcHealth.CHECK, "")).isEqualTo(ServingStatus.SERVING);
          }
        });
  }

  @Test
  void withoutGrpcServiceBeansTheServerKeepsItsRoutesToItself() {
    contextRunner.run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(AsupersyncServerLifecycle.class)
          .doesNotHaveBean(GrpcRouter.class).doesNotHaveBean(GrpcHealth.class);
      try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
        HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cleartextPort(context) + "/a/b"))
            .header("content-type", "application/grpc").POST(HttpRequest.BodyPublishers.noBody()).build();
        assertThat(http.send(post, BodyHandlers.discarding()).statusCode()).isEqualTo(404);
      }
    });
  }

  @Test
  void healthAloneIsServedWhenAskedForExplicitly() {
    contextRunner.withPropertyValues("asupersync.grpc.health.enabled=true").run(context -> {
      assertThat(context).hasSingleBean(GrpcRouter.class);
      try (GrpcClient client = GrpcClient.builder("127.0.0.1", cleartextPort(context)).build()) {
        assertThat(call(context, client, GrpcHealth.CHECK, "")).isEqualTo(ServingStatus.SERVING);
      }
    });
  }

  @Test
  void healthCanBeTurnedOffBesideTheServices() {
    withEcho.withPropertyValues("asupersync.grpc.health.enabled=false").run(context -> {
      assertThat(context).hasSingleBean(GrpcRouter.class).doesNotHaveBean(GrpcHealth.class)
          .doesNotHaveBean(GrpcHealthLifecycle.class);
      try (GrpcClient client = GrpcClient.builder("127.0.0.1", cleartextPort(context)).build()) {
        assertThat(call(context, client, ECHO, "x")).isEqualTo("echo x");
        assertThat(status(context, client, GrpcHealth.CHECK, "")).isEqualTo(StatusCode.UNIMPLEMENTED);
      }
    });
  }

  @Test
  void backsOffWhenTheServerIsNotEnabled() {
    withEcho.withPropertyValues("asupersync.server.enabled=false")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(GrpcRouter.class).doesNotHaveBean(GrpcHealth.class));
  }

  @Test
  void backsOffWhenTheStarterDoesNotRunTheServer() {
    // enabled, but the application's own server makes the starter's back off: no lifecycle to attach to
    withEcho.withBean(AsupersyncServer.class, () -> null)
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AsupersyncServerLifecycle.class)
            .doesNotHaveBean(GrpcRouter.class).doesNotHaveBean(GrpcHealth.class));
  }

  @Test
  void backsOffWithoutTheStartersRuntimeAndServer() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsupersyncServerAutoConfiguration.class, AsupersyncGrpcAutoConfiguration.class))
        .withPropertyValues("asupersync.server.enabled=true", "asupersync.grpc.health.enabled=true")
        .withBean("echoService", GrpcService.class, AsupersyncGrpcAutoConfigurationTests::echoService)
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(GrpcRouter.class).doesNotHaveBean(GrpcHealth.class));
  }

  @Test
  void backsOffWithoutTheGrpcLayerOnTheClassPath() {
    withEcho.withClassLoader(new FilteredClassLoader(GrpcRouter.class))
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(AsupersyncServerLifecycle.class)
            .doesNotHaveBean(GrpcRouter.class).doesNotHaveBean(GrpcHealth.class));
  }

  @Test
  void limitsComeFromTheGrpcProperties() {
    withEcho.withPropertyValues(
            "asupersync.grpc.max-inbound-message-size=16B",
            "asupersync.grpc.max-outbound-message-size=1KB",
            "asupersync.grpc.max-metadata-size=4KB",
            "asupersync.grpc.max-timeout=3s")
        .run(context -> {
          assertThat(context.getBean(GrpcLimits.class)).isEqualTo(new GrpcLimits(16, 1024, 4096, Duration.ofSeconds(3)));
          try (GrpcClient client = GrpcClient.builder("127.0.0.1", cleartextPort(context)).build()) {
            assertThat(call(context, client, ECHO, "0123456789")).isEqualTo("echo 0123456789");
            assertThat(status(context, client, ECHO, "0123456789abcdefg")).isEqualTo(StatusCode.RESOURCE_EXHAUSTED);
          }
        });
  }

  @Test
  void routerRejectionsAreCountedAsGrpcWithLowerCaseReasons() {
    withEcho.withPropertyValues("asupersync.grpc.max-inbound-message-size=16B").run(context -> {
      RejectionCounts counts = context.getBean("asupersyncGrpcRejectionCounts", RejectionCounts.class);
      assertThat(counts.protocol()).isEqualTo("grpc");
      assertThat(counts.reasons()).contains("message_too_large", "malformed_timeout").allMatch(r -> r.equals(r.toLowerCase(java.util.Locale.ROOT)));
      try (GrpcClient client = GrpcClient.builder("127.0.0.1", cleartextPort(context)).build()) {
        assertThat(status(context, client, ECHO, "0123456789abcdefg")).isEqualTo(StatusCode.RESOURCE_EXHAUSTED);
      }
      assertThat(counts.count("message_too_large")).isEqualTo(1);
      assertThat(counts.count("malformed_timeout")).isZero();
    });
  }

  @Test
  void grpcRejectionCountsBackOffWithTheRouter() {
    withEcho.withPropertyValues("asupersync.server.enabled=false")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("asupersyncGrpcRejectionCounts"));
    contextRunner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("asupersyncGrpcRejectionCounts"));
  }

  @Test
  void defaultLimitsAreTheDesignLimitsCappedByTheServersMaxClientTimeout() {
    withEcho.run(context -> assertThat(context.getBean(GrpcLimits.class)).isEqualTo(GrpcLimits.defaults()));
    withEcho.withPropertyValues("asupersync.server.max-client-timeout=5s").run(context ->
        assertThat(context.getBean(GrpcLimits.class)).isEqualTo(GrpcLimits.defaults().withMaxTimeout(Duration.ofSeconds(5))));
  }

  @Test
  void badGrpcPropertiesFailTheStartupNamingTheProperty() {
    for (String bad : new String[] {
        "asupersync.grpc.max-inbound-message-size=0B",
        "asupersync.grpc.max-outbound-message-size=3GB",
        "asupersync.grpc.max-metadata-size=-1KB",
        "asupersync.grpc.max-timeout=0s"}) {
      withEcho.withPropertyValues(bad).run(context -> {
        assertThat(context).hasFailed();
        assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidAsupersyncPropertyException.class);
        assertThat(((InvalidAsupersyncPropertyException) rootCause(context.getStartupFailure())).property())
            .isEqualTo(bad.substring(0, bad.indexOf('=')));
      });
    }
  }

  @Test
  void applicationBeansReplaceTheLimitsTheHealthAndTheRouter() {
    GrpcLimits limits = GrpcLimits.defaults().withMaxMetadataBytes(1234);
    GrpcHealth health = GrpcHealth.create();
    withEcho.withBean(GrpcLimits.class, () -> limits).withBean(GrpcHealth.class, () -> health).run(context -> {
      assertThat(context.getBean(GrpcLimits.class)).isSameAs(limits);
      assertThat(context.getBean(GrpcHealth.class)).isSameAs(health);
      assertThat(health.status("test.Echo")).isEqualTo(ServingStatus.SERVING);
    });
    GrpcRouter own = GrpcRouter.builder().service(echoService()).build();
    withEcho.withBean(GrpcRouter.class, () -> own).run(context -> {
      assertThat(context.getBean(GrpcRouter.class)).isSameAs(own);
      try (GrpcClient client = GrpcClient.builder("127.0.0.1", cleartextPort(context)).build()) {
        assertThat(call(context, client, ECHO, "own")).isEqualTo("echo own");
        assertThat(status(context, client, GrpcHealth.CHECK, "")).isEqualTo(StatusCode.UNIMPLEMENTED);
      }
    });
    AsupersyncServerCustomizer nothing = server -> {};
    withEcho.withBean("asupersyncGrpcServices", AsupersyncServerCustomizer.class, () -> nothing)
        .run(context -> assertThat(context.getBean("asupersyncGrpcServices")).isSameAs(nothing));
  }

  @Test
  void anApplicationHealthServiceIsServedInsteadOfOurs() {
    GrpcHealth own = GrpcHealth.create();
    own.setStatus("", ServingStatus.NOT_SERVING);
    withEcho.withBean("ownHealth", GrpcService.class, own::service).run(context -> {
      assertThat(context).hasNotFailed();
      try (GrpcClient client = GrpcClient.builder("127.0.0.1", cleartextPort(context)).build()) {
        assertThat(call(context, client, GrpcHealth.CHECK, "")).isEqualTo(ServingStatus.NOT_SERVING);
      }
    });
  }

  @Test
  void healthWatchersHearNotServingBeforeTheServerDrains() {
    withEcho.withPropertyValues("asupersync.runtime.shutdown-timeout=500ms").run(context -> {
      GrpcHealth health = context.getBean(GrpcHealth.class);
      Runtime runtime = context.getBean(Runtime.class);
      try (GrpcClient client = GrpcClient.builder("127.0.0.1", cleartextPort(context)).build()) {
        CompletableFuture<ServingStatus> afterClose = new CompletableFuture<>();
        runtime.spawn("watch", cx -> {
          try (ClientCall<String, ServingStatus> watch = client.start(cx, GrpcHealth.WATCH)) {
            watch.sendLast(cx, "test.Echo");
            assertThat(watch.next(cx)).isEqualTo(ServingStatus.SERVING);
            Thread.ofVirtual().start(context::close);
            afterClose.complete(watch.next(cx));
          } catch (Throwable t) {
            afterClose.completeExceptionally(t);
          }
          return null;
        });
        assertThat(afterClose.get(10, TimeUnit.SECONDS)).isEqualTo(ServingStatus.NOT_SERVING);
      }
      assertThat(health.status("")).isEqualTo(ServingStatus.NOT_SERVING);
    });
  }

  private static Throwable rootCause(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static int cleartextPort(AssertableApplicationContext context) {
    return context.getEnvironment().getRequiredProperty(AsupersyncServerLifecycle.CLEARTEXT_PORT_PROPERTY, Integer.class);
  }

  private static <Req, Resp> Resp call(AssertableApplicationContext context, GrpcClient client, MethodDescriptor<Req, Resp> method, Req request)
      throws Exception {
    return context.getBean(Runtime.class).run(cx -> client.unary(cx, method, request)).orThrow();
  }

  private static <Req, Resp> StatusCode status(AssertableApplicationContext context, GrpcClient client, MethodDescriptor<Req, Resp> method, Req request) {
    GrpcStatusException failure = catchThrowableOfType(GrpcStatusException.class, () -> call(context, client, method, request));
    assertThat(failure).as("%s ends with a status other than OK", method.fullName()).isNotNull();
    return failure.code();
  }
}
