package io.asupersync.benchmarks;

import io.asupersync.Waker;
import io.asupersync.lab.LabConfig;
import io.asupersync.lab.LabRun;
import io.asupersync.lab.LabRuntime;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * P6: lab scheduling steps per second on a ping-pong workload, beside a plain virtual-thread
 * hand-off. Two tasks pass a turn back and forth {@value #ROUNDS} times: the one whose turn it is
 * flips the turn, wakes the other and parks until the turn comes back.
 *
 * <ul>
 *   <li>{@code labPingPong}: the two tasks run under {@link LabRuntime} (one task at a time, a seeded
 *       choice at every yield point, virtual time); the {@code steps} counter is the run's
 *       scheduling steps (every park and checkpoint is one), so its rate is steps per second.
 *   <li>{@code virtualThreadPingPong}: the same exchange between two plain virtual threads with
 *       {@link LockSupport}; {@code steps} counts one per hand-off (two per round), the nearest
 *       thing a plain hand-off has to a scheduling step.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {Bench.UNSAFE, Bench.HEAP_MIN, Bench.HEAP_MAX, Bench.PRETOUCH})
public class P6LabSchedulingBenchmark {

  static final int ROUNDS = 20_000;

  /** Scheduling steps taken, reported by JMH as a rate. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Steps {
    public long steps;

    @Setup(Level.Iteration)
    public void reset() {
      steps = 0;
    }
  }

  private long seed;

  @Benchmark
  public void labPingPong(Steps counter) {
    LabRun<Object> run =
        LabRuntime.run(
            LabConfig.seed(seed++).withMaxSteps(10 * ROUNDS + 1_000),
            cx -> {
              int[] turn = {0};
              AtomicReference<Waker> ping = new AtomicReference<>();
              AtomicReference<Waker> pong = new AtomicReference<>();
              cx.spawn("ping", c -> player(c, turn, 0, ping, pong));
              cx.spawn("pong", c -> player(c, turn, 1, pong, ping));
              return null;
            });
    if (!run.passed()) {
      throw new IllegalStateException(run.report());
    }
    counter.steps += run.steps();
  }

  private static Object player(
      io.asupersync.Cx cx, int[] turn, int me, AtomicReference<Waker> mine, AtomicReference<Waker> other) {
    mine.set(cx.waker());
    for (int round = 0; round < ROUNDS; round++) {
      while (turn[0] != me) {
        cx.park(null);
      }
      turn[0] = 1 - me;
      Waker w = other.get();
      if (w != null) {
        w.wake();
      }
    }
    return "done";
  }

  @Benchmark
  public void virtualThreadPingPong(Steps counter) throws InterruptedException {
    VirtualPlayers players = new VirtualPlayers();
    Thread a = Thread.ofVirtual().unstarted(() -> players.play(0));
    Thread b = Thread.ofVirtual().unstarted(() -> players.play(1));
    players.threads = new Thread[] {a, b};
    a.start();
    b.start();
    a.join();
    b.join();
    counter.steps += 2L * ROUNDS;
  }

  private static final class VirtualPlayers {
    volatile int turn;
    Thread[] threads = new Thread[0];

    void play(int me) {
      for (int round = 0; round < ROUNDS; round++) {
        while (turn != me) {
          LockSupport.park(this);
        }
        turn = 1 - me;
        LockSupport.unpark(threads[1 - me]);
      }
    }
  }
}
