package io.asupersync.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.testsupport.NatsServerProcess;
import io.asupersync.testsupport.RedisServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
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
 * The Redis and NATS demo routes against a real redis-server and nats-server (skipped when not installed),
 * with application.yml's localhost defaults and only the ports changed.
 */
@SpringBootTest(
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {"server.address=127.0.0.1", "asupersync.server.cleartext-port=0", "asupersync.server.tls-port=0"})
@ExtendWith(OutputCaptureExtension.class)
class MessagingRoutesTests {

  private static RedisServerProcess redis;
  private static NatsServerProcess nats;

  @Value("${local.asupersync.cleartext-port}")
  private int port;

  @DynamicPropertySource
  static void servers(DynamicPropertyRegistry registry) throws Exception {
    redis = RedisServerProcess.start();
    nats = NatsServerProcess.start();
    registry.add("asupersync.redis.port", redis::port);
    registry.add("asupersync.nats.servers", nats::url);
  }

  @AfterAll
  static void stopServers() {
    if (redis != null) {
      redis.close();
    }
    if (nats != null) {
      nats.close();
    }
  }

  private String get(String path) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpResponse<String> response = client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
      return response.body();
    }
  }

  @Test
  void reachableServersLogNoDemoOffLine(CapturedOutput output) {
    assertThat(output.getOut()).contains("Started MessagingRoutesTests")
        .doesNotContain("demo off").doesNotContain("Starting without a NatsClient");
  }

  @Test
  void redisVisitsCountsUp() throws Exception {
    long first = Long.parseLong(get("/redis/visits").substring("visits: ".length()));
    assertThat(get("/redis/visits")).isEqualTo("visits: " + (first + 1));
  }

  @Test
  void natsRoundTripReturnsThePublishedMessage() throws Exception {
    assertThat(get("/nats/roundtrip")).isEqualTo("hello over NATS");
  }
}
