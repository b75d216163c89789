package io.asupersync.benchmarks;

import io.asupersync.Runtime;
import io.asupersync.TaskBody;
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
 * P2: one scope round trip: open a scope, spawn one trivial child, join it, close the scope. A scope
 * can only be opened from inside a task, so each invocation runs {@value #ROUNDS} round trips in a
 * row on one virtual thread (ours: the root task; the peer {@link P2ScopeRoundTripStsBenchmark}: a
 * fresh virtual thread) and reports the time per round trip. {@link #rawVirtualThreadStartJoin} is
 * the floor of any design that runs the child on its own virtual thread: start one, join it, no scope.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {Bench.UNSAFE, Bench.HEAP_MIN, Bench.HEAP_MAX, Bench.PRETOUCH})
public class P2ScopeRoundTripBenchmark {

  static final int ROUNDS = 1_000;
  private static final Integer ONE = 1;
  private static final TaskBody<Integer> CHILD = cx -> ONE;

  private Runtime runtime;

  @Setup(Level.Trial)
  public void start() {
    runtime = Runtime.builder().build();
  }

  @TearDown(Level.Trial)
  public void stop() {
    runtime.close();
  }

  @Benchmark
  @OperationsPerInvocation(ROUNDS)
  public int asupersyncScopeSpawnJoin() {
    return Bench.ok(
        runtime.run(
            cx -> {
              int sum = 0;
              for (int i = 0; i < ROUNDS; i++) {
                sum += Bench.ok(cx.scope(s -> Bench.ok(s.spawn(CHILD).join(s))));
              }
              return sum;
            }));
  }

  /** Floor, not a peer: start one virtual thread running a trivial body and join it, per round. */
  @Benchmark
  @OperationsPerInvocation(ROUNDS)
  public int rawVirtualThreadStartJoin() {
    return Bench.inVirtualThread(
        () -> {
          int sum = 0;
          for (int i = 0; i < ROUNDS; i++) {
            int[] box = new int[1];
            Thread t = Thread.ofVirtual().start(() -> box[0] = ONE);
            t.join();
            sum += box[0];
          }
          return sum;
        });
  }
}
