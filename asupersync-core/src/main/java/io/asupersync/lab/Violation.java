package io.asupersync.lab;

import java.util.Comparator;
import java.util.List;

/**
 * One oracle violation.
 *
 * @param oracle the invariant that failed
 * @param message what was observed
 * @param taskIds the tasks involved, if any
 */
public record Violation(Oracle oracle, String message, List<Long> taskIds) implements Comparable<Violation> {

  private static final Comparator<Violation> ORDER =
      Comparator.comparing((Violation v) -> v.oracle().id()).thenComparing(Violation::message);

  public Violation {
    taskIds = List.copyOf(taskIds);
  }

  @Override
  public int compareTo(Violation other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return oracle.id() + ": " + message + (taskIds.isEmpty() ? "" : " (tasks " + taskIds + ")");
  }
}
