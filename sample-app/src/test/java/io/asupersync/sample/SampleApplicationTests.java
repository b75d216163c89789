package io.asupersync.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Cx;
import io.asupersync.Obligation;
import io.asupersync.ObligationKind;
import io.asupersync.Runtime;
import io.asupersync.interop.TestServiceMethods;
import io.asupersync.protocols.grpc.GrpcClient;
import io.asupersync.protocols.grpc.GrpcHealth;
import io.asupersync.protocols.grpc.GrpcHealth.ServingStatus;
import io.asupersync.spring.boot.autoconfigure.AsupersyncRuntimeProperties;
import io.asupersync.spring.boot.autoconfigure.AsupersyncServerProperties;
import io.asupersync.spring.boot.autoconfigure.web.AsupersyncWebProperties;
import io.asupersync.testsupport.PythonGrpcio;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {"server.address=127.0.0.1", "asupersync.server.cleartext-port=0", "asupersync.server.tls-port=0"})
class SampleApplicationTests {

  private static final String OPERATOR = "operator:asupersync-demo";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @LocalServerPort
  private int port;

  @Autowired
  private AsupersyncRuntimeProperties properties;

  @Autowired
  private AsupersyncServerProperties serverProperties;

  @Autowired
  private AsupersyncWebProperties webProperties;

  @Autowired
  private Runtime runtime;

  @Autowired
  private SimpleTracer tracer;

  @Autowired
  private InMemoryUserDetailsManager users;

  @Autowired
  private SslBundles sslBundles;

  @Value("${local.asupersync.cleartext-port}")
  private int cleartextPort;

  @Value("${local.asupersync.tls-port}")
  private int tlsPort;

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void closeClient() {
    client.close();
  }

  private HttpResponse<String> get(String pathAndQuery, String... credentials) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).timeout(Duration.ofSeconds(20));
    for (String userAndPassword : credentials) {
      request.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8)));
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode getJson(String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<String> response = get(pathAndQuery, OPERATOR);
    assertThat(response.statusCode()).as("GET %s", pathAndQuery).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  @Test
  void starterIsAutoConfiguredFromApplicationYml() {
    // values of application.yml that differ from the starter's defaults
    assertThat(serverProperties.enabled()).isTrue();
    assertThat(serverProperties.ssl().bundle()).isEqualTo("asupersync-dev");
    assertThat(serverProperties.ssl().clientAuth()).isEqualTo(AsupersyncServerProperties.ClientAuth.WANT);
    assertThat(webProperties.requestBudget()).isEqualTo(Duration.ofSeconds(10));
    assertThat(webProperties.requestBudget()).isNotEqualTo(properties.defaultRequestBudget());
  }

  @Test
  void helloAnswersPlainTextOverRealHttp() throws Exception {
    HttpResponse<String> response = get("/hello");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/plain"));
    assertThat(response.body()).isEqualTo(HelloController.GREETING);
  }

  @Test
  void fanOutRunsEveryWorkerInTheRequestScope() throws Exception {
    HttpResponse<String> response = get("/fanout?workers=5&delayMs=1");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"status\":\"ok\"").contains("[0,1,4,9,16]");
  }

  @Test
  void fanOutPastItsTimeoutIsCancelledAndLeavesNothingRunning() throws Exception {
    HttpResponse<String> response = get("/fanout?workers=50&delayMs=60000&timeoutMs=50");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).contains("\"cancelKind\":\"TIMEOUT\"");
    assertThat(runtime.snapshot().tasks()).noneSatisfy(t -> assertThat(t.name()).startsWith("worker-"));
  }

  @Test
  void raceReturnsTheFastestReplicaAfterDrainingTheOthers() throws Exception {
    JsonNode race = JSON.readTree(get("/race?delaysMs=60000,0,60000").body());

    assertThat(race.get("winner").asString()).isEqualTo("replica-1");
    assertThat(race.get("replicasEnded").asInt()).isEqualTo(3);
  }

  @Test
  void securityContextIsCarriedIntoTheRequestRegion() throws Exception {
    assertThat(get("/test/whoami", OPERATOR).body()).isEqualTo("operator");
  }

  @Test
  void unknownPathIsNotFound() throws Exception {
    assertThat(get("/nope").statusCode()).isEqualTo(404);
  }

  @Test
  void actuatorEndpointsOtherThanHealthNeedCredentials() throws Exception {
    for (String path : List.of("/actuator/asupersync", "/actuator/asupersync/leaks", "/actuator/asupersynctrace",
        "/actuator/metrics")) {
      HttpResponse<String> response = get(path);
      assertThat(response.statusCode()).as("GET %s", path).isEqualTo(401);
      assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
          value -> assertThat(value).startsWith("Basic"));
    }
    assertThat(get("/actuator/asupersync", "operator:wrong").statusCode()).isEqualTo(401);
    assertThat(get("/actuator/health").statusCode()).isNotEqualTo(401);
  }

  @Test
  void asupersyncEndpointsNeedTheRoleNotJustALogin() throws Exception {
    if (!users.userExists("viewer")) {
      users.createUser(User.withUsername("viewer").password("{noop}viewer").roles("ACTUATOR").build());
    }

    assertThat(get("/actuator/asupersync", "viewer:viewer").statusCode()).isEqualTo(403);
    assertThat(get("/actuator/asupersynctrace", "viewer:viewer").statusCode()).isEqualTo(403);
    assertThat(get("/actuator/metrics", "viewer:viewer").statusCode()).isEqualTo(200);
  }

  @Test
  void summaryHasTheDocumentedShape() throws Exception {
    JsonNode summary = getJson("/actuator/asupersync");

    assertThat(summary.propertyNames())
        .containsExactlyInAnyOrder("takenAt", "shutdown", "tasks", "regions", "obligations", "cancellations", "trace");
    assertThat(summary.get("shutdown").asBoolean()).isFalse();
    assertThat(summary.get("tasks").propertyNames())
        .containsExactlyInAnyOrder("active", "spawned", "completed", "cancelled", "failed", "panicked", "stragglers");
    assertThat(summary.get("regions").has("active")).isTrue();
    assertThat(summary.get("obligations").propertyNames()).containsExactlyInAnyOrder("active", "leaked");
    assertThat(summary.get("cancellations").has("DEADLINE")).isTrue();
    assertThat(summary.get("trace").propertyNames()).containsExactlyInAnyOrder("capacity", "dropped");
    assertThat(summary.get("takenAt").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
  }

  @Test
  void selectorsHaveTheDocumentedShape() throws Exception {
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    runtime.spawn("lease-holder", cx -> {
      Obligation lease = cx.reserve(ObligationKind.LEASE, "held while the test looks");
      holding.countDown();
      release.await();
      lease.commit();
      return null;
    });
    holding.await();
    try {
      JsonNode regions = getJson("/actuator/asupersync/regions");
      JsonNode tasks = getJson("/actuator/asupersync/tasks");
      JsonNode obligations = getJson("/actuator/asupersync/obligations");

      assertThat(regions.propertyNames()).containsExactlyInAnyOrder("takenAt", "regions");
      // fields that are null (no cancel reason, no deadline) are left out
      assertThat(regions.get("regions").get(0).propertyNames()).containsExactlyInAnyOrder(
          "id", "parentId", "ownerTaskId", "state", "policy", "taskIds", "childRegionIds");
      assertThat(tasks.propertyNames()).containsExactlyInAnyOrder("takenAt", "tasks");
      JsonNode task = find(tasks.get("tasks"), "name", "lease-holder");
      assertThat(task.propertyNames()).containsExactlyInAnyOrder("id", "name", "regionId", "state", "straggler");
      assertThat(obligations.propertyNames()).containsExactlyInAnyOrder("takenAt", "obligations");
      JsonNode lease = find(obligations.get("obligations"), "description", "held while the test looks");
      assertThat(lease.propertyNames()).containsExactlyInAnyOrder(
          "id", "kind", "description", "state", "taskId", "regionId");
      assertThat(lease.get("state").asString()).isEqualTo("RESERVED");
      assertThat(lease.get("taskId").asLong()).isEqualTo(task.get("id").asLong());
    } finally {
      release.countDown();
    }
    assertThat(get("/actuator/asupersync/threads", OPERATOR).statusCode()).isEqualTo(404);
  }

  private static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode element : array) {
      if (value.equals(element.get(field).asString())) {
        return element;
      }
    }
    throw new AssertionError("no element with " + field + "=" + value + " in " + array);
  }

  @Test
  void leakedObligationShowsInLeaksMetricsAndHealth() throws Exception {
    assertThat(getJson("/actuator/health").get("status").asString()).isEqualTo("UP");

    assertThat(get("/test/leak").statusCode()).isEqualTo(200);

    JsonNode leaks = getJson("/actuator/asupersync/leaks");
    assertThat(leaks.get("total").asLong()).isPositive();
    JsonNode leak = leaks.get("leaks").get(leaks.get("leaks").size() - 1);
    assertThat(leak.get("obligation").get("description").asString()).isEqualTo(LeakingController.DESCRIPTION);
    assertThat(leak.get("obligation").get("kind").asString()).isEqualTo("ACK");
    assertThat(leak.get("obligation").get("state").asString()).isEqualTo("LEAKED");
    assertThat(leak.get("response").asString()).isEqualTo("LOG");

    JsonNode metric = getJson("/actuator/metrics/asupersync.obligations.leaked");
    assertThat(metric.get("measurements").get(0).get("value").asDouble()).isGreaterThanOrEqualTo(1.0);

    HttpResponse<String> health = get("/actuator/health", OPERATOR);
    assertThat(health.statusCode()).isEqualTo(503);
    JsonNode asupersync = JSON.readTree(health.body()).get("components").get("asupersync");
    assertThat(asupersync.get("status").asString()).isEqualTo("DOWN");
    assertThat(asupersync.get("details").get("obligationsLeaked").asLong()).isPositive();
  }

  @Test
  void traceEventsOfARequestAreFoundByItsTraceIdAndItsRegionIsASpan() throws Exception {
    assertThat(get("/fanout?workers=3&delayMs=1").statusCode()).isEqualTo(200);

    SimpleSpan regionSpan = lastSpanNamed("asupersync GET /fanout");
    assertThat(tracer.getSpans())
        .anySatisfy(server -> {
          assertThat(server.getSpanId()).isEqualTo(regionSpan.getParentId());
          assertThat(server.getTraceId()).isEqualTo(regionSpan.getTraceId());
        });

    JsonNode trace = getJson("/actuator/asupersynctrace?traceId=" + regionSpan.getTraceId() + "&limit=1000");
    assertThat(trace.propertyNames()).containsExactlyInAnyOrder("capacity", "dropped", "lastSequence", "events");
    List<String> kinds = new ArrayList<>();
    trace.get("events").forEach(event -> kinds.add(event.get("kind").asString()));
    assertThat(kinds).contains("USER", "ACCESS", "REGION_OPENED", "TASK_SPAWNED");
    JsonNode access = null;
    for (JsonNode event : trace.get("events")) {
      if (event.get("kind").asString().equals("ACCESS")) {
        access = event;
      }
    }
    assertThat(access).isNotNull();
    assertThat(access.propertyNames()).containsExactlyInAnyOrder(
        "sequence", "time", "kind", "taskId", "regionId", "obligationId", "attributes", "hash");
    JsonNode attributes = access.get("attributes");
    assertThat(attributes.get("traceId").asString()).isEqualTo(regionSpan.getTraceId());
    assertThat(attributes.get("spanId").asString()).isEqualTo(regionSpan.getSpanId());
    assertThat(attributes.get("route").asString()).isEqualTo("/fanout");
    assertThat(attributes.get("status").asString()).isEqualTo("200");
  }

  @Test
  void helloOnTheAsupersyncCleartextPortOverHttp1() throws Exception {
    try (HttpClient h1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      HttpResponse<String> response = h1.send(asupersync("http", cleartextPort, "/hello"), BodyHandlers.ofString());

      assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(HelloController.GREETING);
    }
  }

  @Test
  void webSocketEchoOnTheAsupersyncCleartextPort() throws Exception {
    CompletableFuture<String> echoed = new CompletableFuture<>();
    WebSocket.Listener listener = new WebSocket.Listener() {
      private final StringBuilder text = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
          echoed.complete(text.toString());
        }
        webSocket.request(1);
        return null;
      }

      @Override
      public void onError(WebSocket webSocket, Throwable error) {
        echoed.completeExceptionally(error);
      }
    };
    WebSocket socket = client.newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + cleartextPort + "/ws/echo"), listener)
        .get(10, TimeUnit.SECONDS);

    socket.sendText("hello, echo", true).get(10, TimeUnit.SECONDS);

    assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo("hello, echo");
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
  }

  @Test
  void helloOnTheAsupersyncCleartextPortOverH2cUpgrade() throws Exception {
    try (HttpClient h2c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
      HttpResponse<String> response = h2c.send(asupersync("http", cleartextPort, "/hello"), BodyHandlers.ofString());

      assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(response.body()).isEqualTo(HelloController.GREETING);
    }
  }

  @Test
  void helloOnTheAsupersyncTlsPortOverH2TrustingTheDevelopmentCertificate() throws Exception {
    try (HttpClient tls = tlsClient(null)) {
      HttpResponse<String> response = tls.send(asupersync("https", tlsPort, "/hello"), BodyHandlers.ofString());

      assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(response.sslSession()).hasValueSatisfying(
          session -> assertThat(session.getProtocol()).isIn("TLSv1.3", "TLSv1.2"));
      assertThat(response.body()).isEqualTo(HelloController.GREETING);
      assertThat(tls.send(asupersync("https", tlsPort, "/whoami"), BodyHandlers.ofString()).body())
          .isEqualTo("anonymous");
    }
  }

  @Test
  void developmentClientCertificateAndBasicCredentialsAuthenticateOnTheAsupersyncServer() throws Exception {
    SslBundle identity = SslBundle.of(new PemSslStoreBundle(
        PemSslStoreDetails.forCertificate("classpath:dev-tls/client.crt").withPrivateKey("classpath:dev-tls/client.key"),
        null));
    try (HttpClient mtls = tlsClient(identity)) {
      assertThat(mtls.send(asupersync("https", tlsPort, "/whoami"), BodyHandlers.ofString()).body())
          .isEqualTo("sample-client");
    }
    HttpRequest basic = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cleartextPort + "/whoami"))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(OPERATOR.getBytes(StandardCharsets.UTF_8)))
        .build();
    assertThat(client.send(basic, BodyHandlers.ofString()).body()).isEqualTo("operator");
    HttpRequest wrong = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cleartextPort + "/whoami"))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("operator:x".getBytes(StandardCharsets.UTF_8)))
        .build();
    HttpResponse<String> refused = client.send(wrong, BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("www-authenticate")).isPresent();
  }

  @Test
  void asupersyncServerRequestIsASpanWhoseIdsTagTheRegionEvents() throws Exception {
    assertThat(client.send(asupersync("http", cleartextPort, "/hello"), BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);

    SimpleSpan span = lastSpanNamed("GET /hello");
    JsonNode trace = getJson("/actuator/asupersynctrace?traceId=" + span.getTraceId() + "&limit=100");
    List<JsonNode> events = new ArrayList<>();
    trace.get("events").forEach(events::add);
    assertThat(events).anySatisfy(event -> assertThat(event.get("kind").asString()).isEqualTo("REGION_OPENED"));
    assertThat(events).anySatisfy(event -> {
      assertThat(event.get("kind").asString()).isEqualTo("USER");
      assertThat(event.get("attributes").get("name").asString()).isEqualTo("http.request");
      assertThat(event.get("attributes").get("spanId").asString()).isEqualTo(span.getSpanId());
      assertThat(event.get("attributes").get("route").asString()).isEqualTo("/hello");
    });
  }

  @Test
  void grpcHealthAndTestServiceAnswerOnTheCleartextPort() throws Exception {
    try (GrpcClient grpc = GrpcClient.builder("127.0.0.1", cleartextPort).build()) {
      assertGrpcServes(grpc);
    }
  }

  @Test
  void grpcHealthAndTestServiceAnswerOnTheTlsPortOverAlpnH2() throws Exception {
    SslContext tls = SslContextBuilder.forClient()
        .trustManager(sslBundles.getBundle("asupersync-dev").getManagers().getTrustManagerFactory())
        .applicationProtocolConfig(new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_2))
        .build();
    try (GrpcClient grpc = GrpcClient.builder("127.0.0.1", tlsPort).authority("localhost").tls(tls).build()) {
      assertGrpcServes(grpc);
    }
  }

  private void assertGrpcServes(GrpcClient grpc) throws Exception {
    assertThat(runtime.run(cx -> grpc.unary(cx, GrpcHealth.CHECK, "")).orThrow()).isEqualTo(ServingStatus.SERVING);
    assertThat(runtime.run(cx -> grpc.unary(cx, GrpcHealth.CHECK, TestServiceMethods.SERVICE)).orThrow())
        .isEqualTo(ServingStatus.SERVING);
    assertThat(runtime.run(cx -> grpc.unary(cx, TestServiceMethods.EMPTY_CALL, Empty.getDefaultInstance())).orThrow())
        .isEqualTo(Empty.getDefaultInstance());
    SimpleRequest request = SimpleRequest.newBuilder().setResponseSize(314).build();
    assertThat(runtime.run(cx -> grpc.unary(cx, TestServiceMethods.UNARY_CALL, request)).orThrow().getPayload().getBody().size())
        .isEqualTo(314);
  }

  /** The README's python3 grpcio commands, hex-printing each answer: health Check, EmptyCall, UnaryCall. */
  private static final String PYTHON_GRPC_CALLS = """
      import sys, grpc
      port, ca = sys.argv[1], sys.argv[2:]
      channel = (grpc.secure_channel("localhost:" + port, grpc.ssl_channel_credentials(open(ca[0], "rb").read()))
                 if ca else grpc.insecure_channel("localhost:" + port))
      print("health", channel.unary_unary("/grpc.health.v1.Health/Check")(b"", timeout=10).hex())
      print("empty", channel.unary_unary("/grpc.testing.TestService/EmptyCall")(b"", timeout=10).hex())
      print("unary", channel.unary_unary("/grpc.testing.TestService/UnaryCall")(b"\\x10\\x04", timeout=10).hex())
      """;

  @Test
  void pythonGrpcioCallsHealthAndTestServiceOnBothPorts() throws Exception {
    PythonGrpcio.require();
    // HealthCheckResponse{status: SERVING}; Empty; SimpleResponse{payload{body: 4 zero bytes}} for response_size 4
    String expected = "health 0801\nempty \nunary 0a06120400000000\n";
    assertThat(python(PYTHON_GRPC_CALLS, Integer.toString(cleartextPort))).isEqualTo(expected);
    assertThat(python(PYTHON_GRPC_CALLS, Integer.toString(tlsPort), "src/main/resources/dev-tls/ca.crt")).isEqualTo(expected);
  }

  private static String python(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(PythonGrpcio.PYTHON, "-c"));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("python3 finished").isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  private static HttpRequest asupersync(String scheme, int port, String path) {
    return HttpRequest.newBuilder(URI.create(scheme + "://localhost:" + port + path)).timeout(Duration.ofSeconds(20))
        .build();
  }

  /** A client trusting the sample's development CA, presenting {@code identity}'s certificate when given. */
  private HttpClient tlsClient(SslBundle identity) throws Exception {
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(
        identity == null ? null : identity.getManagers().getKeyManagers(),
        sslBundles.getBundle("asupersync-dev").getManagers().getTrustManagers(),
        null);
    return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
  }

  private SimpleSpan lastSpanNamed(String name) {
    return tracer.getSpans().stream()
        .filter(span -> name.equals(span.getName()))
        .reduce((first, second) -> second)
        .orElseThrow(() -> new AssertionError("no span named " + name + " in " + tracer.getSpans()));
  }

  /** Test-only: a tracer that records spans, and an endpoint that leaks an obligation on purpose. */
  @TestConfiguration(proxyBeanMethods = false)
  static class TestBeans {

    @Bean
    SimpleTracer simpleTracer() {
      return new SimpleTracer();
    }

    @Bean
    LeakingController leakingController() {
      return new LeakingController();
    }
  }

  @RestController
  static class LeakingController {

    static final String DESCRIPTION = "sample test leak";

    @GetMapping("/test/whoami")
    String whoami(Cx cx) {
      var authentication = SecurityContextHolder.getContext().getAuthentication();
      return authentication == null ? "nobody" : authentication.getName();
    }

    @GetMapping("/test/leak")
    String leak(Cx cx) {
      cx.reserve(ObligationKind.ACK, DESCRIPTION); // neither committed nor aborted: a leak
      return "leaked";
    }
  }
}
