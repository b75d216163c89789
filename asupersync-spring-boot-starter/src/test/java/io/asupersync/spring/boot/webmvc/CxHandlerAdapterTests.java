package io.asupersync.spring.boot.webmvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.asupersync.CancelKind;
import io.asupersync.Cx;
import io.asupersync.Runtime;
import io.asupersync.spring.boot.autoconfigure.AsupersyncAutoConfiguration;
import io.asupersync.spring.boot.autoconfigure.observation.AsupersyncObservationAutoConfiguration;
import io.asupersync.spring.boot.autoconfigure.web.AsupersyncWebMvcAutoConfiguration;
import io.asupersync.spring.boot.observation.TraceCorrelation;
import io.asupersync.trace.TraceEvent;
import io.asupersync.trace.TraceKind;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcObservationAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/** Handlers that take a Cx, served by a real Tomcat on 127.0.0.1. */
class CxHandlerAdapterTests {

  private static ConfigurableApplicationContext context;
  private static HttpClient client;
  private static int port;

  @BeforeAll
  static void start() {
    context =
        new SpringApplicationBuilder(TestApplication.class)
            .web(WebApplicationType.SERVLET)
            .properties("server.port=0", "server.address=127.0.0.1", "asupersync.web.request-budget=3s")
            .run();
    port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    context.close();
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20)).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void handlerRunsInARegionThatClosesBeforeTheResponse() throws Exception {
    HttpResponse<String> response = get("/regions/7");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).startsWith("item 7 in region ").endsWith(" on a virtual thread");
    // the handler did not join its child: the region did, before the response was written
    assertThat(TestController.childFinished.get()).isTrue();
  }

  @Test
  void handlerWithoutCxIsLeftToSpring() throws Exception {
    HttpResponse<String> response = get("/plain");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("no region");
  }

  @Test
  void requestAttributesAndLocaleAreCarriedIntoTheRegion() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/carried"))
            .header("Accept-Language", "fr-CA")
            .timeout(Duration.ofSeconds(20))
            .build();

    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(response.body()).isEqualTo("/carried fr_CA");
  }

  @Test
  void checkedExceptionReachesSpringsExceptionHandlingUnchanged() throws Exception {
    HttpResponse<String> response = get("/fails");

    assertThat(response.statusCode()).isEqualTo(507);
    assertThat(response.body()).isEqualTo("IOException: disk gone");
  }

  @Test
  void regionIsObservedAsAChildSpanAndItsEventsCarryTheTraceId() throws Exception {
    SimpleTracer tracer = context.getBean(SimpleTracer.class);

    assertThat(get("/regions/42").statusCode()).isEqualTo(200);

    SimpleSpan regionSpan =
        tracer.getSpans().stream()
            .filter(s -> "asupersync GET /regions/{id}".equals(s.getName()))
            .reduce((first, second) -> second)
            .orElseThrow();
    SimpleSpan serverSpan =
        tracer.getSpans().stream().filter(s -> s.getSpanId().equals(regionSpan.getParentId())).findFirst().orElseThrow();
    assertThat(serverSpan.getTraceId()).isEqualTo(regionSpan.getTraceId());
    assertThat(regionSpan.getTags()).containsEntry("route", "/regions/{id}").containsEntry("outcome", "ok");

    List<TraceEvent> tagged =
        context.getBean(Runtime.class).trace().events(e -> regionSpan.getTraceId().equals(e.attribute("traceId")), 10);
    assertThat(tagged).extracting(TraceEvent::kind).containsExactly(TraceKind.USER, TraceKind.ACCESS);
    TraceEvent access = tagged.getLast();
    assertThat(access.attributes())
        .containsEntry("spanId", regionSpan.getSpanId())
        .containsEntry("method", "GET")
        .containsEntry("route", "/regions/{id}")
        .containsEntry("status", "200")
        .containsEntry("protocol", "http/1.1")
        .containsKey("durationMicros");
    assertThat(access.regionId()).isEqualTo(tagged.getFirst().regionId());
  }

  @Test
  void spentBudgetCancelsTheRegionAnswers503AndIsRecordedOnItsSpan() throws Exception {
    SimpleTracer tracer = context.getBean(SimpleTracer.class);

    HttpResponse<String> response = get("/slow");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(context.getBean(Runtime.class).snapshot().tasks())
        .noneSatisfy(t -> assertThat(t.name()).isEqualTo("slow-child"));
    SimpleSpan span =
        tracer.getSpans().stream()
            .filter(s -> "asupersync GET /slow".equals(s.getName()))
            .reduce((first, second) -> second)
            .orElseThrow();
    assertThat(span.getTags()).containsEntry("outcome", "cancelled");
    assertThat(span.getError()).isInstanceOfSatisfying(
        CancelledRequestException.class, ex -> assertThat(ex.reason().kind()).isEqualTo(CancelKind.DEADLINE));
  }

  @Test
  void requestArrivingDuringShutdownIsRefusedAsCancelled() throws Exception {
    Runtime closed = Runtime.builder().build();
    closed.close();
    CxHandlerAdapter adapter = new CxHandlerAdapter(
        closed, new RequestMappingHandlerAdapter(), Duration.ofSeconds(1), ObservationRegistry.NOOP,
        TraceCorrelation.none());
    HandlerMethod handler = new HandlerMethod(new TestController(), TestController.class.getDeclaredMethod("slow", Cx.class));

    assertThatExceptionOfType(CancelledRequestException.class)
        .isThrownBy(() -> adapter.handle(new MockHttpServletRequest(), new MockHttpServletResponse(), handler))
        .satisfies(ex -> {
          assertThat(ex.reason().kind()).isEqualTo(CancelKind.SHUTDOWN);
          assertThat(ex.getStatusCode().value()).isEqualTo(503);
        });
  }

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration({
    TomcatServletWebServerAutoConfiguration.class,
    DispatcherServletAutoConfiguration.class,
    WebMvcAutoConfiguration.class,
    HttpMessageConvertersAutoConfiguration.class,
    ObservationAutoConfiguration.class,
    MicrometerTracingAutoConfiguration.class,
    WebMvcObservationAutoConfiguration.class,
    AsupersyncAutoConfiguration.class,
    AsupersyncObservationAutoConfiguration.class,
    AsupersyncWebMvcAutoConfiguration.class
  })
  @Import(TestController.class)
  static class TestApplication {

    @Bean
    SimpleTracer simpleTracer() {
      return new SimpleTracer();
    }
  }

  @RestController
  static class TestController {

    static final AtomicBoolean childFinished = new AtomicBoolean();

    @GetMapping("/regions/{id}")
    String region(Cx cx, @PathVariable String id) {
      childFinished.set(false);
      cx.spawn("child", c -> {
        c.sleep(Duration.ofMillis(50));
        childFinished.set(true);
        return null;
      });
      return "item " + id + " in region " + cx.regionId()
          + (Thread.currentThread().isVirtual() ? " on a virtual thread" : " on a platform thread");
    }

    @GetMapping("/plain")
    String plain() {
      return "no region";
    }

    @GetMapping("/carried")
    String carried(Cx cx, java.util.Locale locale) {
      ServletRequestAttributes attributes = (ServletRequestAttributes) RequestContextHolder.currentRequestAttributes();
      return attributes.getRequest().getRequestURI() + " "
          + org.springframework.context.i18n.LocaleContextHolder.getLocale();
    }

    @GetMapping("/slow")
    String slow(Cx cx) {
      cx.spawn("slow-child", c -> {
        c.sleep(Duration.ofMinutes(5));
        return null;
      });
      cx.sleep(Duration.ofMinutes(5));
      return "too late";
    }

    @GetMapping("/fails")
    String fails(Cx cx) throws IOException {
      throw new IOException("disk gone");
    }

    @ExceptionHandler(IOException.class)
    ResponseEntity<String> ioFailure(IOException ex) {
      return ResponseEntity.status(HttpStatus.INSUFFICIENT_STORAGE).body("IOException: " + ex.getMessage());
    }
  }
}
