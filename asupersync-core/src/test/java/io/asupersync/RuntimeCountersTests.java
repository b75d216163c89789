package io.asupersync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import io.asupersync.trace.TraceKind;
import io.asupersync.trace.TraceSink;
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

  @Test
  void countersAreExactOnceWorkSpawnedFromManyThreadsAtOnceHasFinished() throws Exception {
    int threads = 8;
    int perThread = 200;
    try (Runtime rt = Runtime.builder().traceLifecycle(false).build()) {
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> spawners = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        // virtual threads too: each starts with the same random probe, which once made them share a cell
        Thread.Builder builder = t % 2 == 0 ? Thread.ofPlatform() : Thread.ofVirtual();
        spawners.add(builder.start(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          for (int i = 0; i < perThread; i++) {
            int kind = i % 4;
            rt.spawn(
                "request",
                RegionPolicy.COLLECT_ALL,
                Budget.unlimited(),
                cx -> {
                  // a child task and a nested scope per request: more counts in the request's tree
                  cx.spawn(c -> switch (kind) {
                    case 0 -> 0;
                    case 1 -> throw new java.io.IOException("err");
                    case 2 -> throw new IllegalStateException("panic");
                    default -> throw new CancelledException(CancelReason.of(CancelKind.USER, "cancelled"));
                  }).join(cx);
                  return cx.scope(inner -> 0).orThrow();
                });
          }
        }));
      }
      go.countDown();
      for (Thread t : spawners) {
        t.join();
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      // a root task is counted down last, after its region closed: at zero, everything finished
      while (rt.counters().tasksActive() != 0) {
        assertThat(System.nanoTime()).as("all tasks finished in time").isLessThan(deadline);
        Thread.sleep(1);
      }
      RuntimeSnapshot.Counters c = rt.counters();
      long requests = (long) threads * perThread;
      assertThat(c.tasksSpawned()).isEqualTo(2 * requests);
      assertThat(c.tasksCompleted()).isEqualTo(2 * requests);
      // the root tasks end ok (with their scope's outcome as value); the children as they threw: a body
      // throwing CancelledException without a cancel request ends cancelled with that reason
      assertThat(c.tasksFailed()).isEqualTo(requests / 4);
      assertThat(c.tasksPanicked()).isEqualTo(requests / 4);
      assertThat(c.tasksCancelled()).isEqualTo(requests / 4);
      assertThat(c.tasksCancelledByKind().get(CancelKind.USER)).isEqualTo(requests / 4);
      assertThat(c.regionsActive()).isZero();
      assertThat(rt.snapshot().regions()).isEmpty();
    }
  }

  @Test
  void aRootTaskIsSeenDoneOnlyOnceItsRegionClosed() throws Exception {
    CountDownLatch completing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    // holds the root task between its completion event and the rest of its completion
    TraceSink holdAtCompletion =
        event -> {
          if (event.kind() == TraceKind.TASK_COMPLETED && Thread.currentThread().isVirtual()) {
            completing.countDown();
            try {
              release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    try (Runtime rt = Runtime.builder().traceSink(holdAtCompletion).build()) {
      TaskHandle<Outcome<Object>> handle = rt.spawn("quick", cx -> null);
      assertThat(completing.await(10, TimeUnit.SECONDS)).isTrue();
      // the root region closes after this event: the handle must not be done yet
      boolean doneWhileHeld = handle.isDone();
      release.countDown();
      awaitDone(handle);
      assertThat(doneWhileHeld).as("handle done before its root region closed").isFalse();
      assertThat(rt.counters().regionsActive()).isZero();
      assertThat(rt.snapshot().regions()).isEmpty();
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
