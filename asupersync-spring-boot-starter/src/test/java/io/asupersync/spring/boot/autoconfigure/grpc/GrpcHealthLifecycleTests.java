package io.asupersync.spring.boot.autoconfigure.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.protocols.grpc.GrpcHealth;
import io.asupersync.protocols.grpc.GrpcHealth.ServingStatus;
import io.asupersync.spring.boot.server.AsupersyncServerLifecycle;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrpcHealthLifecycleTests {

  private final GrpcHealth health = GrpcHealth.create();

  @Test
  void notServingUntilStartedServingWhileRunningNotServingOnceStopped() {
    GrpcHealthLifecycle lifecycle = new GrpcHealthLifecycle(health, List.of("", "test.Echo"));
    assertThat(health.status("")).isEqualTo(ServingStatus.NOT_SERVING);
    assertThat(health.status("test.Echo")).isEqualTo(ServingStatus.NOT_SERVING);

    lifecycle.start();
    assertThat(lifecycle.isRunning()).isTrue();
    assertThat(health.status("")).isEqualTo(ServingStatus.SERVING);
    assertThat(health.status("test.Echo")).isEqualTo(ServingStatus.SERVING);

    lifecycle.stop();
    assertThat(lifecycle.isRunning()).isFalse();
    assertThat(health.status("")).isEqualTo(ServingStatus.NOT_SERVING);
    assertThat(health.status("test.Echo")).isEqualTo(ServingStatus.NOT_SERVING);

    lifecycle.start();
    assertThat(health.status("test.Echo")).isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void startsAfterAndStopsBeforeTheServer() {
    assertThat(new GrpcHealthLifecycle(health, List.of("")).getPhase()).isGreaterThan(AsupersyncServerLifecycle.PHASE);
  }
}
