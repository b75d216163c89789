package io.asupersync.benchmarks;

import io.asupersync.Obligation;
import io.asupersync.ObligationKind;
import io.asupersync.Runtime;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * P3: {@code cx.reserve(kind, description)} then {@code commit()}, per pair, inside one task. Each
 * invocation runs {@value #PAIRS} pairs in one root task, so the task's own start and end cost (a few
 * microseconds) adds well under 0.1 ns per pair. {@code traceObligations} switches the runtime's
 * obligation trace events (two per pair: reserved, committed) on and off.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {Bench.UNSAFE, Bench.HEAP_MIN, Bench.HEAP_MAX, Bench.PRETOUCH})
public class P3ObligationBenchmark {

  static final int PAIRS = 100_000;

  @Param({"true", "false"})
  public boolean traceObligations;

  private Runtime runtime;

  @Setup(Level.Trial)
  public void start() {
    runtime = Runtime.builder().traceObligations(traceObligations).build();
  }

  @TearDown(Level.Trial)
  public void stop() {
    runtime.close();
  }

  @Benchmark
  @OperationsPerInvocation(PAIRS)
  public long reserveCommit() {
    return Bench.ok(
        runtime.run(
            cx -> {
              long ids = 0;
              for (int i = 0; i < PAIRS; i++) {
                Obligation o = cx.reserve(ObligationKind.SEND_PERMIT, "bench");
                o.commit();
                ids += o.id();
              }
              return ids;
            }));
  }
}
