package io.asupersync.spring.boot.autoconfigure.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Runtime;
import io.asupersync.protocols.client.CallOutcome;
import io.asupersync.protocols.client.ClientCallObserver;
import io.asupersync.protocols.grpc.GrpcClient;
import io.asupersync.protocols.grpc.GrpcRouter;
import io.asupersync.protocols.grpc.GrpcService;
import io.asupersync.protocols.grpc.GrpcStatusException;
import io.asupersync.protocols.grpc.MethodDescriptor;
import io.asupersync.protocols.grpc.StatusCode;
import io.asupersync.protocols.http.HttpResponse;
import io.asupersync.protocols.http.client.ClientRequest;
import io.asupersync.protocols.http.client.HttpClient;
import io.asupersync.spring.boot.Utf8Codec;
import io.asupersync.spring.boot.autoconfigure.AsupersyncAutoConfiguration;
import io.asupersync.spring.boot.autoconfigure.observation.AsupersyncObservationAutoConfiguration;
import io.asupersync.spring.boot.autoconfigure.server.AsupersyncServerAutoConfiguration;
import io.asupersync.spring.boot.client.GrpcClientBuilders;
import io.asupersync.spring.boot.observation.ObservationClientCallObserver;
import io.asupersync.spring.boot.observation.W3cTestPropagator;
import io.asupersync.spring.boot.server.AsupersyncServerCustomizer;
import io.asupersync.spring.boot.server.AsupersyncServerLifecycle;
import io.asupersync.spring.boot.server.ObservationHttpFilter;
import io.asupersync.trace.TraceEvent;
import io.asupersync.trace.TraceKind;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import java.net.URI;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class AsupersyncClientAutoConfigurationTests {

  static final MethodDescriptor<String, String> ECHO =
      MethodDescriptor.unary("test.Traced", "Echo", Utf8Codec.CODEC, Utf8Codec.CODEC);

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(AsupersyncAutoConfiguration.class, AsupersyncClientAutoConfiguration.class))
          .withPropertyValues("asupersync.runtime.shutdown-timeout=2s");

  /** The server of the starter beside the clients, serving {@code GET /items/{id}} and {@link #ECHO}. */
  private final ApplicationContextRunner withServer =
      contextRunner
          .withConfiguration(AutoConfigurations.of(AsupersyncServerAutoConfiguration.class))
          .withPropertyValues("asupersync.server.enabled=true", "asupersync.server.cleartext-port=0")
          .withUserConfiguration(Routes.class);

  /** And Boot's observation and tracing, with a test tracer and a W3C propagator. */
  private final ApplicationContextRunner traced =
      withServer
          .withConfiguration(AutoConfigurations.of(
              ObservationAutoConfiguration.class,
              MicrometerTracingAutoConfiguration.class,
              AsupersyncObservationAutoConfiguration.class))
          .withBean(SimpleTracer.class, SimpleTracer::new)
          .withUserConfiguration(W3cPropagation.class);

  /**
   * {@code GET /items/{id}} and {@link #ECHO}; and relays, whose handlers call those through the clients
   * the context hands out, so that the client call happens inside a server request's observation.
   */
  @Configuration(proxyBeanMethods = false)
  static class Routes {
    @Bean
    AsupersyncServerCustomizer routes(ObjectProvider<HttpClient.Builder> http, ObjectProvider<GrpcClientBuilders> grpc) {
      GrpcRouter router = GrpcRouter.builder()
          .service(GrpcService.builder("test.Traced")
              .unary(ECHO, (cx, call, request) -> {
                if (request.equals("missing")) {
                  throw new GrpcStatusException(StatusCode.NOT_FOUND, "no " + request);
                }
                return request;
              })
              .build())
          .build();
      return server -> router.installOn(server
          .get("/items/{id}", (cx, request) ->
              "0".equals(request.pathParam("id")) ? HttpResponse.text(404, "none") : HttpResponse.ok("item"))
          .get("/relay/http", (cx, request) -> {
            try (HttpClient client = http.getObject().build()) {
              int port = request.localAddress().getPort();
              return HttpResponse.ok(client.send(cx, ClientRequest.get("http://127.0.0.1:" + port + "/items/7")).string(cx));
            }
          })
          .get("/relay/grpc", (cx, request) -> {
            try (GrpcClient client = grpc.getObject().builder("127.0.0.1", request.localAddress().getPort()).build()) {
              return HttpResponse.ok(client.unary(cx, ECHO, "hi"));
            }
          }));
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class W3cPropagation {
    @Bean
    Propagator w3cPropagator(Tracer tracer) {
      return new W3cTestPropagator(tracer);
    }
  }

  // ---- conditions and back-off

  @Test
  void clientBuildersComeWithARuntimeAndTheHttpBuilderIsAPrototype() {
    contextRunner.run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(GrpcClientBuilders.class).doesNotHaveBean(ClientCallObserver.class);
      assertThat(context.getBean(HttpClient.Builder.class)).isNotSameAs(context.getBean(HttpClient.Builder.class));
    });
  }

  @Test
  void observerIsAnObservationWhenThereIsARegistry() {
    contextRunner.withBean(ObservationRegistry.class, ObservationRegistry::create)
        .run(context -> assertThat(context).getBean(ClientCallObserver.class).isInstanceOf(ObservationClientCallObserver.class));
  }

  @Test
  void observerBacksOffWithoutMicrometerObservationOnTheClasspath() {
    contextRunner.withClassLoader(new FilteredClassLoader(ObservationRegistry.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ClientCallObserver.class)
            .hasSingleBean(GrpcClientBuilders.class));
  }

  @Test
  void clientsBackOffWithoutTheProtocolClientsOnTheClasspath() {
    contextRunner.withClassLoader(new FilteredClassLoader(HttpClient.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(GrpcClientBuilders.class)
            .doesNotHaveBean(HttpClient.Builder.class));
  }

  @Test
  void clientsBackOffWithoutARuntime() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsupersyncClientAutoConfiguration.class))
        .withBean(ObservationRegistry.class, ObservationRegistry::create)
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(GrpcClientBuilders.class)
            .doesNotHaveBean(HttpClient.Builder.class).doesNotHaveBean(ClientCallObserver.class));
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnClients {
    @Bean
    GrpcClientBuilders myGrpcClientBuilders(Runtime runtime) {
      return new GrpcClientBuilders(runtime.trace(), ClientCallObserver.none());
    }

    @Bean
    HttpClient.Builder myHttpClientBuilder(Runtime runtime) {
      return HttpClient.builder(runtime);
    }

    @Bean
    ClientCallObserver myObserver() {
      return ClientCallObserver.none();
    }
  }

  @Test
  void applicationBeansReplaceTheStartersOwn() {
    contextRunner.withBean(ObservationRegistry.class, ObservationRegistry::create)
        .withUserConfiguration(OwnClients.class)
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(GrpcClientBuilders.class).hasBean("myGrpcClientBuilders");
          assertThat(context).getBean(ClientCallObserver.class).isSameAs(ClientCallObserver.none());
          assertThat(context.getBean(HttpClient.Builder.class)).isSameAs(context.getBean("myHttpClientBuilder"));
        });
  }

  @Test
  void applicationObserverSeesTheCallsOfTheClientsTheContextHandsOut() {
    BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    ClientCallObserver mine = call -> {
      seen.add("start " + call.operation());
      return outcome -> seen.add("end " + outcome);
    };
    withServer.withBean(ObservationRegistry.class, ObservationRegistry::create)
        .withBean(ClientCallObserver.class, () -> mine)
        .run(context -> {
          assertThat(context).doesNotHaveBean(ObservationClientCallObserver.class);
          int port = port(context);
          Runtime runtime = context.getBean(Runtime.class);
          try (HttpClient http = context.getBean(HttpClient.Builder.class).build();
              GrpcClient grpc = context.getBean(GrpcClientBuilders.class).builder("127.0.0.1", port).build()) {
            runtime.run(cx -> http.send(cx, ClientRequest.get("http://127.0.0.1:" + port + "/items/1")).string(cx)).orThrow();
            runtime.run(cx -> grpc.unary(cx, ECHO, "x")).orThrow();
          }
          List<String> events = new ArrayList<>();
          for (int i = 0; i < 4; i++) {
            events.add(seen.poll(10, TimeUnit.SECONDS));
          }
          assertThat(events).containsExactly(
              "start GET", "end " + new CallOutcome.HttpStatus(200),
              "start test.Traced/Echo", "end " + new CallOutcome.GrpcStatus(io.asupersync.protocols.grpc.Status.OK));
        });
  }

  // ---- observations and traces

  @Test
  void clientObservationHasLowCardinalityTagsOnly() {
    List<Observation.Context> calls = new CopyOnWriteArrayList<>();
    ObservationRegistry registry = ObservationRegistry.create();
    registry.observationConfig().observationHandler(new ObservationHandler<>() {
      @Override
      public void onStop(Observation.Context context) {
        if (context.getName().equals(ObservationClientCallObserver.OBSERVATION_NAME)) {
          calls.add(context);
        }
      }

      @Override
      public boolean supportsContext(Observation.Context context) {
        return true;
      }
    });
    withServer.withBean(ObservationRegistry.class, () -> registry).run(context -> {
      int port = port(context);
      Runtime runtime = context.getBean(Runtime.class);
      try (HttpClient http = context.getBean(HttpClient.Builder.class).build();
          GrpcClient grpc = context.getBean(GrpcClientBuilders.class).builder("127.0.0.1", port).build()) {
        runtime.run(cx -> http.send(cx, ClientRequest.get("http://127.0.0.1:" + port + "/items/0")).string(cx)).orThrow();
        runtime.run(cx -> grpc.unary(cx, ECHO, "missing"));
      }
      assertThat(calls).hasSize(2);
      assertThat(calls.get(0).getLowCardinalityKeyValues().stream().map(Object::toString)).containsExactlyInAnyOrder(
          "keyValue(method=GET)", "keyValue(outcome=CLIENT_ERROR)", "keyValue(protocol=http)", "keyValue(status=404)");
      assertThat(calls.get(0).getHighCardinalityKeyValue("path").getValue()).isEqualTo("/items/0");
      assertThat(calls.get(0).getContextualName()).isEqualTo("http get");
      assertThat(calls.get(1).getLowCardinalityKeyValues().stream().map(Object::toString)).containsExactlyInAnyOrder(
          "keyValue(method=test.Traced/Echo)", "keyValue(outcome=ERROR)", "keyValue(protocol=grpc)", "keyValue(status=NOT_FOUND)");
      assertThat(calls.get(1).getError()).isInstanceOf(GrpcStatusException.class);
    });
  }

  @Test
  void httpClientCallIsAClientSpanWhoseTraceTheServerContinues() {
    traced.run(context -> assertContinued(context, "/relay/http", "item", "http get", "GET /items/{id}"));
  }

  @Test
  void grpcClientCallIsAClientSpanWhoseTraceTheServerContinues() {
    traced.run(context -> assertContinued(context, "/relay/grpc", "hi", "test.Traced/Echo", "POST " + GrpcRouter.ROUTE));
  }

  /**
   * A request with a {@code traceparent} reaches a relay whose handler calls the server again: the
   * client span is a child of the relay's span, the called request's span a child of the client span,
   * all in the caller's trace; the client's trace event carries the client span's ids.
   */
  private static void assertContinued(
      AssertableApplicationContext context, String relay, String expected, String clientSpan, String calledSpan)
      throws Exception {
    String traceId = "0af7651916cd43dd8448eb211c80319c";
    try (java.net.http.HttpClient jdk = java.net.http.HttpClient.newHttpClient()) {
      var response = jdk.send(
          java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(context) + relay))
              .header("traceparent", "00-" + traceId + "-b7ad6b7169203331-01")
              .timeout(Duration.ofSeconds(10))
              .build(),
          BodyHandlers.ofString());
      assertThat(response.body()).isEqualTo(expected);
    }
    SimpleTracer tracer = context.getBean(SimpleTracer.class);
    SimpleSpan relaySpan = span(tracer, "GET " + relay);
    SimpleSpan client = span(tracer, clientSpan);
    SimpleSpan called = span(tracer, calledSpan);
    assertThat(relaySpan.getTraceId()).isEqualTo(traceId);
    assertThat(relaySpan.getParentId()).isEqualTo("b7ad6b7169203331");
    assertThat(client.getKind()).isEqualTo(Span.Kind.CLIENT);
    assertThat(client.getTraceId()).isEqualTo(traceId);
    assertThat(client.getParentId()).isEqualTo(relaySpan.getSpanId());
    assertThat(called.getKind()).isEqualTo(Span.Kind.SERVER);
    assertThat(called.getTraceId()).isEqualTo(traceId);
    assertThat(called.getParentId()).isEqualTo(client.getSpanId()).isNotEmpty();
    TraceEvent call = context.getBean(Runtime.class).trace()
        .events(e -> e.kind() == TraceKind.CLIENT_CALL, 10).getLast();
    assertThat(call.attributes())
        .containsEntry("traceId", traceId)
        .containsEntry("spanId", client.getSpanId());
  }

  private static SimpleSpan span(SimpleTracer tracer, String name) {
    return tracer.getSpans().stream().filter(s -> name.equals(s.getName())).findFirst()
        .orElseThrow(() -> new AssertionError("no span '" + name + "' in " + tracer.getSpans()));
  }

  private static int port(AssertableApplicationContext context) {
    return context.getEnvironment().getRequiredProperty(AsupersyncServerLifecycle.CLEARTEXT_PORT_PROPERTY, Integer.class);
  }
}
