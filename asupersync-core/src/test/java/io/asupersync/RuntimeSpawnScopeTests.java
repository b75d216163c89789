package io.asupersync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.testutil.Await;
import io.asupersync.trace.TraceEvent;
import io.asupersync.trace.TraceKind;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link Runtime#spawn(String, RegionPolicy, Budget, TaskBody)}: a root task whose body runs directly in its scope. */
class RuntimeSpawnScopeTests {

  @Test
  void bodyRunsInTheRootTasksOnlyScopeSoTwoRegionsAreOpen() throws Exception {
    try (Runtime rt = Runtime.builder().build()) {
      CountDownLatch inside = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      AtomicReference<long[]> ids = new AtomicReference<>();
      TaskHandle<Outcome<String>> handle =
          rt.spawn(
              "request",
              RegionPolicy.FAIL_FAST,
              Budget.unlimited(),
              cx -> {
                ids.set(new long[] {cx.taskId(), cx.regionId()});
                inside.countDown();
                release.await();
                return "done";
              });
      assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(rt.counters().regionsActive()).isEqualTo(2);
      RuntimeSnapshot snap = rt.snapshot();
      assertThat(snap.regions()).hasSize(2);
      RuntimeSnapshot.RegionInfo scope =
          snap.regions().stream().filter(r -> r.id() == ids.get()[1]).findFirst().orElseThrow();
      assertThat(scope.ownerTaskId()).isEqualTo(handle.id()).isEqualTo(ids.get()[0]);
      assertThat(snap.tasks()).singleElement().satisfies(t -> assertThat(t.name()).isEqualTo("request"));

      release.countDown();
      assertThat(Await.outcome(handle)).isEqualTo(Outcome.ok("done"));
      Await.until("counters settle", () -> rt.counters().regionsActive() == 0 && rt.counters().tasksActive() == 0);
      List<TraceEvent> opened = rt.trace().events(e -> e.kind() == TraceKind.REGION_OPENED, 100);
      assertThat(opened).hasSize(2);
    }
  }

  @Test
  void budgetDeadlineCancelsTheScopeWithDeadline() {
    try (Runtime rt = Runtime.builder().build()) {
      TaskHandle<Outcome<Object>> handle =
          rt.spawn(
              "slow",
              RegionPolicy.FAIL_FAST,
              Budget.timeout(rt.clock().now(), Duration.ofMillis(30)),
              cx -> {
                cx.sleep(Duration.ofHours(1));
                return null;
              });
      Outcome<Object> outcome = Await.outcome(handle);
      assertThat(outcome).isInstanceOfSatisfying(
          Outcome.Cancelled.class, c -> assertThat(c.reason().kind()).isEqualTo(CancelKind.DEADLINE));
      assertThat(rt.counters().regionsActive()).isZero();
    }
  }

  @Test
  void handleCompletesOnlyAfterChildrenDrainedAndFinalizersRan() {
    try (Runtime rt = Runtime.builder().build()) {
      AtomicBoolean childFinished = new AtomicBoolean();
      AtomicBoolean finalizerRan = new AtomicBoolean();
      AtomicBoolean finalizerSawChild = new AtomicBoolean();
      AtomicReference<Outcome<Integer>> seenByHook = new AtomicReference<>();
      AtomicBoolean hookSawFinalizer = new AtomicBoolean();
      TaskHandle<Outcome<Integer>> handle =
          rt.spawn(
              "parent",
              RegionPolicy.FAIL_FAST,
              Budget.unlimited(),
              cx -> {
                cx.defer(c -> {
                  finalizerSawChild.set(childFinished.get());
                  finalizerRan.set(true);
                });
                cx.spawn("child", c -> {
                  c.sleep(Duration.ofMillis(20));
                  childFinished.set(true);
                  return 0;
                });
                return 7; // returns before the child ends: the close must wait for it
              },
              outcome -> {
                hookSawFinalizer.set(finalizerRan.get());
                seenByHook.set(outcome);
              });
      assertThat(Await.outcome(handle)).isEqualTo(Outcome.ok(7));
      assertThat(childFinished).isTrue();
      assertThat(finalizerRan).isTrue();
      assertThat(finalizerSawChild).isTrue();
      assertThat(hookSawFinalizer).isTrue();
      assertThat(seenByHook.get()).isEqualTo(Outcome.ok(7));
      Await.until("counters settle", () -> rt.counters().regionsActive() == 0 && rt.counters().tasksActive() == 0);
    }
  }

  @Test
  void failingChildIsTheScopesOutcomeUnderFailFast() {
    try (Runtime rt = Runtime.builder().build()) {
      Exception boom = new Exception("child failed");
      AtomicReference<Outcome<Object>> bodyOutcome = new AtomicReference<>();
      TaskHandle<Outcome<Object>> handle =
          rt.spawn(
              "fail-fast",
              RegionPolicy.FAIL_FAST,
              Budget.unlimited(),
              cx -> {
                cx.spawn("failing", c -> {
                  throw boom;
                });
                try {
                  cx.sleep(Duration.ofHours(1));
                } catch (CancelledException e) {
                  bodyOutcome.set(Outcome.cancelled(e.reason()));
                  throw e;
                }
                return null;
              });
      assertThat(Await.outcome(handle)).isEqualTo(Outcome.err(boom));
      assertThat(bodyOutcome.get()).isInstanceOfSatisfying(
          Outcome.Cancelled.class, c -> assertThat(c.reason().kind()).isEqualTo(CancelKind.FAIL_FAST));
    }
  }

  @Test
  void shutdownCancelsTheScopeAndLeavesNothingOpen() throws Exception {
    Runtime rt = Runtime.builder().build();
    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<Outcome<Object>> hooked = new AtomicReference<>();
    TaskHandle<Outcome<Object>> handle =
        rt.spawn(
            "server",
            RegionPolicy.FAIL_FAST,
            Budget.unlimited(),
            cx -> {
              started.countDown();
              cx.sleep(Duration.ofDays(1));
              return null;
            },
            hooked::set);
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    ShutdownReport report = rt.shutdown();

    assertThat(report.quiescent()).isTrue();
    assertThat(handle.isDone()).isTrue();
    Outcome<Object> outcome = Await.outcome(handle);
    assertThat(outcome).isInstanceOf(Outcome.Cancelled.class);
    assertThat(((Outcome.Cancelled<Object>) outcome).reason().kind())
        .isIn(CancelKind.SHUTDOWN, CancelKind.PARENT_CANCELLED);
    assertThat(hooked.get()).isEqualTo(outcome);
    assertThat(rt.counters().regionsActive()).isZero();
    assertThat(rt.counters().tasksActive()).isZero();
    assertThatThrownBy(() -> rt.spawn("late", RegionPolicy.FAIL_FAST, Budget.unlimited(), cx -> null))
        .isInstanceOf(RegionClosedException.class);
  }

  @Test
  void hookThatThrowsPanicsTheTaskAfterTheScopeClosed() {
    try (Runtime rt = Runtime.builder().build()) {
      IllegalStateException bad = new IllegalStateException("hook failed");
      TaskHandle<Outcome<Integer>> handle =
          rt.spawn("hooked", RegionPolicy.COLLECT_ALL, Budget.unlimited(), cx -> 1, o -> {
            throw bad;
          });
      Await.until("hooked is done", handle::isDone);
      assertThat(handle.outcome().orElseThrow()).isEqualTo(Outcome.panicked(bad));
      Await.until("counters settle", () -> rt.counters().regionsActive() == 0);
    }
  }
}
