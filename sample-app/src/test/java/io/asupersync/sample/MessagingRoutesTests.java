package io.asupersync.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The Redis and NATS demo routes against a real redis-server and nats-server (skipped when not installed). */
@SpringBootTest(
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {"server.address=127.0.0.1", "asupersync.server.cleartext-port=0", "asupersync.server.tls-port=0"})
class MessagingRoutesTests {

  private static final List<Process> SERVERS = new ArrayList<>();

  @Value("${local.asupersync.cleartext-port}")
  private int port;

  @DynamicPropertySource
  static void servers(DynamicPropertyRegistry registry) throws Exception {
    int redis = start("redis-server", "--port", "{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no");
    int nats = start("nats-server", "-a", "127.0.0.1", "-p", "{port}");
    registry.add("asupersync.redis.host", () -> "127.0.0.1");
    registry.add("asupersync.redis.port", () -> redis);
    registry.add("asupersync.nats.servers", () -> "nats://127.0.0.1:" + nats);
  }

  @AfterAll
  static void stopServers() throws InterruptedException {
    for (Process process : SERVERS) {
      process.destroy();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static int start(String binary, String... args) throws Exception {
    Path path = List.of("/usr/bin/", "/usr/sbin/", "/usr/local/bin/").stream()
        .map(dir -> Path.of(dir + binary)).filter(Files::isExecutable).findFirst().orElse(null);
    Assumptions.assumeTrue(path != null, binary + " is not installed");
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    List<String> command = new ArrayList<>(List.of(path.toString()));
    for (String arg : args) {
      command.add(arg.replace("{port}", Integer.toString(port)));
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    SERVERS.add(process);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return port;
      } catch (IOException notYet) {
        assertThat(process.isAlive()).as(binary + " exited").isTrue();
        assertThat(System.nanoTime()).as(binary + " listening within 10 s").isLessThan(deadline);
        Thread.onSpinWait();
      }
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
  void redisVisitsCountsUp() throws Exception {
    long first = Long.parseLong(get("/redis/visits").substring("visits: ".length()));
    assertThat(get("/redis/visits")).isEqualTo("visits: " + (first + 1));
  }

  @Test
  void natsRoundTripReturnsThePublishedMessage() throws Exception {
    assertThat(get("/nats/roundtrip")).isEqualTo("hello over NATS");
  }
}
