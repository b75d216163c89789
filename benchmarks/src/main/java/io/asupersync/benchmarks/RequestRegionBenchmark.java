package io.asupersync.benchmarks;

import io.asupersync.Budget;
import io.asupersync.RegionPolicy;
import io.asupersync.Runtime;
import io.asupersync.TaskHandle;
import io.asupersync.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * The engine part of one server request: a root task started from a platform thread (as a Netty event
 * loop does) whose body runs in a fail-fast scope with a request deadline, recording one access-like
 * trace event. {@value #BATCH} requests are started, then each handle is awaited; time is per request.
 * {@link #nestedScope} is the shape the HTTP server used before {@code Runtime.spawn(name, policy,
 * budget, body)}: the root task's own scope plus a request scope inside it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {Bench.UNSAFE, Bench.HEAP_MIN, Bench.HEAP_MAX, Bench.PRETOUCH})
public class RequestRegionBenchmark {

  static final int BATCH = 1_000;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** Whether lifecycle events are traced: false is the tuned server's setting. */
  @Param({"true", "false"})
  public boolean traceLifecycle;

  private Runtime runtime;

  @Setup(Level.Trial)
  public void start() {
    runtime = Runtime.builder().traceLifecycle(traceLifecycle).build();
  }

  @TearDown(Level.Trial)
  public void stop() {
    runtime.close();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int nestedScope() {
    List<TaskHandle<Outcome<Object>>> handles = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      handles.add(
          runtime.spawn(
              "http GET /bench",
              cx ->
                  cx.scope(
                      RegionPolicy.FAIL_FAST,
                      Budget.timeout(cx.now(), TIMEOUT),
                      inner -> {
                        access(inner.taskId(), inner.regionId());
                        return null;
                      })));
    }
    return await(handles);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int requestScope() {
    List<TaskHandle<Outcome<Object>>> handles = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      handles.add(
          runtime.spawn(
              "http GET /bench",
              RegionPolicy.FAIL_FAST,
              Budget.timeout(runtime.clock().now(), TIMEOUT),
              inner -> {
                access(inner.taskId(), inner.regionId());
                return null;
              }));
    }
    return await(handles);
  }

  private void access(long task, long region) {
    runtime
        .trace()
        .record(
            io.asupersync.trace.TraceKind.ACCESS,
            task,
            region,
            0,
            java.util.Map.of(
                "protocol", "HTTP/1.1",
                "method", "GET",
                "route", "/bench",
                "status", Integer.toString(200),
                "durationMicros", Long.toString(System.nanoTime() / 1000 % 1000)));
  }

  private static int await(List<? extends TaskHandle<?>> handles) {
    int done = 0;
    for (TaskHandle<?> h : handles) {
      while (!h.isDone()) {
        Thread.onSpinWait();
        Thread.yield();
      }
      done++;
    }
    return done;
  }
}
