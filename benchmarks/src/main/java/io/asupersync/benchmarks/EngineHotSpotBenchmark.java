package io.asupersync.benchmarks;

import io.asupersync.Clock;
import io.asupersync.trace.TraceBuffer;
import io.asupersync.trace.TraceKind;
import io.asupersync.trace.TraceSink;
import java.time.Instant;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Not a peer comparison: the unit costs of engine pieces that sit on the P1-P5 paths, to attribute
 * their numbers. Every spawn records two trace events (spawned, completed), every obligation
 * reserve+commit two more when obligation tracing is on, and every event reads the runtime clock
 * ({@code Clock.system().now()} builds an {@link Instant}). The last group measures the three
 * atomic operations of one obligation reserve+commit: the runtime-wide id counter, the volatile
 * initial state written in the obligation's constructor, and the settle compare-and-set.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {Bench.UNSAFE, Bench.HEAP_MIN, Bench.HEAP_MAX, Bench.PRETOUCH})
public class EngineHotSpotBenchmark {

  private static final Map<String, String> ONE_ATTR = Map.of("kind", "SEND_PERMIT");
  private static final Map<String, String> TWO_ATTRS = Map.of("kind", "USER", "message", "benchmark");

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(VolatileInit.class, "state", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final Object RESERVED = new Object();
  private static final Object COMMITTED = new Object();

  private final AtomicLong ids = new AtomicLong();
  private final Clock clock = Clock.system();
  private final TraceBuffer trace = new TraceBuffer(4096, clock::now, TraceSink.discard());

  @Benchmark
  public long nanoTime() {
    return System.nanoTime();
  }

  @Benchmark
  public Instant clockNow() {
    return clock.now();
  }

  /** One trace event as a task spawn records it (no attributes). */
  @Benchmark
  public Object traceRecordNoAttributes() {
    return trace.record(TraceKind.TASK_SPAWNED, 1, 2, 0, Map.of());
  }

  /** One trace event as an obligation reserve or a task completion records it (one attribute). */
  @Benchmark
  public Object traceRecordOneAttribute() {
    return trace.record(TraceKind.OBLIGATION_RESERVED, 1, 2, 3, ONE_ATTR);
  }

  /** One trace event as a cancel request records it (two attributes: sorted through a TreeMap). */
  @Benchmark
  public Object traceRecordTwoAttributes() {
    return trace.record(TraceKind.CANCEL_REQUESTED, 1, 2, 0, TWO_ATTRS);
  }

  /** One access event as the HTTP server records it per request (five attributes, two formatted numbers). */
  @Benchmark
  public Object traceRecordAccess() {
    return trace.record(
        TraceKind.ACCESS,
        11,
        12,
        0,
        Map.of(
            "protocol", "HTTP/1.1",
            "method", "GET",
            "route", "/users/{id}",
            "status", Integer.toString(200),
            "durationMicros", Long.toString(System.nanoTime() % 100_000)));
  }

  /** Two threads recording into the one runtime-wide ring (its lock), as concurrent tasks do. */
  @Benchmark
  @Group("traceContended")
  @GroupThreads(2)
  public Object traceRecordTwoThreads() {
    return trace.record(TraceKind.OBLIGATION_RESERVED, 1, 2, 3, ONE_ATTR);
  }

  /** The runtime-wide obligation id counter: one locked add per reserve. */
  @Benchmark
  public long atomicIncrement() {
    return ids.incrementAndGet();
  }

  /** An obligation-sized object whose constructor writes a volatile field (a full fence on x86). */
  @Benchmark
  public Object allocateVolatileInit() {
    return new VolatileInit(RESERVED);
  }

  /** The same object with a plain field. */
  @Benchmark
  public Object allocatePlainInit() {
    return new PlainInit(RESERVED);
  }

  /** All three atomics of one reserve+commit, without the rest of the engine. */
  @Benchmark
  public Object idVolatileInitAndCas() {
    VolatileInit o = new VolatileInit(RESERVED);
    o.id = ids.incrementAndGet();
    if (!STATE.compareAndSet(o, RESERVED, COMMITTED)) {
      throw new IllegalStateException();
    }
    return o;
  }

  static final class VolatileInit {
    long id;
    volatile Object state;
    long a;
    long b;

    VolatileInit(Object initial) {
      state = initial;
    }
  }

  static final class PlainInit {
    long id;
    Object state;
    long a;
    long b;

    PlainInit(Object initial) {
      state = initial;
    }
  }
}
