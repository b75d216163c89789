package io.asupersync.sample;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.testsupport.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With Redis and NATS configured on ports nothing listens on, the sample starts, logs one line for each
 * saying what it tried and how to turn the demo on, and the demo routes answer 503.
 */
@SpringBootTest(
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {"server.address=127.0.0.1", "asupersync.server.cleartext-port=0", "asupersync.server.tls-port=0"})
@ExtendWith(OutputCaptureExtension.class)
class MessagingDemoOffTests {

  private static final int REDIS_PORT = Ports.unused();
  private static final String NATS_URL = "nats://127.0.0.1:" + Ports.unused();

  @Value("${local.asupersync.cleartext-port}")
  private int port;

  @DynamicPropertySource
  static void unreachableServers(DynamicPropertyRegistry registry) {
    registry.add("asupersync.redis.port", () -> REDIS_PORT);
    registry.add("asupersync.nats.servers", () -> NATS_URL);
  }

  private HttpResponse<String> get(String path) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  @Test
  void unreachableRedisIsOneLineNamingTheServerAndTheRouteAnswers503(CapturedOutput output) throws Exception {
    assertThat(output.getOut().lines().filter(line -> line.contains("Redis demo")))
        .singleElement(as(InstanceOfAssertFactories.STRING))
        .contains("INFO", "Redis demo off", "PING", "127.0.0.1:" + REDIS_PORT, "redis-server", "GET /redis/visits");
    HttpResponse<String> response = get("/redis/visits");
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("Redis demo is off: no server at startup (see the log)\n");
  }

  @Test
  void unreachableNatsIsOneLineNamingTheServersAndTheRouteAnswers503(CapturedOutput output) throws Exception {
    assertThat(output.getOut().lines().filter(line -> line.contains("NATS demo") || line.contains("NatsClient")))
        .singleElement(as(InstanceOfAssertFactories.STRING))
        .contains("WARN", NATS_URL, "asupersync.nats.fail-fast=false", "nats-server");
    HttpResponse<String> response = get("/nats/roundtrip");
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("NATS demo is off: no server at startup (see the log)\n");
  }
}
