package io.asupersync;

/** Carries an outcome as an exception, for a Panicked outcome whose cause is a checked exception. */
public final class OutcomeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial")
  private final Outcome<?> outcome;

  OutcomeException(Outcome<?> outcome) {
    super(describe(outcome), cause(outcome));
    this.outcome = outcome;
  }

  public Outcome<?> outcome() {
    return outcome;
  }

  private static String describe(Outcome<?> outcome) {
    return switch (outcome) {
      case Outcome.Ok<?> ok -> "ok";
      case Outcome.Err<?> err -> "failed: " + err.error();
      case Outcome.Cancelled<?> c -> "cancelled: " + c.reason();
      case Outcome.Panicked<?> p -> "panicked: " + p.cause();
    };
  }

  private static Throwable cause(Outcome<?> outcome) {
    return switch (outcome) {
      case Outcome.Err<?> err -> err.error();
      case Outcome.Panicked<?> p -> p.cause();
      case Outcome.Cancelled<?> c -> new CancelledException(c.reason());
      case Outcome.Ok<?> ok -> new IllegalStateException("ok");
    };
  }
}
