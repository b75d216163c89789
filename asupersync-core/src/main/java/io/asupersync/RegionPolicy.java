package io.asupersync;

/** What a region does when one of its tasks fails. */
public enum RegionPolicy {
  /** An Err or Panicked task cancels its siblings ({@link CancelKind#FAIL_FAST}); the default. */
  FAIL_FAST,
  /** Every task runs to its own end; failures are collected, not propagated. */
  COLLECT_ALL
}
