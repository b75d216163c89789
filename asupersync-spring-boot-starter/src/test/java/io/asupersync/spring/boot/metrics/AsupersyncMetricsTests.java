package io.asupersync.spring.boot.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Budget;
import io.asupersync.CancelKind;
import io.asupersync.LeakResponse;
import io.asupersync.Obligation;
import io.asupersync.ObligationKind;
import io.asupersync.RegionPolicy;
import io.asupersync.Runtime;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AsupersyncMetricsTests {

  private final Runtime runtime = Runtime.builder().leakResponse(LeakResponse.SILENT).build();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  AsupersyncMetricsTests() {
    new AsupersyncMetrics(runtime, List.of()).bindTo(registry);
  }

  @AfterEach
  void close() {
    runtime.close();
  }

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  private double counter(String name) {
    return registry.get(name).functionCounter().count();
  }

  @Test
  void gaugesFollowLiveWork() throws Exception {
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    runtime.spawn("holder", cx -> {
      Obligation o = cx.reserve(ObligationKind.LEASE, "lease");
      holding.countDown();
      release.await();
      o.commit();
      return null;
    });
    holding.await();

    assertThat(gauge("asupersync.tasks.active")).isEqualTo(1);
    assertThat(gauge("asupersync.regions.active")).isEqualTo(2);
    assertThat(gauge("asupersync.obligations.active")).isEqualTo(1);
    assertThat(counter("asupersync.tasks.spawned")).isEqualTo(1);

    release.countDown();
    runtime.close();
    assertThat(gauge("asupersync.tasks.active")).isZero();
    assertThat(gauge("asupersync.regions.active")).isZero();
    assertThat(gauge("asupersync.obligations.active")).isZero();
  }

  @Test
  void leaksAndCancellationsAreCounted() {
    runtime.run(cx -> cx.reserve(ObligationKind.ACK, "forgotten"));
    runtime.run(cx -> cx.scope(RegionPolicy.FAIL_FAST, Budget.timeout(cx.now(), Duration.ofMillis(10)), scope -> {
      scope.spawn("sleeper", c -> {
        c.sleep(Duration.ofMinutes(1));
        return null;
      }).join(scope);
      return null;
    }));

    assertThat(counter("asupersync.obligations.leaked")).isEqualTo(1);
    assertThat(registry.get("asupersync.cancellations").tag("kind", "deadline").functionCounter().count()).isPositive();
    assertThat(registry.get("asupersync.cancellations").tag("kind", "shutdown").functionCounter().count()).isZero();
  }

  @Test
  void everyCancelKindHasItsOwnLowercaseTagAndNothingElseIsTagged() {
    assertThat(registry.find("asupersync.cancellations").functionCounters())
        .extracting(c -> c.getId().getTag("kind"))
        .containsExactlyInAnyOrder(
            java.util.Arrays.stream(CancelKind.values()).map(k -> k.name().toLowerCase(Locale.ROOT)).toArray(String[]::new));
    assertThat(registry.getMeters())
        .filteredOn(m -> !m.getId().getName().equals("asupersync.cancellations"))
        .extracting(Meter::getId)
        .allSatisfy(id -> assertThat(id.getTags()).isEmpty());
  }
}
