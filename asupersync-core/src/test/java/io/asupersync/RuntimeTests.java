package io.asupersync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import io.asupersync.trace.TraceKind;
import org.junit.jupiter.api.Test;

class RuntimeTests {

  @Test
  void closeWithAStuckTaskReturnsWithinTheShutdownTimeoutAndNamesIt() throws Exception {
    Duration timeout = Duration.ofMillis(300);
    Runtime rt = Runtime.builder().shutdownTimeout(timeout).build();
    AtomicBoolean release = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(1);
    rt.spawn(
        "stubborn-worker",
        cx -> {
          started.countDown();
          while (!release.get()) {
            try {
              cx.sleep(Duration.ofMillis(5));
            } catch (CancelledException swallowed) {
              // Misbehaving code: ignores cancellation and keeps going.
              java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
          }
          return null;
        });
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    long start = System.nanoTime();
    ShutdownReport report = rt.shutdown();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    release.set(true);

    assertThat(took).isGreaterThanOrEqualTo(timeout).isLessThan(timeout.plusSeconds(2));
    assertThat(report.quiescent()).isFalse();
    assertThat(report.stuckTasks()).anySatisfy(t -> assertThat(t.name()).isEqualTo("stubborn-worker"));
    assertThat(rt.trace().events())
        .anySatisfy(e -> {
          assertThat(e.kind()).isEqualTo(TraceKind.SHUTDOWN_INCOMPLETE);
          assertThat(e.attribute("tasks")).contains("stubborn-worker");
        });
  }

  @Test
  void shutdownCancelsWellBehavedTasksWithShutdownKind() throws Exception {
    Runtime rt = Runtime.builder().build();
    CountDownLatch started = new CountDownLatch(1);
    TaskHandle<Outcome<Object>> server = rt.spawn("server", cx -> {
      started.countDown();
      cx.sleep(Duration.ofDays(1));
      return null;
    });
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    ShutdownReport report = rt.shutdown();
    assertThat(report.quiescent()).isTrue();
    Outcome<Object> inner = ((Outcome.Ok<Outcome<Object>>) server.outcome().orElseThrow()).value();
    assertThat(inner).isInstanceOfSatisfying(
        Outcome.Cancelled.class, c -> assertThat(c.reason().root().kind()).isEqualTo(CancelKind.SHUTDOWN));
    assertThat(rt.snapshot().counters().tasksActive()).isZero();
  }

  @Test
  void snapshotShowsTheRegionTree() throws Exception {
    try (Runtime rt = Runtime.builder().build()) {
      CountDownLatch ready = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Thread runner = Thread.ofVirtual().start(() -> rt.run(cx -> cx.scope(inner -> {
        inner.spawn("leaf", c -> {
          ready.countDown();
          release.await();
          return null;
        });
        return null;
      })));
      assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
      RuntimeSnapshot snap = rt.snapshot();
      RuntimeSnapshot.TaskInfo leaf =
          snap.tasks().stream().filter(t -> t.name().equals("leaf")).findFirst().orElseThrow();
      RuntimeSnapshot.RegionInfo leafRegion =
          snap.regions().stream().filter(r -> r.id() == leaf.regionId()).findFirst().orElseThrow();
      assertThat(leafRegion.taskIds()).contains(leaf.id());
      assertThat(leafRegion.parentId()).isNotZero();
      assertThat(snap.regions()).anySatisfy(r -> assertThat(r.childRegionIds()).contains(leafRegion.id()));
      release.countDown();
      runner.join(10_000);
    }
  }

  @Test
  void interruptingTheCallerOfRunCancelsTheRootAndRestoresTheFlag() throws Exception {
    try (Runtime rt = Runtime.builder().build()) {
      CountDownLatch started = new CountDownLatch(1);
      java.util.concurrent.atomic.AtomicReference<Outcome<Object>> result = new java.util.concurrent.atomic.AtomicReference<>();
      AtomicBoolean flagRestored = new AtomicBoolean();
      Thread caller = Thread.ofPlatform().start(() -> {
        result.set(rt.run(cx -> {
          started.countDown();
          cx.sleep(Duration.ofDays(1));
          return null;
        }));
        flagRestored.set(Thread.currentThread().isInterrupted());
      });
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      caller.interrupt();
      caller.join(10_000);
      assertThat(caller.isAlive()).isFalse();
      assertThat(result.get()).isInstanceOfSatisfying(
          Outcome.Cancelled.class, c -> assertThat(c.reason().root().kind()).isEqualTo(CancelKind.USER));
      assertThat(flagRestored).isTrue();
    }
  }

  @Test
  void sameSeedGivesSameRandomSequence() throws Exception {
    long[] first = randoms(42);
    long[] second = randoms(42);
    assertThat(first).isEqualTo(second);
    assertThat(randoms(43)).isNotEqualTo(first);
  }

  private static long[] randoms(long seed) throws Exception {
    try (Runtime rt = Runtime.builder().seed(seed).build()) {
      return rt.run(cx -> new long[] {cx.random().nextLong(), cx.random().nextLong()}).orThrow();
    }
  }

  @Test
  void customClockDrivesNow() throws Exception {
    java.time.Instant fixed = java.time.Instant.parse("2030-01-01T00:00:00Z");
    try (Runtime rt = Runtime.builder().clock(() -> fixed).build()) {
      assertThat(rt.run(Cx::now).orThrow()).isEqualTo(fixed);
    }
  }
}
