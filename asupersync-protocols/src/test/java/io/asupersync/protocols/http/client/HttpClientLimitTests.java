package io.asupersync.protocols.http.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.Runtime;
import io.asupersync.protocols.http.Http1Limits;
import io.asupersync.protocols.http.Http2Limits;
import io.asupersync.protocols.http.client.HttpClientException.Reason;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each response limit is hit over a real socket, gives its typed reason, and the pool still serves afterwards. */
class HttpClientLimitTests {
  static Runtime runtime;

  @BeforeAll
  static void start() {
    runtime = Runtime.builder().build();
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  private static Http1Limits limits(int statusLine, int headerBytes, int headers, long body) {
    return new Http1Limits(statusLine, headerBytes, headers, body, Duration.ofSeconds(10), Duration.ofSeconds(60), 1000, true);
  }

  private static HttpClient client(boolean h2, Http1Limits limits) throws Exception {
    return HttpClient.builder(runtime).cleartextHttp2(h2).http1Limits(limits).build();
  }

  private static String get(HttpClient client, TestHttpServer server, String path) throws Exception {
    return runtime.run(cx -> client.send(cx, ClientRequest.get(server.uri(path))).string(cx)).orThrow();
  }

  private static void assertFails(HttpClient client, TestHttpServer server, String path, Reason reason) {
    assertThatThrownBy(() -> get(client, server, path))
        .isInstanceOfSatisfying(HttpClientException.class, e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
    assertThat(assertDoesNotThrow(() -> get(client, server, "/hello"))).isEqualTo("hello");
  }

  private static String assertDoesNotThrow(org.junit.jupiter.api.function.ThrowingSupplier<String> call) {
    return org.junit.jupiter.api.Assertions.assertDoesNotThrow(call);
  }

  @ParameterizedTest(name = "h2c={0}")
  @ValueSource(booleans = {false, true})
  void declaredBodyOverTheLimitFailsAtTheHeaders(boolean h2) throws Exception {
    try (TestHttpServer server = HttpClientTests.server(h2); HttpClient client = client(h2, limits(8192, 65536, 128, 10_000))) {
      assertFails(client, server, "/bytes?n=20000", Reason.BODY_TOO_LARGE);
    }
  }

  @ParameterizedTest(name = "h2c={0}")
  @ValueSource(booleans = {false, true})
  void streamedBodyOverTheLimitFailsWhileReading(boolean h2) throws Exception {
    try (TestHttpServer server = HttpClientTests.server(h2); HttpClient client = client(h2, limits(8192, 65536, 128, 10_000))) {
      assertThat(get(client, server, "/chunked?n=10000")).hasSize(10_000);
      assertFails(client, server, "/chunked?n=20000", Reason.BODY_TOO_LARGE);
    }
  }

  @ParameterizedTest(name = "h2c={0}")
  @ValueSource(booleans = {false, true})
  void tooManyHeaderFieldsAreRefused(boolean h2) throws Exception {
    try (TestHttpServer server = HttpClientTests.server(h2); HttpClient client = client(h2, limits(8192, 65536, 10, 1 << 20))) {
      assertThat(get(client, server, "/headers?n=5")).isEmpty();
      assertFails(client, server, "/headers?n=20", Reason.TOO_MANY_HEADERS);
    }
  }

  @Test
  void http1HeaderBlockOverTheLimitIsRefused() throws Exception {
    try (TestHttpServer server = TestHttpServer.http1(); HttpClient client = client(false, limits(8192, 4096, 128, 1 << 20))) {
      assertFails(client, server, "/bigheader?n=8000", Reason.HEADERS_TOO_LARGE);
    }
  }

  @Test
  void http2HeaderListOverTheLimitIsRefused() throws Exception {
    Http2Limits d = Http2Limits.defaults();
    Http2Limits small = new Http2Limits(d.maxFrameSize(), 4096, d.maxConcurrentStreams(), d.initialWindowBytes(),
        d.continuationTimeout(), d.maxHeaderFragmentBytes(), d.maxContinuationFrames(), d.maxResetsPerWindow(),
        d.maxEncoderResetsPerWindow(), d.resetWindow(), d.maxPendingControlFrames(), d.maxHpackTableBytes(), d.maxHpackStringBytes());
    try (TestHttpServer server = TestHttpServer.h2c();
        HttpClient client = HttpClient.builder(runtime).cleartextHttp2(true).http2Limits(small).build()) {
      // over the limit: a stream error, the connection stays
      assertFails(client, server, "/bigheader?n=4500", Reason.HEADERS_TOO_LARGE);
      assertThat(server.connections.get()).isEqualTo(1);
      // over 125 % of it Netty's decoder treats the block as a connection error (GOAWAY); the pool reconnects
      assertFails(client, server, "/bigheader?n=8000", Reason.HEADERS_TOO_LARGE);
      assertThat(server.connections.get()).isEqualTo(2);
    }
  }

  @Test
  void http1StatusLineOverTheLimitIsRefused() throws Exception {
    try (TestHttpServer server = TestHttpServer.http1(); HttpClient client = client(false, limits(1024, 65536, 128, 1 << 20))) {
      assertThat(get(client, server, "/longstatus?n=500")).isEmpty();
      assertFails(client, server, "/longstatus?n=2000", Reason.STATUS_LINE_TOO_LONG);
    }
  }
}
