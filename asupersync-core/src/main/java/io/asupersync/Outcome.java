package io.asupersync;

import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * How a task, scope or combinator ended. Four cases ordered by severity: {@link Ok} &lt; {@link Err}
 * &lt; {@link Cancelled} &lt; {@link Panicked}. {@link #combine} keeps the more severe of two outcomes
 * (the left one on ties; of two cancellations the one with the stronger reason).
 *
 * <p>A checked exception thrown by a task body is an {@link Err}; an unchecked throwable that the body
 * did not declare ({@link RuntimeException}, {@link Error}) is a {@link Panicked}.
 *
 * @param <T> the value type of the Ok case
 */
public sealed interface Outcome<T> permits Outcome.Ok, Outcome.Err, Outcome.Cancelled, Outcome.Panicked {

  /** Completed with a value (which may be null for tasks that return nothing). */
  record Ok<T>(@Nullable T value) implements Outcome<T> {}

  /** Completed with a declared (checked) failure. */
  record Err<T>(Exception error) implements Outcome<T> {
    public Err {
      Objects.requireNonNull(error, "error");
    }
  }

  /** Stopped by the cancellation protocol; the reason says who asked and why. */
  record Cancelled<T>(CancelReason reason) implements Outcome<T> {
    public Cancelled {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Ended by an undeclared throwable: a bug, never an expected failure. */
  record Panicked<T>(Throwable cause) implements Outcome<T> {
    public Panicked {
      Objects.requireNonNull(cause, "cause");
    }
  }

  static <T> Outcome<T> ok(@Nullable T value) {
    return new Ok<>(value);
  }

  static <T> Outcome<T> err(Exception error) {
    return new Err<>(error);
  }

  static <T> Outcome<T> cancelled(CancelReason reason) {
    return new Cancelled<>(reason);
  }

  static <T> Outcome<T> panicked(Throwable cause) {
    return new Panicked<>(cause);
  }

  /** Severity rank: Ok 0, Err 1, Cancelled 2, Panicked 3. */
  default int severity() {
    return switch (this) {
      case Ok<T> ok -> 0;
      case Err<T> err -> 1;
      case Cancelled<T> cancelled -> 2;
      case Panicked<T> panicked -> 3;
    };
  }

  default boolean isOk() {
    return this instanceof Ok;
  }

  /**
   * The more severe of {@code this} and {@code other}; {@code this} on equal severity, except that
   * of two cancellations the one whose reason has the strictly higher kind severity wins.
   */
  default Outcome<T> combine(Outcome<T> other) {
    if (other.severity() > severity()) {
      return other;
    }
    if (this instanceof Cancelled<T> mine && other instanceof Cancelled<T> theirs) {
      return theirs.reason().kind().severity() > mine.reason().kind().severity() ? other : this;
    }
    return this;
  }

  /**
   * The value of an Ok outcome; otherwise rethrows so that the failure keeps its kind when it
   * propagates out of an enclosing task body: an Err rethrows its exception, a Cancelled throws
   * {@link CancelledException} with its reason, a Panicked rethrows its cause (wrapped in {@link
   * OutcomeException} if that cause is a checked exception).
   */
  default @Nullable T orThrow() throws Exception {
    return switch (this) {
      case Ok<T> ok -> ok.value();
      case Err<T> err -> throw err.error();
      case Cancelled<T> c -> throw new CancelledException(c.reason());
      case Panicked<T> p -> {
        if (p.cause() instanceof RuntimeException re) {
          throw re;
        }
        if (p.cause() instanceof Error e) {
          throw e;
        }
        throw new OutcomeException(this);
      }
    };
  }

  /** Maps the value of an Ok outcome; other outcomes pass through unchanged. */
  @SuppressWarnings({"unchecked", "NullAway"})
  default <R> Outcome<R> map(Function<? super @Nullable T, ? extends @Nullable R> mapper) {
    if (this instanceof Ok<T> ok) {
      return new Ok<>(mapper.apply(ok.value()));
    }
    return (Outcome<R>) this;
  }
}
