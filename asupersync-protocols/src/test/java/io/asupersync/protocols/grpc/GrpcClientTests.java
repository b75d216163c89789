package io.asupersync.protocols.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.Runtime;
import io.asupersync.protocols.http.HttpHeaders;
import io.asupersync.protocols.http.HttpResponse;
import io.asupersync.trace.TraceKind;
import java.net.ServerSocket;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Our client's own rules: its limits, metadata names, non-gRPC answers and lost peers. */
@Timeout(60)
class GrpcClientTests {

  static GrpcTestServer fixture;

  @BeforeAll
  static void start() {
    fixture = new GrpcTestServer(
        runtime -> GrpcRouter.builder().service(GrpcServerTests.probe()).build(),
        server -> server
            .post("/plain/unavailable", (cx, request) -> HttpResponse.text(503, "down for maintenance"))
            .post("/plain/html", (cx, request) -> HttpResponse.status(200).contentType("text/html").body("<p>hi</p>").build()));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static void assertStatus(ThrowingCallable call, StatusCode code) {
    assertThatThrownBy(call).isInstanceOfSatisfying(GrpcStatusException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  private static <T> T call(GrpcClient client, MethodDescriptor<String, String> method, String request) throws Exception {
    @SuppressWarnings("unchecked")
    T response = (T) fixture.runtime.run(cx -> client.unary(cx, method, request)).orThrow();
    return response;
  }

  @Test
  void responseOverTheClientsInboundLimitIsResourceExhausted() throws Exception {
    try (GrpcClient small = GrpcClient.builder("127.0.0.1", fixture.port()).limits(GrpcLimits.defaults().withMaxInboundMessageBytes(100)).build()) {
      assertThat((String) call(small, GrpcServerTests.BIG, "100")).hasSize(100);
      assertStatus(() -> call(small, GrpcServerTests.BIG, "101"), StatusCode.RESOURCE_EXHAUSTED);
    }
  }

  @Test
  void responseMetadataOverTheClientsLimitIsResourceExhausted() {
    try (GrpcClient small = GrpcClient.builder("127.0.0.1", fixture.port()).limits(GrpcLimits.defaults().withMaxMetadataBytes(64)).build()) {
      assertStatus(() -> call(small, GrpcServerTests.ECHO, "x"), StatusCode.RESOURCE_EXHAUSTED);
    }
  }

  @Test
  void requestOverTheClientsOutboundLimitFailsBeforeSending() {
    try (GrpcClient small = GrpcClient.builder("127.0.0.1", fixture.port()).limits(GrpcLimits.defaults().withMaxOutboundMessageBytes(10)).build()) {
      assertStatus(() -> call(small, GrpcServerTests.ECHO, "eleven char"), StatusCode.RESOURCE_EXHAUSTED);
    }
  }

  @Test
  void nonGrpcAnswersGetASynthesizedStatus() {
    MethodDescriptor<String, String> unavailable = MethodDescriptor.unary("plain", "unavailable", Utf8Codec.INSTANCE, Utf8Codec.INSTANCE);
    MethodDescriptor<String, String> html = MethodDescriptor.unary("plain", "html", Utf8Codec.INSTANCE, Utf8Codec.INSTANCE);
    assertStatus(() -> call(fixture.client, unavailable, "x"), StatusCode.UNAVAILABLE);
    assertStatus(() -> call(fixture.client, html, "x"), StatusCode.UNKNOWN);
  }

  @Test
  void reservedOrMalformedMetadataNamesAreRefused() {
    for (String name : new String[] {"grpc-status", "grpc-anything", "content-type", "te", "bad name", "x-ü"}) {
      assertThatThrownBy(() -> fixture.runtime.run(cx -> fixture.client.unary(cx, GrpcServerTests.ECHO, "x", HttpHeaders.of(name, "v"))).orThrow())
          .as(name)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void unreachableServerIsUnavailable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (GrpcClient nowhere = GrpcClient.builder("127.0.0.1", closedPort).build()) {
      assertStatus(() -> call(nowhere, GrpcServerTests.ECHO, "x"), StatusCode.UNAVAILABLE);
    }
  }

  @Test
  void finishedCallsAreTracedWithTheirStatus() throws Exception {
    try (Runtime runtime = Runtime.builder().build();
        GrpcClient traced = GrpcClient.builder("127.0.0.1", fixture.port()).trace(runtime.trace()).build()) {
      runtime.run(cx -> traced.unary(cx, GrpcServerTests.ECHO, "x")).orThrow();
      assertThat(runtime.trace().events(e -> e.kind() == TraceKind.CLIENT_CALL, 10))
          .singleElement()
          .satisfies(e -> assertThat(e.attributes()).containsEntry("protocol", "grpc").containsEntry("operation", GrpcServerTests.ECHO.fullName()).containsEntry("result", "OK"));
    }
  }
}
