package io.asupersync.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A demo server that goes away after startup makes its route answer 503 with a short body, not 500. */
class MessagingServersGoneTests extends MessagingServersTestSupport {

  private HttpResponse<String> get(String path) throws Exception {
    return get(path, Duration.ofSeconds(15));
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
