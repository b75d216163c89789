package io.asupersync.lab;

import io.asupersync.Outcome;
import io.asupersync.trace.TraceEvent;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The result of one lab run: the body's outcome, the oracle violations, and everything needed to
 * reproduce the run.
 *
 * @param config the configuration that produced it (its seed reproduces it)
 * @param outcome the body's outcome; null when the run was aborted before the body finished
 * @param violations oracle violations, sorted by oracle name
 * @param steps scheduling steps taken
 * @param virtualTime virtual time elapsed
 * @param fingerprint schedule fingerprint, equal for runs that differ only in the order of independent
 *     events
 * @param trace every trace event of the run, in order
 * @param choices the task chosen at each scheduling decision (feed to {@link LabConfig#withReplay})
 * @param <T> the body's value type
 */
public record LabRun<T>(
    LabConfig config,
    @Nullable Outcome<T> outcome,
    List<Violation> violations,
    long steps,
    Duration virtualTime,
    long fingerprint,
    List<TraceEvent> trace,
    List<Long> choices) {

  public LabRun {
    violations = List.copyOf(violations);
    trace = List.copyOf(trace);
    choices = List.copyOf(choices);
  }

  /** Whether no oracle fired. */
  public boolean passed() {
    return violations.isEmpty();
  }

  /** Whether the given oracle fired. */
  public boolean violated(Oracle oracle) {
    return violations.stream().anyMatch(v -> v.oracle() == oracle);
  }

  /** How to run exactly this schedule again. */
  public String reproduction() {
    return config.reproduction();
  }

  /**
   * A report for a human: seed, steps, virtual time, fingerprint, the sorted violations, the last trace
   * events of each task involved, and a one-line reproduction.
   */
  public String report() {
    StringBuilder sb = new StringBuilder();
    sb.append(passed() ? "Lab run passed" : "Lab run FAILED")
        .append(" (seed ").append(config.seed())
        .append(", ").append(config.strategy())
        .append(config.strategy() == Strategy.PCT ? " depth " + config.pctDepth() : "")
        .append(", faults ").append(config.faults()).append(")\n");
    sb.append("  steps ").append(steps)
        .append(", virtual time ").append(virtualTime)
        .append(", fingerprint ").append(String.format("%016x", fingerprint)).append('\n');
    sb.append("  outcome ").append(outcome).append('\n');
    if (!violations.isEmpty()) {
      sb.append("  violations:\n");
      for (Violation v : violations) {
        sb.append("    - ").append(v).append('\n');
      }
      Set<Long> involved = new HashSet<>();
      violations.forEach(v -> involved.addAll(v.taskIds()));
      List<TraceEvent> last = Oracles.lastEventsOf(trace, involved, 5);
      if (!last.isEmpty()) {
        sb.append("  last events of the tasks involved:\n");
        for (TraceEvent e : last) {
          sb.append("    #").append(e.sequence()).append(' ').append(e.time()).append(' ').append(e.kind())
              .append(" task=").append(e.taskId()).append(" region=").append(e.regionId());
          if (e.obligationId() != 0) {
            sb.append(" obligation=").append(e.obligationId());
          }
          if (!e.attributes().isEmpty()) {
            sb.append(' ').append(new java.util.TreeMap<>(e.attributes()));
          }
          sb.append('\n');
        }
      }
    }
    sb.append("  reproduce: ").append(reproduction()).append('\n');
    return sb.toString();
  }
}
