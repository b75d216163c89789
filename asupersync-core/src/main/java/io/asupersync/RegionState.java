package io.asupersync;

/** The close protocol of a region, in order. */
public enum RegionState {
  /** Admits new tasks. */
  OPEN,
  /** The owner's body finished; new tasks are refused. */
  CLOSING,
  /** Waiting for tasks and child regions to finish (cancelled ones within the cleanup budget). */
  DRAINING,
  /** Running finalizers, last registered first, masked. */
  FINALIZING,
  /** Quiescent: no tasks, no child regions, no reserved obligations, no pending finalizers. */
  CLOSED
}
