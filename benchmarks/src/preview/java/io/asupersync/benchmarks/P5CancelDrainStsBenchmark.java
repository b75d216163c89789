package io.asupersync.benchmarks;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * P5 peer: a {@code StructuredTaskScope} with 10,000 forks blocked in {@code Thread.sleep(1 h)},
 * cancelled by closing it. The untimed per-iteration setup starts an owner virtual thread that opens
 * the scope, forks, and waits until every fork has started. The timed part releases the owner, which
 * calls {@code close()} without joining: close cancels the scope (interrupts every fork) and waits for
 * all of them; it then throws the documented {@code IllegalStateException} ("owner did not join after
 * forking"), which the owner expects and ignores. Same hand-offs as {@link P5CancelDrainBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10)
@Measurement(iterations = 30)
@Fork(value = 1, jvmArgsAppend = {"--enable-preview", Bench.UNSAFE, Bench.HEAP_MIN, Bench.HEAP_MAX, Bench.PRETOUCH})
public class P5CancelDrainStsBenchmark {

  private static final int CHILDREN = P5CancelDrainBenchmark.CHILDREN;
  private static final long PARK_MILLIS = P5CancelDrainBenchmark.PARK.toMillis();

  private CountDownLatch go;
  private CountDownLatch done;
  private AtomicInteger parked;
  private AtomicInteger interrupted;
  private Thread owner;
  private final P5CancelDrainBenchmark.DrainStats inner = new P5CancelDrainBenchmark.DrainStats();

  @TearDown(Level.Trial)
  public void stop() {
    System.out.println("\nStructuredTaskScope, owner-measured close() -> returned: " + inner);
  }

  @Setup(Level.Iteration)
  public void forkParkedScope() throws InterruptedException {
    go = new CountDownLatch(1);
    done = new CountDownLatch(1);
    parked = new AtomicInteger();
    interrupted = new AtomicInteger();
    AtomicInteger parkedNow = parked;
    AtomicInteger interruptedNow = interrupted;
    CountDownLatch goNow = go;
    CountDownLatch doneNow = done;
    owner =
        Thread.ofVirtual()
            .start(
                () -> {
                  var scope = StructuredTaskScope.open();
                  for (int i = 0; i < CHILDREN; i++) {
                    scope.fork(
                        () -> {
                          parkedNow.incrementAndGet();
                          try {
                            Thread.sleep(PARK_MILLIS);
                          } catch (InterruptedException e) {
                            interruptedNow.incrementAndGet();
                            throw e;
                          }
                          return 1;
                        });
                  }
                  try {
                    goNow.await();
                  } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                  }
                  long t0 = System.nanoTime();
                  try {
                    scope.close();
                  } catch (IllegalStateException ownerDidNotJoin) {
                    // expected: close() cancels and waits, then reports the missing join
                  }
                  inner.add(System.nanoTime() - t0);
                  doneNow.countDown();
                });
    while (parked.get() < CHILDREN) {
      Thread.sleep(1);
    }
    Thread.sleep(50); // the last forks to count themselves reach their sleep
  }

  @Benchmark
  public void closeToQuiescence() throws InterruptedException {
    go.countDown();
    done.await();
  }

  @TearDown(Level.Iteration)
  public void check() {
    Bench.joinUninterruptibly(owner);
    if (interrupted.get() != CHILDREN) {
      throw new IllegalStateException(
          "expected " + CHILDREN + " interrupted forks, counted " + interrupted.get());
    }
  }
}
