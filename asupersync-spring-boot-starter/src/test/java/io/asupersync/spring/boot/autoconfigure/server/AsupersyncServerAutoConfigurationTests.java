package io.asupersync.spring.boot.autoconfigure.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.protocols.http.AsupersyncServer;
import io.asupersync.protocols.http.HttpFilter;
import io.asupersync.protocols.http.HttpResponse;
import io.asupersync.spring.boot.autoconfigure.AsupersyncAutoConfiguration;
import io.asupersync.spring.boot.metrics.RejectionCounts;
import io.asupersync.spring.boot.observation.TracerTraceCorrelation;
import io.asupersync.spring.boot.observation.W3cTestPropagator;
import io.asupersync.spring.boot.server.AsupersyncServerCustomizer;
import io.asupersync.spring.boot.server.AsupersyncServerLifecycle;
import io.asupersync.spring.boot.server.AuthenticationHttpFilter;
import io.asupersync.spring.boot.server.ObservationHttpFilter;
import io.asupersync.trace.TraceEvent;
import io.asupersync.trace.TraceKind;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

class AsupersyncServerAutoConfigurationTests {

  private static final char[] PASSWORD = "secret".toCharArray();

  private static X509Bundle ca;
  private static X509Bundle client;
  private static HttpClient http;

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(AsupersyncAutoConfiguration.class, AsupersyncServerAutoConfiguration.class))
          .withPropertyValues("asupersync.server.cleartext-port=0", "asupersync.runtime.shutdown-timeout=2s")
          .withUserConfiguration(Routes.class);

  @BeforeAll
  static void certificates() throws Exception {
    ca = new CertificateBuilder().subject("CN=test ca").setIsCertificateAuthority(true).ecp256().buildSelfSigned();
    client = new CertificateBuilder().subject("CN=alice, O=asupersync").ecp256().addExtendedKeyUsageClientAuth()
        .buildIssuedBy(ca);
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void closeClient() {
    http.close();
  }

  @Configuration(proxyBeanMethods = false)
  static class Routes {
    @Bean
    AsupersyncServerCustomizer helloRoutes() {
      return server -> server
          .get("/hello", (cx, request) -> HttpResponse.ok("hello " + request.protocol().text()))
          .get("/whoami", (cx, request) -> HttpResponse.ok(
              AuthenticationHttpFilter.authentication(request).map(a -> a.getName()).orElse("anonymous") + "/"
                  + org.springframework.security.core.context.SecurityContextHolder.getContext().getAuthentication()));
    }
  }

  private static String get(String url, String... headers) throws IOException, InterruptedException {
    return send(http, url, headers).body();
  }

  private static java.net.http.HttpResponse<String> send(HttpClient client, String url, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), BodyHandlers.ofString());
  }

  private static int cleartextPort(AssertableApplicationContext context) {
    return context.getEnvironment().getRequiredProperty(AsupersyncServerLifecycle.CLEARTEXT_PORT_PROPERTY, Integer.class);
  }

  @Test
  void serverIsOffUnlessEnabled() {
    contextRunner.run(context -> assertThat(context).doesNotHaveBean(AsupersyncServerLifecycle.class));
  }

  @Test
  void enabledServerServesCustomizerRoutesOnAnEphemeralPortUntilTheContextCloses() {
    AtomicInteger port = new AtomicInteger();
    contextRunner.withPropertyValues("asupersync.server.enabled=true").run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(AsupersyncServerLifecycle.class);
      port.set(cleartextPort(context));
      assertThat(port.get()).isPositive();
      assertThat(context.getEnvironment().containsProperty(AsupersyncServerLifecycle.TLS_PORT_PROPERTY)).isFalse();
      assertThat(get("http://127.0.0.1:" + port + "/hello")).startsWith("hello HTTP/");
      assertThat(context.getBean(AsupersyncServerLifecycle.class).server()).isNotNull();
    });
    assertThatThrownBy(() -> get("http://127.0.0.1:" + port + "/hello")).isInstanceOf(ConnectException.class);
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void startupLogsTheBoundPortsAndProtocols(CapturedOutput output) {
    contextRunner.withPropertyValues("asupersync.server.enabled=true").run(context -> assertThat(output)
        .containsOnlyOnce("Asupersync server started on port " + cleartextPort(context) + " (http/1.1, h2c)"));
  }

  @Test
  void rejectionsOfTheServerAreCounted() {
    contextRunner.withPropertyValues("asupersync.server.enabled=true", "asupersync.server.limits.http1.max-headers=2")
        .run(context -> {
          RejectionCounts counts = context.getBean("asupersyncServerRejectionCounts", RejectionCounts.class);
          assertThat(counts.protocol()).isEqualTo("http");
          assertThat(counts.reasons()).contains("too_many_headers").allMatch(r -> r.equals(r.toLowerCase()));
          var response = send(http, "http://127.0.0.1:" + cleartextPort(context) + "/hello",
              "x-a", "1", "x-b", "2", "x-c", "3");
          assertThat(response.statusCode()).isEqualTo(431);
          assertThat(counts.count("too_many_headers")).isEqualTo(1);
        });
  }

  @Test
  void backsOffWhenTheApplicationDefinesItsOwnServer() {
    contextRunner.withPropertyValues("asupersync.server.enabled=true")
        .withBean(AsupersyncServer.class, () -> null)
        .run(context -> assertThat(context).doesNotHaveBean(AsupersyncServerLifecycle.class)
            .doesNotHaveBean(RejectionCounts.class));
  }

  @Test
  void backsOffWithoutARuntime() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsupersyncServerAutoConfiguration.class))
        .withPropertyValues("asupersync.server.enabled=true", "asupersync.server.cleartext-port=0")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AsupersyncServerLifecycle.class));
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnLifecycle {
    @Bean
    AsupersyncServerLifecycle ownLifecycle(io.asupersync.Runtime runtime) {
      return new AsupersyncServerLifecycle(
          () -> AsupersyncServer.builder(runtime).cleartextPort(0).get("/own", (cx, request) -> HttpResponse.ok("own")),
          null);
    }
  }

  @Test
  void applicationLifecycleReplacesTheStartersAndIsCounted() {
    contextRunner.withPropertyValues("asupersync.server.enabled=true", "asupersync.server.limits.http1.max-headers=2")
        .withUserConfiguration(OwnLifecycle.class)
        .run(context -> {
          assertThat(context).hasSingleBean(AsupersyncServerLifecycle.class).hasBean("ownLifecycle");
          AsupersyncServer server = context.getBean(AsupersyncServerLifecycle.class).server();
          assertThat(server).isNotNull();
          assertThat(get("http://127.0.0.1:" + server.cleartextPort() + "/own")).isEqualTo("own");
          // the starter's limit (2 headers) does not apply to the application's server
          assertThat(send(http, "http://127.0.0.1:" + server.cleartextPort() + "/own",
              "x-a", "1", "x-b", "2", "x-c", "3").statusCode()).isEqualTo(200);
          assertThat(context.getBean("asupersyncServerRejectionCounts", RejectionCounts.class).count("too_many_headers")).isZero();
        });
  }

  @Test
  void applicationAuthenticationFilterReplacesTheStarters() {
    AuthenticationHttpFilter own = new AuthenticationHttpFilter(null, null);
    contextRunner.withPropertyValues("asupersync.server.enabled=true")
        .withBean("ownAuthentication", AuthenticationHttpFilter.class, () -> own)
        .withBean(UserDetailsService.class,
            () -> new InMemoryUserDetailsManager(User.withUsername("bob").password("{noop}pw").build()))
        .run(context -> {
          assertThat(context).hasSingleBean(AuthenticationHttpFilter.class).hasBean("ownAuthentication");
          // the application's filter ignores Basic credentials, the starter's would have checked them
          assertThat(get("http://127.0.0.1:" + cleartextPort(context) + "/whoami", "Authorization", basic("bob:pw")))
              .startsWith("anonymous");
        });
  }

  @Test
  void applicationObservationFilterReplacesTheStarters() {
    TestObservationRegistry registry = TestObservationRegistry.create();
    contextRunner.withPropertyValues("asupersync.server.enabled=true")
        .withBean(ObservationRegistry.class, () -> registry)
        .withBean("ownObservation", ObservationHttpFilter.class,
            () -> new ObservationHttpFilter(registry, io.asupersync.spring.boot.observation.TraceCorrelation.none()))
        .run(context -> assertThat(context).hasSingleBean(ObservationHttpFilter.class).hasBean("ownObservation"));
  }

  @Test
  void applicationRejectionCountsReplaceTheStarters() {
    RejectionCounts own = new RejectionCounts() {
      @Override
      public String protocol() {
        return "own";
      }

      @Override
      public java.util.Set<String> reasons() {
        return java.util.Set.of();
      }

      @Override
      public long count(String reason) {
        return 0;
      }
    };
    contextRunner.withPropertyValues("asupersync.server.enabled=true")
        .withBean("asupersyncServerRejectionCounts", RejectionCounts.class, () -> own)
        .run(context -> assertThat(context).hasNotFailed().getBean("asupersyncServerRejectionCounts").isSameAs(own));
  }

  @Test
  void serverRequestsAreNotObservedWithoutAnObservationRegistryBean() {
    contextRunner.withPropertyValues("asupersync.server.enabled=true")
        .run(context -> assertThat(context).hasSingleBean(AsupersyncServerLifecycle.class)
            .doesNotHaveBean(ObservationHttpFilter.class));
  }

  @Test
  void serverRequestsAreNotObservedWithoutMicrometerObservation() {
    contextRunner.withPropertyValues("asupersync.server.enabled=true")
        .withBean(ObservationRegistry.class, TestObservationRegistry::create)
        .withClassLoader(new FilteredClassLoader(ObservationRegistry.class))
        .run(context -> {
          assertThat(context).hasNotFailed().doesNotHaveBean(ObservationHttpFilter.class);
          assertThat(get("http://127.0.0.1:" + cleartextPort(context) + "/hello")).startsWith("hello HTTP/");
        });
  }

  @Test
  void backsOffWhenTheServerIsNotOnTheClasspath() {
    contextRunner.withPropertyValues("asupersync.server.enabled=true")
        .withClassLoader(new FilteredClassLoader(AsupersyncServer.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AsupersyncServerLifecycle.class));
  }

  @Test
  void serverRequestIsObservedWithItsRouteAndReceivesHeadersForPropagation() {
    TestObservationRegistry registry = TestObservationRegistry.create();
    contextRunner.withPropertyValues("asupersync.server.enabled=true")
        .withBean(ObservationRegistry.class, () -> registry)
        .run(context -> {
          assertThat(context).hasSingleBean(ObservationHttpFilter.class);
          String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
          get("http://127.0.0.1:" + cleartextPort(context) + "/hello", "traceparent", traceparent);
          assertThat(registry).hasObservationWithNameEqualTo(ObservationHttpFilter.OBSERVATION_NAME)
              .that()
              .hasContextualNameEqualTo("GET /hello")
              .hasLowCardinalityKeyValue("route", "/hello")
              .hasLowCardinalityKeyValue("status", "200")
              .hasBeenStopped()
              .satisfies(observed -> {
                @SuppressWarnings("unchecked")
                ReceiverContext<io.asupersync.protocols.http.HttpRequest> receiver =
                    (ReceiverContext<io.asupersync.protocols.http.HttpRequest>) observed;
                assertThat(receiver.getGetter().get(receiver.getCarrier(), "traceparent")).isEqualTo(traceparent);
              });
        });
  }

  @Test
  void requestRegionEventsCarryTheIdsOfTheRequestSpan() {
    SimpleTracer tracer = new SimpleTracer();
    ObservationRegistry registry = ObservationRegistry.create();
    // a root span of SimpleTracer has empty ids: continue an incoming trace so that every id is real
    registry.observationConfig().observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
        new PropagatingReceiverTracingObservationHandler<>(tracer, new W3cTestPropagator(tracer)),
        new DefaultTracingObservationHandler(tracer)));
    String traceId = "0af7651916cd43dd8448eb211c80319c";
    contextRunner.withPropertyValues("asupersync.server.enabled=true")
        .withBean(ObservationRegistry.class, () -> registry)
        .withBean(TracerTraceCorrelation.class, () -> new TracerTraceCorrelation(tracer))
        .run(context -> {
          get("http://127.0.0.1:" + cleartextPort(context) + "/hello", "traceparent", "00-" + traceId + "-b7ad6b7169203331-01");
          SimpleSpan span = tracer.getSpans().getLast();
          assertThat(span.getName()).isEqualTo("GET /hello");
          assertThat(span.getTraceId()).isEqualTo(traceId);
          assertThat(span.getSpanId()).isNotEmpty().isNotEqualTo("b7ad6b7169203331");
          TraceEvent event = context.getBean(io.asupersync.Runtime.class).trace()
              .events(e -> e.kind() == TraceKind.USER && e.attribute("name").equals("http.request"), 10)
              .getLast();
          assertThat(event.attribute("traceId")).isEqualTo(span.getTraceId());
          assertThat(event.attribute("spanId")).isEqualTo(span.getSpanId());
          assertThat(event.attribute("route")).isEqualTo("/hello");
        });
  }

  @Test
  void basicCredentialsAreCheckedAgainstTheUserDetailsService() {
    contextRunner.withPropertyValues("asupersync.server.enabled=true")
        .withBean(UserDetailsService.class,
            () -> new InMemoryUserDetailsManager(User.withUsername("bob").password("{noop}pw").roles("X").build()))
        .run(context -> {
          String url = "http://127.0.0.1:" + cleartextPort(context) + "/whoami";
          assertThat(get(url)).isEqualTo("anonymous/null");
          assertThat(get(url, "Authorization", basic("bob:pw"))).startsWith("bob/UsernamePasswordAuthenticationToken");
          var refused = send(http, url, "Authorization", basic("bob:wrong"));
          assertThat(refused.statusCode()).isEqualTo(401);
          assertThat(refused.headers().firstValue("www-authenticate")).hasValueSatisfying(
              challenge -> assertThat(challenge).startsWith("Basic realm="));
          assertThat(send(http, url, "Authorization", "Basic !!!").statusCode()).isEqualTo(401);
        });
  }

  @Test
  void authenticationHookBacksOffWithoutSpringSecurity() {
    contextRunner.withPropertyValues("asupersync.server.enabled=true")
        .withClassLoader(new FilteredClassLoader(AuthenticationManager.class))
        .run(context -> {
          assertThat(context).hasNotFailed().doesNotHaveBean(AuthenticationHttpFilter.class);
          assertThat(get("http://127.0.0.1:" + cleartextPort(context) + "/hello")).startsWith("hello HTTP/");
        });
  }

  @Test
  void applicationFilterBeansRunInsideTheStarterFilters() {
    HttpFilter tagging = (cx, request, next) -> HttpResponse.ok(
        "filtered:" + AuthenticationHttpFilter.authentication(request).map(a -> a.getName()).orElse("-"));
    contextRunner.withPropertyValues("asupersync.server.enabled=true")
        .withBean(HttpFilter.class, () -> tagging)
        .withBean(UserDetailsService.class,
            () -> new InMemoryUserDetailsManager(User.withUsername("bob").password("{noop}pw").build()))
        .run(context -> assertThat(get("http://127.0.0.1:" + cleartextPort(context) + "/hello",
            "Authorization", basic("bob:pw"))).isEqualTo("filtered:bob"));
  }

  @Test
  void tlsPortServesTheBundleCertificateMapsClientCertificatesAndReloadsWithTheBundle() throws Exception {
    X509Bundle first = serverCertificate(1);
    DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry("server", sslBundle(first));
    contextRunner
        .withPropertyValues("asupersync.server.enabled=true", "asupersync.server.tls-port=0",
            "asupersync.server.ssl.bundle=server", "asupersync.server.ssl.client-auth=want")
        .withBean(DefaultSslBundleRegistry.class, () -> bundles)
        .run(context -> {
          int port = context.getEnvironment().getRequiredProperty(AsupersyncServerLifecycle.TLS_PORT_PROPERTY, Integer.class);
          String url = "https://localhost:" + port + "/whoami";
          try (HttpClient anonymous = tlsClient(false); HttpClient alice = tlsClient(true)) {
            var response = send(anonymous, url);
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(response.body()).startsWith("anonymous");
            assertThat(serial(response.sslSession().orElseThrow())).isEqualTo(BigInteger.ONE);
            assertThat(send(alice, url).body()).startsWith("alice/PreAuthenticatedAuthenticationToken");

            bundles.updateBundle("server", sslBundle(serverCertificate(2)));
          }
          try (HttpClient fresh = tlsClient(false)) {
            assertThat(serial(send(fresh, url).sslSession().orElseThrow())).isEqualTo(BigInteger.TWO);
          }
        });
  }

  @Test
  void tlsPortServesAJksBundleDefinedInProperties(@TempDir Path dir) throws Exception {
    Path keystore = dir.resolve("server.jks");
    try (OutputStream out = Files.newOutputStream(keystore)) {
      serverCertificate(3).toKeyStore("JKS", PASSWORD).store(out, PASSWORD);
    }
    contextRunner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
        .withPropertyValues("asupersync.server.enabled=true", "asupersync.server.tls-port=0",
            "asupersync.server.ssl.bundle=server",
            "spring.ssl.bundle.jks.server.keystore.location=" + keystore.toUri(),
            "spring.ssl.bundle.jks.server.keystore.type=JKS",
            "spring.ssl.bundle.jks.server.keystore.password=" + new String(PASSWORD))
        .run(context -> {
          try (HttpClient anonymous = tlsClient(false)) {
            var response = send(anonymous, "https://localhost:" + tlsPort(context) + "/hello");
            assertThat(response.body()).isEqualTo("hello HTTP/2");
            assertThat(serial(response.sslSession().orElseThrow())).isEqualTo(BigInteger.valueOf(3));
          }
        });
  }

  @Test
  void pemBundleReloadedOnUpdateServesTheNewCertificateToNewConnections(@TempDir Path dir) throws Exception {
    Path certificate = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    writePem(serverCertificate(4), certificate, key);
    contextRunner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
        .withPropertyValues("asupersync.server.enabled=true", "asupersync.server.tls-port=0",
            "asupersync.server.ssl.bundle=server",
            "spring.ssl.bundle.pem.server.keystore.certificate=" + certificate.toUri(),
            "spring.ssl.bundle.pem.server.keystore.private-key=" + key.toUri(),
            "spring.ssl.bundle.pem.server.reload-on-update=true",
            "spring.ssl.bundle.watch.file.quiet-period=50ms")
        .run(context -> {
          String url = "https://localhost:" + tlsPort(context) + "/hello";
          try (HttpClient first = tlsClient(false)) {
            assertThat(serial(send(first, url).sslSession().orElseThrow())).isEqualTo(BigInteger.valueOf(4));
          }
          writePem(serverCertificate(5), certificate, key);
          long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
          BigInteger served;
          do {
            // a new client per attempt: a fresh handshake, no resumed session
            try (HttpClient fresh = tlsClient(false)) {
              served = serial(send(fresh, url).sslSession().orElseThrow());
            }
          } while (!served.equals(BigInteger.valueOf(5)) && System.nanoTime() < deadline && pause());
          assertThat(served).isEqualTo(BigInteger.valueOf(5));
        });
  }

  private static int tlsPort(AssertableApplicationContext context) {
    return context.getEnvironment().getRequiredProperty(AsupersyncServerLifecycle.TLS_PORT_PROPERTY, Integer.class);
  }

  private static void writePem(X509Bundle bundle, Path certificate, Path key) throws IOException {
    Files.writeString(key, bundle.getPrivateKeyPEM());
    Files.writeString(certificate, bundle.getCertificatePEM());
  }

  /** Yields between polls of the watcher's work; always true. */
  private static boolean pause() {
    java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    return true;
  }

  @Test
  void clientAuthWithoutATrustStoreInTheBundleFailsAtStartupNamingTheFix() throws Exception {
    SslBundle keyOnly = SslBundle.of(SslStoreBundle.of(serverCertificate(1).toKeyStore(PASSWORD), new String(PASSWORD), null));
    contextRunner
        .withPropertyValues("asupersync.server.enabled=true", "asupersync.server.tls-port=0",
            "asupersync.server.ssl.bundle=server", "asupersync.server.ssl.client-auth=need")
        .withBean(DefaultSslBundleRegistry.class, () -> new DefaultSslBundleRegistry("server", keyOnly))
        .run(context -> assertThat(context).hasFailed().getFailure()
            .rootCause()
            .hasMessageContaining("asupersync.server.ssl.bundle")
            .hasMessageContaining("client-auth NEED"));
  }

  private static X509Bundle serverCertificate(long serial) throws Exception {
    return new CertificateBuilder().subject("CN=localhost").serial(BigInteger.valueOf(serial)).ecp256()
        .addSanDnsName("localhost").addSanIpAddress("127.0.0.1").addExtendedKeyUsageServerAuth()
        .buildIssuedBy(ca);
  }

  private static SslBundle sslBundle(X509Bundle server) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca.getCertificate());
    return SslBundle.of(SslStoreBundle.of(server.toKeyStore(PASSWORD), new String(PASSWORD), trust));
  }

  private static HttpClient tlsClient(boolean withCertificate) throws Exception {
    SSLContext ssl = SSLContext.getInstance("TLS");
    KeyManagerFactory keys = withCertificate ? client.toKeyManagerFactory() : null;
    ssl.init(keys == null ? null : keys.getKeyManagers(), ca.toTrustManagerFactory().getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
  }

  private static BigInteger serial(SSLSession session) throws Exception {
    return ((X509Certificate) session.getPeerCertificates()[0]).getSerialNumber();
  }

  private static String basic(String userAndPassword) {
    return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
  }
}
