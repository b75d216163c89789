package io.asupersync.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.spring.boot.autoconfigure.AsupersyncProperties;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

  @LocalServerPort
  private int port;

  @Autowired
  private AsupersyncProperties properties;

  @Test
  void starterIsAutoConfiguredFromApplicationYml() {
    assertThat(properties.runtime().shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void helloAnswersPlainTextOverRealHttp() throws IOException, InterruptedException {
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/hello"))
          .timeout(Duration.ofSeconds(10))
          .GET()
          .build();

      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
          type -> assertThat(type).startsWith("text/plain"));
      assertThat(response.body()).isEqualTo(HelloController.GREETING);
    }
  }

  @Autowired
  private io.asupersync.Runtime runtime;

  private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery))
          .timeout(Duration.ofSeconds(10))
          .build();
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
  }

  @Test
  void fanOutRunsEveryWorkerInTheRequestScope() throws Exception {
    HttpResponse<String> response = get("/fanout?workers=5&delayMs=1");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"status\":\"ok\"").contains("[0,1,4,9,16]");
  }

  @Test
  void fanOutPastItsDeadlineIsCancelledAndLeavesNothingRunning() throws Exception {
    HttpResponse<String> response = get("/fanout?workers=50&delayMs=60000&timeoutMs=50");
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).contains("\"cancelKind\":\"DEADLINE\"");
    assertThat(runtime.snapshot().tasks()).noneSatisfy(t -> assertThat(t.name()).startsWith("worker-"));
  }

  @Test
  void unknownPathIsNotFound() throws IOException, InterruptedException {
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/nope"))
          .timeout(Duration.ofSeconds(10))
          .build();

      assertThat(client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
    }
  }
}
