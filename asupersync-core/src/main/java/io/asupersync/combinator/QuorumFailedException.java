package io.asupersync.combinator;

import io.asupersync.Outcome;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A {@link Combinators#quorum quorum} became unreachable: so many branches failed that fewer than the
 * required number could still succeed. The {@link Outcome.Err} errors of the failed branches are also
 * attached as suppressed exceptions.
 */
public final class QuorumFailedException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * One branch that ended without a value.
   *
   * @param branch the branch's position in the list given to {@code quorum}, from 0
   * @param outcome how it ended: {@link Outcome.Err} or {@link Outcome.Cancelled}
   */
  public record Failure(int branch, Outcome<?> outcome) {
    public Failure {
      Objects.requireNonNull(outcome, "outcome");
    }
  }

  private final int required;
  private final int succeeded;
  private final int branches;

  @SuppressWarnings("serial")
  private final List<Failure> failures;

  QuorumFailedException(int required, int succeeded, int branches, List<Failure> failures) {
    super(
        "quorum of "
            + required
            + " of "
            + branches
            + " unreachable: "
            + succeeded
            + " succeeded, "
            + failures.size()
            + " failed ["
            + failures.stream().map(QuorumFailedException::describe).collect(Collectors.joining(", "))
            + "]");
    this.required = required;
    this.succeeded = succeeded;
    this.branches = branches;
    this.failures = List.copyOf(failures);
    for (Failure f : failures) {
      if (f.outcome() instanceof Outcome.Err<?> err) {
        addSuppressed(err.error());
      }
    }
  }

  /** How many branches had to succeed. */
  public int required() {
    return required;
  }

  /** How many branches had succeeded when the quorum became unreachable. */
  public int succeeded() {
    return succeeded;
  }

  /** How many branches the quorum ran. */
  public int branches() {
    return branches;
  }

  /** The branches that failed, in the order they ended; never empty. */
  public List<Failure> failures() {
    return failures;
  }

  private static String describe(Failure f) {
    String how =
        switch (f.outcome()) {
          case Outcome.Err<?> err -> "err " + err.error();
          case Outcome.Cancelled<?> c -> "cancelled " + c.reason().kind();
          case Outcome.Panicked<?> p -> "panicked " + p.cause();
          case Outcome.Ok<?> ok -> "ok";
        };
    return "#" + f.branch() + " " + how;
  }
}
