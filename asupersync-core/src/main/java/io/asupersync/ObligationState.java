package io.asupersync;

/** Reserved, then exactly one of the three terminal states. */
public enum ObligationState {
  RESERVED,
  COMMITTED,
  ABORTED,
  /** Its holder ended without committing or aborting it. */
  LEAKED;

  public boolean isTerminal() {
    return this != RESERVED;
  }
}
