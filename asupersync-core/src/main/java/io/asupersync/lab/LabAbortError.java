package io.asupersync.lab;

/**
 * Unwinds a task thread after the lab gave up on the run (a deadlock that cancellation could not
 * resolve, or a task that escaped the scheduler). Never caught by the runtime.
 */
final class LabAbortError extends Error {
  private static final long serialVersionUID = 1L;

  LabAbortError(String message) {
    super(message, null, false, false);
  }
}
