package io.asupersync.lab;

import io.asupersync.LeakResponse;
import io.asupersync.ObligationLeakException;
import io.asupersync.Outcome;
import io.asupersync.Runtime;
import io.asupersync.TaskBody;
import io.asupersync.TaskHandle;
import io.asupersync.internal.RuntimeAccess;
import io.asupersync.trace.TraceEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/**
 * Runs application code under the lab scheduler: exactly one task at a time, every yield point a
 * scheduling decision taken from the seed, virtual time, obligation leaks as panics, and the oracles
 * checked after the run. The body is the very code production runs; it sees the same {@code Cx} API.
 *
 * <pre>{@code
 * LabRun<Integer> run = LabRuntime.run(LabConfig.seed(42), cx -> {
 *   TaskHandle<Integer> a = cx.spawn(c -> 1);
 *   return a.join(cx).orThrow() + 1;
 * });
 * assertTrue(run.passed(), run.report());
 * }</pre>
 *
 * <p>Keep all state a run mutates inside the body: a body is run once per seed, and anything shared
 * between runs breaks determinism.
 */
public final class LabRuntime {

  private LabRuntime() {}

  public static <T> LabRun<T> run(long seed, TaskBody<T> body) {
    return run(LabConfig.seed(seed), body);
  }

  public static <T> LabRun<T> run(LabConfig config, TaskBody<T> body) {
    LabClock clock = new LabClock();
    LabScheduler scheduler = new LabScheduler(config, clock);
    List<TraceEvent> trace = Collections.synchronizedList(new ArrayList<>());
    Runtime.Builder builder =
        Runtime.builder()
            .clock(clock)
            .seed(config.seed())
            .leakResponse(LeakResponse.PANIC)
            .traceCapacity(256)
            .traceSink(trace::add)
            .shutdownTimeout(Duration.ofMillis(500))
            .threadFactory(Thread.ofVirtual().name("asupersync-lab-", 1).factory());
    Runtime runtime = RuntimeAccess.withScheduler(builder, c -> scheduler).build();
    TaskHandle<Outcome<T>> root = runtime.spawn("lab-main", body);
    try {
      scheduler.awaitEnd();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a lab run", e);
    }
    boolean aborted = scheduler.aborted();
    if (!aborted) {
      runtime.shutdown();
    }
    List<TraceEvent> events;
    synchronized (trace) {
      events = List.copyOf(trace);
    }
    TreeSet<Violation> violations = new TreeSet<>(scheduler.violations());
    if (!aborted) {
      violations.addAll(Oracles.check(events));
    }
    Outcome<T> outcome = root.outcome().map(LabRuntime::flatten).orElse(null);
    if (outcome instanceof Outcome.Panicked<T> p && !(p.cause() instanceof ObligationLeakException)) {
      // The body itself (a failed assertion, an undeclared exception) is application code too.
      violations.add(new Violation(Oracle.PANIC, "task " + root.id() + ":" + root.name() + " panicked: " + p.cause(), List.of(root.id())));
    }
    return new LabRun<>(
        config,
        outcome,
        new ArrayList<>(violations),
        scheduler.steps(),
        clock.elapsed(),
        Fingerprint.of(events),
        events,
        scheduler.choices());
  }

  @SuppressWarnings("unchecked")
  private static <T> Outcome<T> flatten(Outcome<Outcome<T>> o) {
    if (o instanceof Outcome.Ok<Outcome<T>> ok && ok.value() != null) {
      return ok.value();
    }
    return (Outcome<T>) (Outcome<?>) o;
  }
}
