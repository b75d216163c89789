package io.asupersync.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The Redis and NATS demo routes against a real redis-server and nats-server (skipped when not installed),
 * with application.yml's localhost defaults and only the ports changed.
 */
@ExtendWith(OutputCaptureExtension.class)
class MessagingRoutesTests extends MessagingServersTestSupport {

  /** The body of a 200 answer to GET {@code path}. */
  private String get(String path) throws Exception {
    HttpResponse<String> response = get(path, Duration.ofSeconds(10));
    assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
    return response.body();
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
