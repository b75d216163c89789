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
 * P2 peer: {@code StructuredTaskScope.open()}, fork one trivial callable, {@code join()}, read the
 * subtask, close; {@value P2ScopeRoundTripBenchmark#ROUNDS} round trips per invocation on one virtual
 * thread. Read against {@link P2ScopeRoundTripBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-preview", Bench.UNSAFE, Bench.HEAP_MIN, Bench.HEAP_MAX, Bench.PRETOUCH})
public class P2ScopeRoundTripStsBenchmark {

  private static final int ROUNDS = P2ScopeRoundTripBenchmark.ROUNDS;
  private static final Integer ONE = 1;
  private static final Callable<Integer> CHILD = () -> ONE;

  @Benchmark
  @OperationsPerInvocation(ROUNDS)
  public int structuredTaskScopeForkJoin() {
    return Bench.inVirtualThread(
        () -> {
          int sum = 0;
          for (int i = 0; i < ROUNDS; i++) {
            try (var scope = StructuredTaskScope.open()) {
              StructuredTaskScope.Subtask<Integer> child = scope.fork(CHILD);
              scope.join();
              sum += child.get();
            }
          }
          return sum;
        });
  }
}
