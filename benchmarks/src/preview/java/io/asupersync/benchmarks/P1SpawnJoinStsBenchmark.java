package io.asupersync.benchmarks;

import java.util.concurrent.Callable;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * P1 peer: JDK 25 {@code StructuredTaskScope} (preview) with 10,000 forks of a trivial callable,
 * then {@code join()} and close, on one virtual thread. Read against {@link P1SpawnJoinBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-preview", Bench.UNSAFE, Bench.HEAP_MIN, Bench.HEAP_MAX, Bench.PRETOUCH})
public class P1SpawnJoinStsBenchmark {

  private static final int CHILDREN = P1SpawnJoinBenchmark.CHILDREN;
  private static final Integer ONE = 1;
  private static final Callable<Integer> CHILD = () -> ONE;

  @Benchmark
  @OperationsPerInvocation(CHILDREN)
  public int structuredTaskScope() {
    return Bench.inVirtualThread(
        () -> {
          try (var scope = StructuredTaskScope.open()) {
            for (int i = 0; i < CHILDREN; i++) {
              scope.fork(CHILD);
            }
            scope.join();
          }
          return CHILDREN;
        });
  }
}
