package io.asupersync.benchmarks;

import io.asupersync.Outcome;
import io.asupersync.Runtime;
import io.asupersync.TaskBody;
import io.asupersync.TaskHandle;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * P1: spawn + join, per child, in a batch of 10,000 children that each return a trivial value. Every
 * variant runs its batch on one virtual thread (ours: the root task of {@code runtime.run}; the peers:
 * a fresh virtual thread), so the per-invocation outer thread costs the same on both sides and is
 * amortised over 10,000 children. The JDK 25 StructuredTaskScope peer is {@link
 * P1SpawnJoinStsBenchmark} (compiled with preview enabled); run both in one JMH run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {Bench.UNSAFE, Bench.HEAP_MIN, Bench.HEAP_MAX, Bench.PRETOUCH})
public class P1SpawnJoinBenchmark {

  static final int CHILDREN = 10_000;
  private static final Integer ONE = 1;
  private static final TaskBody<Integer> CHILD = cx -> ONE;
  private static final Runnable RAW_CHILD = () -> {};

  private Runtime runtime;

  @Setup(Level.Trial)
  public void start() {
    runtime = Runtime.builder().build();
  }

  @TearDown(Level.Trial)
  public void stop() {
    runtime.close();
  }

  /**
   * Ours, the natural pattern: a scope spawns the children and its close waits for all of them (no
   * handle is joined).
   */
  @Benchmark
  @OperationsPerInvocation(CHILDREN)
  public int asupersyncScopeClose() {
    return Bench.ok(
        runtime.run(
            cx ->
                Bench.ok(
                    cx.scope(
                        s -> {
                          for (int i = 0; i < CHILDREN; i++) {
                            s.spawn(CHILD);
                          }
                          return CHILDREN;
                        }))));
  }

  /** Ours, joining every handle inside the scope (then the scope closes with nothing left). */
  @Benchmark
  @OperationsPerInvocation(CHILDREN)
  public int asupersyncJoinEach() {
    return Bench.ok(
        runtime.run(
            cx ->
                Bench.ok(
                    cx.scope(
                        s -> {
                          @SuppressWarnings("unchecked")
                          TaskHandle<Integer>[] handles = new TaskHandle[CHILDREN];
                          for (int i = 0; i < CHILDREN; i++) {
                            handles[i] = s.spawn(CHILD);
                          }
                          int sum = 0;
                          for (TaskHandle<Integer> h : handles) {
                            Outcome<Integer> o = h.join(s);
                            sum += Bench.ok(o);
                          }
                          return sum;
                        }))));
  }

  /** Peer: {@code Thread.ofVirtual().start} 10,000 times, then join each. */
  @Benchmark
  @OperationsPerInvocation(CHILDREN)
  public int rawVirtualThreads() {
    return Bench.inVirtualThread(
        () -> {
          Thread[] threads = new Thread[CHILDREN];
          for (int i = 0; i < CHILDREN; i++) {
            threads[i] = Thread.ofVirtual().start(RAW_CHILD);
          }
          for (Thread t : threads) {
            t.join();
          }
          return CHILDREN;
        });
  }
}
