package io.asupersync.protocols.http.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Runtime;
import io.asupersync.TaskBody;
import io.asupersync.TaskHandle;
import io.asupersync.protocols.ApplicationProtocol;
import io.asupersync.trace.TraceEvent;
import io.asupersync.trace.TraceKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpClientTests {
  static Runtime runtime;

  @BeforeAll
  static void start() {
    runtime = Runtime.builder().build();
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  static <T> T run(TaskBody<T> body) throws Exception {
    return runtime.run(body).orThrow();
  }

  static TestHttpServer server(boolean h2) throws InterruptedException {
    return h2 ? TestHttpServer.h2c() : TestHttpServer.http1();
  }

  static HttpClient client(boolean h2) throws Exception {
    return client(runtime, h2);
  }

  static HttpClient client(Runtime rt, boolean h2) throws Exception {
    return HttpClient.builder(rt).cleartextHttp2(h2).build();
  }

  @ParameterizedTest(name = "h2c={0}")
  @ValueSource(booleans = {false, true})
  void getReturnsStatusHeadersAndBody(boolean h2) throws Exception {
    try (TestHttpServer server = server(h2); HttpClient client = client(h2)) {
      ClientResponse response = run(cx -> client.send(cx, ClientRequest.get(server.uri("/hello"))));
      String body = run(response::string);

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.protocol()).isEqualTo(h2 ? ApplicationProtocol.HTTP_2 : ApplicationProtocol.HTTP_1_1);
      assertThat(response.headers().first("x-secret")).isEqualTo(TestHttpServer.SECRET);
      assertThat(response.tls()).isEmpty();
      assertThat(body).isEqualTo("hello");
      assertThat(response.trailers().isEmpty()).isTrue();
    }
  }

  @ParameterizedTest(name = "h2c={0}")
  @ValueSource(booleans = {false, true})
  void bodyStreamsInChunksAndEndsWithTrailers(boolean h2) throws Exception {
    try (TestHttpServer server = server(h2); HttpClient client = client(h2)) {
      List<Integer> sizes = run(cx -> {
        ClientResponse response = client.send(cx, ClientRequest.get(server.uri("/chunked?n=300000")));
        List<Integer> chunks = new ArrayList<>();
        for (byte[] chunk = response.readChunk(cx); chunk != null; chunk = response.readChunk(cx)) {
          chunks.add(chunk.length);
        }
        assertThat(response.trailers().first("x-checksum")).isEqualTo("300000");
        return chunks;
      });

      assertThat(sizes.size()).isGreaterThan(1);
      assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(300_000);
    }
  }

  @Test
  void inputStreamReadsTheWholeBody() throws Exception {
    try (TestHttpServer server = TestHttpServer.http1(); HttpClient client = client(false)) {
      byte[] body = run(cx -> {
        try (InputStream in = client.send(cx, ClientRequest.get(server.uri("/bytes?n=70000"))).inputStream(cx)) {
          return in.readAllBytes();
        }
      });
      assertThat(body).hasSize(70_000);
    }
  }

  @Test
  void sequentialHttp1CallsReuseOneConnection() throws Exception {
    try (TestHttpServer server = TestHttpServer.http1(); HttpClient client = client(false)) {
      for (int i = 0; i < 5; i++) {
        String body = run(cx -> client.send(cx, ClientRequest.get(server.uri("/hello"))).string(cx));
        assertThat(body).isEqualTo("hello");
      }
      assertThat(server.connections.get()).isEqualTo(1);
      assertThat(client.connections(server.uri("/"))).isEqualTo(1);
    }
  }

  @ParameterizedTest(name = "h2c={0}")
  @ValueSource(booleans = {false, true})
  void idleConnectionIsClosedAfterTheIdleTimeout(boolean h2) throws Exception {
    try (TestHttpServer server = server(h2);
        HttpClient client = HttpClient.builder(runtime).cleartextHttp2(h2).idleTimeout(Duration.ofMillis(100)).build()) {
      String body = run(cx -> client.send(cx, ClientRequest.get(server.uri("/hello"))).string(cx));
      assertThat(body).isEqualTo("hello");

      HttpClientCancellationTests.await(() -> server.closedConnections.get() == 1);
      assertThat(client.connections(server.uri("/"))).isZero();
      String again = run(cx -> client.send(cx, ClientRequest.get(server.uri("/hello"))).string(cx));
      assertThat(again).isEqualTo("hello");
      assertThat(server.connections.get()).isEqualTo(2);
    }
  }

  @Test
  void concurrentH2CallsShareOneConnection() throws Exception {
    try (TestHttpServer server = TestHttpServer.h2c(); HttpClient client = client(true)) {
      List<String> bodies = run(cx -> {
        List<TaskHandle<String>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          calls.add(cx.spawn("call-" + i, c -> client.send(c, ClientRequest.get(server.uri("/bytes?n=50000"))).string(c)));
        }
        List<String> results = new ArrayList<>();
        for (TaskHandle<String> call : calls) {
          results.add(call.join(cx).orThrow());
        }
        return results;
      });

      assertThat(bodies).hasSize(10).allSatisfy(b -> assertThat(b).hasSize(50_000));
      assertThat(server.connections.get()).isEqualTo(1);
    }
  }

  @Test
  void concurrentHttp1CallsStayWithinTheConnectionLimit() throws Exception {
    try (TestHttpServer server = TestHttpServer.http1();
        HttpClient client = HttpClient.builder(runtime).maxConnectionsPerOrigin(2).build()) {
      List<Integer> statuses = run(cx -> {
        List<TaskHandle<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          calls.add(cx.spawn("call-" + i, c -> {
            ClientResponse response = client.send(c, ClientRequest.get(server.uri("/bytes?n=20000")));
            response.bytes(c);
            return response.status();
          }));
        }
        List<Integer> results = new ArrayList<>();
        for (TaskHandle<Integer> call : calls) {
          results.add(call.join(cx).orThrow());
        }
        return results;
      });

      assertThat(statuses).containsOnly(200).hasSize(6);
      assertThat(server.connections.get()).isBetween(1, 2);
    }
  }

  @Test
  void postSendsItsBody() throws Exception {
    try (TestHttpServer server = TestHttpServer.h2c(); HttpClient client = client(true)) {
      int status = run(cx -> {
        ClientResponse r = client.send(cx, ClientRequest.post(server.uri("/hello"), "text/plain", "data".getBytes(StandardCharsets.UTF_8)));
        r.close();
        return r.status();
      });
      assertThat(status).isEqualTo(200);
    }
  }

  @Test
  void eachCallIsTracedWithoutHeaderValues() throws Exception {
    try (TestHttpServer server = TestHttpServer.http1(); HttpClient client = client(false)) {
      run(cx -> client.send(cx, ClientRequest.builder("GET", server.uri("/hello")).header("authorization", "Bearer hunter2").build()).string(cx));
      run(cx -> client.send(cx, ClientRequest.get(server.uri("/missing"))).string(cx));

      List<TraceEvent> calls = runtime.trace().events(e -> e.kind() == TraceKind.CLIENT_CALL && e.attributes().get("host").equals("127.0.0.1"), 100);
      TraceEvent ok = calls.get(calls.size() - 2);
      assertThat(ok.attributes())
          .containsEntry("protocol", "http/1.1")
          .containsEntry("operation", "GET")
          .containsEntry("scheme", "http")
          .containsEntry("result", "200")
          .containsKey("durationMicros");
      assertThat(calls.get(calls.size() - 1).attributes()).containsEntry("result", "404");
      assertThat(calls).allSatisfy(e -> assertThat(e.attributes().values())
          .noneMatch(v -> v.contains("hunter2") || v.contains(TestHttpServer.SECRET) || v.contains("/hello")));
    }
  }

  /** An independent HTTP/1.0 server: Python's http.server, which closes after each response. */
  @Test
  void talksToPythonHttpServer(@TempDir Path root) throws Exception {
    Files.writeString(root.resolve("file.txt"), "from python\n");
    Process python = new ProcessBuilder("python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", root.toString())
        .redirectErrorStream(true)
        .start();
    try (HttpClient client = client(false)) {
      int port = pythonPort(python);
      for (int i = 0; i < 2; i++) {
        ClientResponse response = run(cx -> client.send(cx, ClientRequest.get("http://127.0.0.1:" + port + "/file.txt")));
        assertThat(response.status()).isEqualTo(200);
        String body = run(response::string);
        assertThat(body).isEqualTo("from python\n");
      }
    } finally {
      python.destroy();
      python.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private static int pythonPort(Process python) throws IOException {
    Pattern serving = Pattern.compile("port (\\d+)");
    StringBuilder line = new StringBuilder();
    InputStream out = python.getInputStream();
    for (int c = out.read(); c >= 0; c = out.read()) {
      if (c == '\n') {
        Matcher m = serving.matcher(line);
        if (m.find()) {
          return Integer.parseInt(m.group(1));
        }
        line.setLength(0);
      } else {
        line.append((char) c);
      }
    }
    throw new IllegalStateException("python http.server printed no port: " + line);
  }

}
