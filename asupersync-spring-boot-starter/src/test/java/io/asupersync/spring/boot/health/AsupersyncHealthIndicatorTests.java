package io.asupersync.spring.boot.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.LeakResponse;
import io.asupersync.ObligationKind;
import io.asupersync.Runtime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class AsupersyncHealthIndicatorTests {

  private final Runtime runtime = Runtime.builder().leakResponse(LeakResponse.SILENT).build();

  @AfterEach
  void close() {
    runtime.close();
  }

  private void leak(String description) {
    runtime.run(cx -> cx.reserve(ObligationKind.ACK, description));
  }

  @Test
  void upWhileNothingLeaked() {
    Health health = new AsupersyncHealthIndicator(runtime, 0).health();
    assertThat(health.getStatus()).isEqualTo(Status.UP);
    assertThat(health.getDetails())
        .containsEntry("obligationsLeaked", 0L)
        .containsEntry("shutdown", false)
        .containsKeys("tasksActive", "regionsActive", "obligationsActive", "stragglers");
  }

  @Test
  void downOnceLeaksPassTheThreshold() {
    AsupersyncHealthIndicator tolerant = new AsupersyncHealthIndicator(runtime, 1);
    AsupersyncHealthIndicator strict = new AsupersyncHealthIndicator(runtime, 0);

    leak("first");
    assertThat(strict.health().getStatus()).isEqualTo(Status.DOWN);
    assertThat(tolerant.health().getStatus()).isEqualTo(Status.UP);

    leak("second");
    Health health = tolerant.health();
    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.getDetails()).containsEntry("obligationsLeaked", 2L).containsEntry("leakThreshold", 1L);
  }

  @Test
  void downOnceTheRuntimeIsShutDown() {
    runtime.close();
    Health health = new AsupersyncHealthIndicator(runtime, 0).health();
    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.getDetails()).containsEntry("shutdown", true);
  }
}
