package io.asupersync;

/**
 * A two-phase effect: reserved by a task, then committed or aborted exactly once. A task that ends
 * while still holding a reserved obligation leaks it, and the runtime's {@link LeakResponse} applies.
 * Obtain one with {@link Cx#reserve}.
 */
public interface Obligation {

  long id();

  ObligationKind kind();

  String description();

  ObligationState state();

  /**
   * Marks the effect done.
   *
   * @throws IllegalStateException if already committed, aborted or leaked
   */
  void commit();

  /**
   * Gives the reservation back, running its abort action.
   *
   * @throws IllegalStateException if already committed, aborted or leaked
   */
  void abort();
}
