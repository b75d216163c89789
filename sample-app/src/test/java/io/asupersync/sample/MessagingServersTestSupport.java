package io.asupersync.sample;

import io.asupersync.testsupport.NatsServerProcess;
import io.asupersync.testsupport.RedisServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample on random ports against a real redis-server and nats-server started for the test class,
 * with application.yml's localhost defaults and only the ports changed. Each class gets a context of its
 * own (tests may stop a server; a context cached for the next class would point at it).
 */
@SpringBootTest(
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {"server.address=127.0.0.1", "asupersync.server.cleartext-port=0", "asupersync.server.tls-port=0"})
@DirtiesContext
abstract class MessagingServersTestSupport {

  static RedisServerProcess redis;
  static NatsServerProcess nats;

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

  /** GET {@code path} on the asupersync cleartext port. */
  HttpResponse<String> get(String path, Duration timeout) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(timeout).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }
}
