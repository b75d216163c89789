package io.asupersync;

/** What the runtime does when a task ends holding a reserved obligation. */
public enum LeakResponse {
  /** The task's outcome becomes Panicked with an {@link ObligationLeakException}; the lab default. */
  PANIC,
  /** Marks the obligation leaked and logs a warning. */
  LOG,
  /** Marks the obligation leaked; only the trace and counters show it. */
  SILENT,
  /** Aborts the obligation (running its abort action) and logs a warning. */
  RECOVER
}
