package io.asupersync.spring.boot.metrics;

import io.asupersync.CancelKind;
import io.asupersync.Runtime;
import io.asupersync.RuntimeSnapshot.Counters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * Binds the runtime's counters as meters read at scrape time from {@link Runtime#counters()} (no walk of
 * the region tree), and every {@link RejectionCounts} as {@code asupersync.rejections}. Tags are
 * low-cardinality only: a cancel kind, a protocol, a rejection reason.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th></tr>
 *   <tr><td>asupersync.tasks.active</td><td>gauge</td><td></td></tr>
 *   <tr><td>asupersync.tasks.spawned</td><td>counter</td><td></td></tr>
 *   <tr><td>asupersync.regions.active</td><td>gauge</td><td></td></tr>
 *   <tr><td>asupersync.cancellations</td><td>counter</td><td>kind</td></tr>
 *   <tr><td>asupersync.obligations.active</td><td>gauge</td><td></td></tr>
 *   <tr><td>asupersync.obligations.leaked</td><td>counter</td><td></td></tr>
 *   <tr><td>asupersync.rejections</td><td>counter</td><td>protocol, reason</td></tr>
 * </table>
 */
public final class AsupersyncMetrics implements MeterBinder {

  private final Runtime runtime;
  private final List<RejectionCounts> rejections;

  public AsupersyncMetrics(Runtime runtime, List<RejectionCounts> rejections) {
    this.runtime = runtime;
    this.rejections = List.copyOf(rejections);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    gauge(registry, "asupersync.tasks.active", "Tasks not yet finished", "tasks", Counters::tasksActive);
    counter(registry, "asupersync.tasks.spawned", "Tasks started", "tasks", Counters::tasksSpawned);
    gauge(registry, "asupersync.regions.active", "Regions open and not yet closed", "regions", Counters::regionsActive);
    gauge(
        registry,
        "asupersync.obligations.active",
        "Obligations reserved and not yet committed, aborted or leaked",
        "obligations",
        Counters::obligationsActive);
    counter(
        registry,
        "asupersync.obligations.leaked",
        "Obligations a task ended holding",
        "obligations",
        Counters::obligationsLeaked);
    for (CancelKind kind : CancelKind.values()) {
      FunctionCounter.builder(
              "asupersync.cancellations",
              runtime,
              r -> r.counters().tasksCancelledByKind().getOrDefault(kind, 0L))
          .description("Tasks that finished cancelled, by the kind of their cancel reason")
          .baseUnit("tasks")
          .tag("kind", kind.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
    for (RejectionCounts source : rejections) {
      for (String reason : source.reasons()) {
        FunctionCounter.builder("asupersync.rejections", source, s -> s.count(reason))
            .description("Inputs a protocol rejected, by reason")
            .tag("protocol", source.protocol())
            .tag("reason", reason)
            .register(registry);
      }
    }
  }

  private void gauge(
      MeterRegistry registry, String name, String description, String unit, ToLongFunction<Counters> value) {
    Gauge.builder(name, runtime, r -> value.applyAsLong(r.counters()))
        .description(description)
        .baseUnit(unit)
        .strongReference(true)
        .register(registry);
  }

  private void counter(
      MeterRegistry registry, String name, String description, String unit, ToLongFunction<Counters> value) {
    FunctionCounter.builder(name, runtime, r -> value.applyAsLong(r.counters()))
        .description(description)
        .baseUnit(unit)
        .register(registry);
  }
}
