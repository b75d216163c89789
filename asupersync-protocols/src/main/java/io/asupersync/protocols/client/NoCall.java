package io.asupersync.protocols.client;

/** The observer that sees nothing, and its one call. */
enum NoCall implements ClientCallObserver.Call {
  INSTANCE;

  static final ClientCallObserver OBSERVER = call -> INSTANCE;

  @Override
  public void end(CallOutcome outcome) {}
}
