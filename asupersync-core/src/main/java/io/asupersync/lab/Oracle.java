package io.asupersync.lab;

/** The invariants a lab run is checked against, each reported under its snake_case name. */
public enum Oracle {
  /** A task was still running when the run ended. */
  TASK_LEAK("task_leak"),
  /** A region was still open when the run ended. */
  QUIESCENCE("quiescence"),
  /** A task ended holding a reserved obligation. */
  OBLIGATION_LEAK("obligation_leak"),
  /** A task cancelled as a race loser had not finished when its region closed. */
  LOSER_DRAIN("loser_drain"),
  /** Cancellation acknowledged without a request, or a reason that weakened. */
  CANCELLATION_PROTOCOL("cancellation_protocol"),
  /** A region closed before its tasks or children, or admitted work after closing. */
  REGION_TREE("region_tree"),
  /** A child deadline later than its region's, or time that went backwards. */
  DEADLINE_MONOTONE("deadline_monotone"),
  /** A registered finalizer did not run to completion before its region closed. */
  FINALIZER("finalizer"),
  /** A task held obligations and was not scheduled for the futurelock step limit. */
  FUTURELOCK("futurelock"),
  /** Live tasks, none runnable and none waiting on time. */
  DEADLOCK("deadlock"),
  /** A task blocked outside runtime primitives (Thread.sleep, a JDK lock, a socket). */
  ESCAPE("escape"),
  /** The run exceeded its step limit (a livelock or an unbounded loop). */
  STEP_LIMIT("step_limit"),
  /** A task panicked: an undeclared exception or a failed assertion in application code. */
  PANIC("panic"),
  /** A replay could not follow its recorded choices. */
  REPLAY_DIVERGENCE("replay_divergence");

  private final String id;

  Oracle(String id) {
    this.id = id;
  }

  /** The name used in reports. */
  public String id() {
    return id;
  }
}
