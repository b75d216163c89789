package io.asupersync.benchmarks;

import io.asupersync.Outcome;
import io.asupersync.Runtime;
import io.asupersync.TaskBody;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * P5: cancelling a region of 10,000 parked tasks to quiescence. Single-shot: the untimed
 * per-iteration setup starts an owner task whose scope spawns 10,000 children that each park in
 * {@code cx.sleep(1 h)}, and waits until all have parked. The timed part releases the owner, which
 * calls {@code cx.cancelScope(..)} and returns from the scope body; it ends when the scope has returned
 * (every child acknowledged the cancel and completed, the region closed). The timed window also holds
 * one latch hand-off to the owner and one back (a few microseconds); the owner's own {@code nanoTime}
 * around cancelScope .. scope-return is printed at the end of the trial as a cross-check. The peer is
 * {@link P5CancelDrainStsBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10)
@Measurement(iterations = 30)
@Fork(value = 1, jvmArgsAppend = {Bench.UNSAFE, Bench.HEAP_MIN, Bench.HEAP_MAX, Bench.PRETOUCH})
public class P5CancelDrainBenchmark {

  static final int CHILDREN = 10_000;
  static final Duration PARK = Duration.ofHours(1);

  private Runtime runtime;
  private CountDownLatch go;
  private CountDownLatch done;
  private AtomicInteger parked;
  private long cancelledBefore;
  private final AtomicReference<Outcome<Integer>> scopeOutcome = new AtomicReference<>();
  private final DrainStats inner = new DrainStats();

  @Setup(Level.Trial)
  public void start() {
    runtime = Runtime.builder().build();
  }

  @TearDown(Level.Trial)
  public void stop() {
    runtime.close();
    System.out.println("\nasupersync, owner-measured cancelScope -> scope returned: " + inner);
  }

  @Setup(Level.Iteration)
  public void spawnParkedRegion() throws InterruptedException {
    go = new CountDownLatch(1);
    done = new CountDownLatch(1);
    parked = new AtomicInteger();
    scopeOutcome.set(null);
    cancelledBefore = runtime.snapshot().counters().tasksCancelled();
    AtomicInteger parkedNow = parked;
    CountDownLatch goNow = go;
    CountDownLatch doneNow = done;
    TaskBody<Integer> child =
        c -> {
          parkedNow.incrementAndGet();
          c.sleep(PARK);
          return 1;
        };
    runtime.spawn(
        "owner",
        cx -> {
          long[] t0 = new long[1];
          Outcome<Integer> o =
              cx.scope(
                  s -> {
                    for (int i = 0; i < CHILDREN; i++) {
                      s.spawn(child);
                    }
                    goNow.await();
                    t0[0] = System.nanoTime();
                    s.cancelScope("benchmark: cancel the region");
                    return 0;
                  });
          inner.add(System.nanoTime() - t0[0]);
          scopeOutcome.set(o);
          doneNow.countDown();
          return 0;
        });
    while (parked.get() < CHILDREN) {
      Thread.sleep(1);
    }
    Thread.sleep(50); // the last children to count themselves reach their park
  }

  @Benchmark
  public void cancelToQuiescence() throws InterruptedException {
    go.countDown();
    done.await();
  }

  @TearDown(Level.Iteration)
  public void check() throws InterruptedException {
    Outcome<Integer> o = scopeOutcome.get();
    if (o == null) {
      throw new IllegalStateException("the scope did not return");
    }
    // The region is quiescent when the scope returns; the runtime-wide counters are updated just
    // after a task left its region, so give the last child's bookkeeping a moment.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (runtime.snapshot().counters().tasksActive() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    long cancelled = runtime.snapshot().counters().tasksCancelled();
    if (cancelled - cancelledBefore != CHILDREN) {
      throw new IllegalStateException(
          "expected " + CHILDREN + " cancelled children, counted " + (cancelled - cancelledBefore));
    }
  }

  /** Mean / min / max of nanosecond samples, printed in milliseconds. */
  static final class DrainStats {
    private long n;
    private long sum;
    private long min = Long.MAX_VALUE;
    private long max;

    synchronized void add(long nanos) {
      n++;
      sum += nanos;
      min = Math.min(min, nanos);
      max = Math.max(max, nanos);
    }

    @Override
    public synchronized String toString() {
      if (n == 0) {
        return "no samples";
      }
      return String.format(
          "n=%d mean=%.3f ms min=%.3f ms max=%.3f ms (warm-up included)",
          n, sum / 1e6 / n, min / 1e6, max / 1e6);
    }
  }
}
