package io.asupersync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class RuntimeCountersTests {

  @Test
  void countersTrackOpenRegionsAndReservedObligationsWhileWorkIsLive() throws Exception {
    try (Runtime rt = Runtime.builder().build()) {
      CountDownLatch inside = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      TaskHandle<Outcome<Object>> handle =
          rt.spawn(
              "holder",
              cx ->
                  cx.scope(
                          inner -> {
                            Obligation o = inner.reserve(ObligationKind.LEASE, "held while counted");
                            inside.countDown();
                            release.await();
                            o.commit();
                            return null;
                          })
                      .orThrow());
      inside.await();
      RuntimeSnapshot.Counters live = rt.counters();
      // root region, the spawn's scope and the inner scope
      assertThat(live.regionsActive()).isEqualTo(3);
      assertThat(live.obligationsActive()).isEqualTo(1);
      assertThat(rt.snapshot().regions()).hasSize((int) live.regionsActive());

      release.countDown();
      awaitDone(handle);
      RuntimeSnapshot.Counters after = rt.counters();
      assertThat(after.regionsActive()).isZero();
      assertThat(after.obligationsActive()).isZero();
    }
  }

  @Test
  void leakedObligationLeavesTheActiveCountAndEntersTheLeakedCount() throws Exception {
    try (Runtime rt = Runtime.builder().leakResponse(LeakResponse.SILENT).build()) {
      rt.run(cx -> cx.reserve(ObligationKind.ACK, "forgotten"));
      RuntimeSnapshot.Counters counters = rt.counters();
      assertThat(counters.obligationsActive()).isZero();
      assertThat(counters.obligationsLeaked()).isEqualTo(1);
    }
  }

  @Test
  void cancellationsAreCountedByTheKindOfEachTasksReason() throws Exception {
    try (Runtime rt = Runtime.builder().build()) {
      rt.run(
          cx ->
              cx.scope(
                  RegionPolicy.COLLECT_ALL,
                  Budget.timeout(cx.now(), Duration.ofMillis(20)),
                  scope -> {
                    scope.spawn("sleeper", c -> {
                      c.sleep(Duration.ofMinutes(5));
                      return 0;
                    }).join(scope);
                    return 0;
                  }));
      RuntimeSnapshot.Counters counters = rt.counters();
      assertThat(counters.tasksCancelledByKind()).containsOnlyKeys(CancelKind.values());
      assertThat(counters.tasksCancelledByKind().get(CancelKind.DEADLINE)).isPositive();
      assertThat(counters.tasksCancelledByKind().values().stream().mapToLong(Long::longValue).sum())
          .isEqualTo(counters.tasksCancelled());
    }
  }

  private static void awaitDone(TaskHandle<?> handle) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!handle.isDone() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      Thread.sleep(1);
    }
    assertThat(handle.isDone()).isTrue();
  }
}
