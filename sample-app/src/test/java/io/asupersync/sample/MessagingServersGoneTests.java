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
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A demo server that goes away after startup makes its route answer 503 with a short body, not 500. */
@SpringBootTest(
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {"server.address=127.0.0.1", "asupersync.server.cleartext-port=0", "asupersync.server.tls-port=0"})
class MessagingServersGoneTests {

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

  private HttpResponse<String> get(String path) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(15)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  @Test
  void redisGoneAnswers503() throws Exception {
    assertThat(get("/redis/visits").statusCode()).isEqualTo(200);
    redis.close();
    HttpResponse<String> response = get("/redis/visits");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("Redis is unavailable\n");
  }

  @Test
  void natsGoneAnswers503() throws Exception {
    assertThat(get("/nats/roundtrip").statusCode()).isEqualTo(200);
    nats.close();
    HttpResponse<String> response = get("/nats/roundtrip");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("NATS is unavailable\n");
  }
}
