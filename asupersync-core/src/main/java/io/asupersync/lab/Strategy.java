package io.asupersync.lab;

/** How the lab scheduler picks the next task at each scheduling point. */
public enum Strategy {
  /** Uniformly at random among runnable tasks, from the seed. */
  RANDOM,
  /**
   * Probabilistic concurrency testing: random task priorities, the highest runnable runs, and at
   * {@code depth - 1} random steps the running task drops to the lowest priority. Finds bugs of
   * depth d with probability at least 1/(n·k^(d-1)) per run.
   */
  PCT
}
