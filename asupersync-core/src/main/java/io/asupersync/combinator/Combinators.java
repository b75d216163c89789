package io.asupersync.combinator;

import io.asupersync.Budget;
import io.asupersync.CancelKind;
import io.asupersync.CancelReason;
import io.asupersync.CancelledException;
import io.asupersync.Cx;
import io.asupersync.Outcome;
import io.asupersync.RegionPolicy;
import io.asupersync.TaskBody;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Structured combinators over task bodies. Every method takes the caller's {@link Cx}, runs its
 * branches in a child scope of the caller ({@link Cx#scope}), and returns only once that scope has
 * closed. Hence the guarantees common to all of them:
 *
 * <ul>
 *   <li><b>Nothing outlives the call.</b> Every branch, and everything a branch spawned, has finished
 *       when the method returns, finalizers included.
 *   <li><b>What is cancelled is drained.</b> A branch cancelled by the combinator (a race loser, a
 *       branch past a reached quorum) has ended and its finalizers ({@link Cx#defer} inside the
 *       branch) have run before the method returns. Draining is bounded only by the branches
 *       themselves: a branch that never reaches a checkpoint holds the combinator up, exactly as it
 *       would hold up any scope.
 *   <li><b>Each branch is its own subtree.</b> A branch runs as a task whose body runs in a scope of its
 *       own, so what the branch spawns is cancelled and awaited with it. The branch task is cancelled
 *       with the combinator's reason ({@link CancelKind#RACE_LOST}, {@link CancelKind#FAIL_FAST});
 *       code inside the branch body observes it as {@link CancelKind#PARENT_CANCELLED} caused by that
 *       reason ({@link CancelReason#root()}), as everywhere a body runs inside a scope of a cancelled
 *       task.
 *   <li><b>Cancellation of the caller</b> cancels every branch with {@link
 *       CancelKind#PARENT_CANCELLED}, drains them, and comes back as an {@link Outcome.Cancelled}
 *       (never as a thrown {@link CancelledException}); the caller's next checkpoint throws as usual.
 *   <li><b>Waiting is cancel-aware and never spins:</b> branches report to a completion queue and
 *       unpark the caller, which parks with {@link Cx#park}.
 *   <li><b>A panic is never hidden by a winner:</b> in {@link #race}, {@link #quorum} and {@link
 *       #hedge} a branch that ends {@link Outcome.Panicked} (a bug) ends the combinator with that
 *       outcome at once, cancelling the other branches with {@link CancelKind#FAIL_FAST}.
 * </ul>
 *
 * <p>Branch tasks are named after the combinator and their position ({@code race-0}, {@code
 * hedge-backup}, ...). Finalizers a branch registers run when that branch's own scope closes; one that
 * fails shows in that branch's outcome, as with {@link Cx#scope}. {@link #timeout} and {@link #retry}
 * run their body on the calling task, in a scope of the combinator (one per attempt for retry).
 */
public final class Combinators {

  private Combinators() {}

  // ---- join

  /**
   * Runs every branch concurrently and waits for all of them; returns their outcomes in branch order.
   * The branches share a {@link RegionPolicy#COLLECT_ALL} scope: one that fails does not cancel the
   * others. If the caller is cancelled meanwhile, the branches still running are cancelled (their
   * outcomes say so) and drained before this returns.
   *
   * @return one outcome per branch, in the order of {@code branches}; never null elements
   */
  public static <T> List<Outcome<T>> join(Cx cx, List<? extends TaskBody<T>> branches) {
    Objects.requireNonNull(cx, "cx");
    List<TaskBody<T>> bodies = copyOf(branches);
    if (bodies.isEmpty()) {
      return List.of();
    }
    Branches<T> b = new Branches<>("join");
    Outcome<Integer> scope =
        cx.scope(
            RegionPolicy.COLLECT_ALL,
            Budget.unlimited(),
            c -> {
              try {
                for (TaskBody<T> body : bodies) {
                  b.start(c, body);
                }
                return bodies.size(); // the scope's close awaits every branch
              } finally {
                b.stopListening();
              }
            });
    List<Outcome<T>> outcomes = new ArrayList<>(bodies.size());
    for (int i = 0; i < bodies.size(); i++) {
      Outcome<T> o = i < b.started() ? b.outcomeIfDone(i) : null;
      if (o == null) {
        o =
            scope.isOk()
                ? Outcome.cancelled(
                    CancelReason.from(
                        cx,
                        CancelKind.PARENT_CANCELLED,
                        "join branch " + i + " did not finish within its cleanup budget"))
                : retype(scope); // the branch could not be started
      }
      outcomes.add(o);
    }
    return List.copyOf(outcomes);
  }

  /**
   * Runs every branch concurrently; Ok with every value (in branch order) if every branch ends Ok.
   * The first branch to end otherwise (Err, Cancelled or Panicked) decides the outcome: the others
   * are cancelled with {@link CancelKind#FAIL_FAST} and drained before this returns.
   *
   * @return Ok with one value per branch (a value may be null when a branch returned null), or the
   *     first failure
   */
  public static <T> Outcome<List<T>> joinFailFast(Cx cx, List<? extends TaskBody<T>> branches) {
    Objects.requireNonNull(cx, "cx");
    List<TaskBody<T>> bodies = copyOf(branches);
    if (bodies.isEmpty()) {
      return Outcome.ok(List.of());
    }
    return Combinators.<T, List<T>>inScope(
        cx,
        "join",
        (c, b) -> {
          for (TaskBody<T> body : bodies) {
            b.start(c, body);
          }
          @Nullable Object[] values = new @Nullable Object[bodies.size()];
          while (b.pending() > 0) {
            int i = b.awaitNext(c, null);
            Outcome<T> o = b.outcome(c, i);
            if (!(o instanceof Outcome.Ok<T> ok)) {
              b.cancelRest(c, CancelKind.FAIL_FAST, "join: branch " + b.name(i) + " failed");
              return retype(o);
            }
            values[i] = ok.value();
          }
          return Outcome.ok(listOf(values));
        });
  }

  // ---- race

  /**
   * Runs every branch concurrently; the first to end {@link Outcome.Ok} wins. The moment it does,
   * the others are cancelled with {@link CancelKind#RACE_LOST} and drained (ended, finalizers run)
   * before this returns. A branch that ends Err or Cancelled drops out and the race goes on; a branch
   * that panics ends the race at once (see the class documentation). If no branch ends Ok, the result
   * is the most severe of their outcomes, the earliest on ties.
   *
   * @throws IllegalArgumentException if {@code branches} is empty
   */
  public static <T> Outcome<T> race(Cx cx, List<? extends TaskBody<T>> branches) {
    Objects.requireNonNull(cx, "cx");
    List<TaskBody<T>> bodies = copyOf(branches);
    if (bodies.isEmpty()) {
      throw new IllegalArgumentException("race needs at least one branch");
    }
    return Combinators.<T, T>inScope(
        cx,
        "race",
        (c, b) -> {
          for (TaskBody<T> body : bodies) {
            b.start(c, body);
          }
          return b.firstOk(c);
        });
  }

  // ---- timeout

  /**
   * Runs {@code body} on the calling task in a fail-fast child scope whose budget deadline is {@code
   * duration} from now (met with the caller's budget, so a nearer deadline of the caller still
   * applies). Inside, the deadline is an ordinary budget deadline: {@link Cx#budget()} shows it, the
   * body's waits wake at it and the next checkpoint cancels the scope with {@link
   * CancelKind#DEADLINE}; everything the body spawned is cancelled and drained, its finalizers run,
   * before this returns.
   *
   * <p>When it is this timeout's deadline that expired, the outcome is {@link Outcome.Cancelled} with
   * kind {@link CancelKind#TIMEOUT}, caused by the scope's {@link CancelKind#DEADLINE} reason. When
   * the caller's own deadline was the nearer one, its {@link CancelKind#DEADLINE} outcome is returned
   * unchanged: the caller is out of time, not just this operation. A body that finishes before the
   * deadline returns its own outcome. Expiry is observed at checkpoints and runtime waits: a body
   * that never reaches one runs to its end.
   *
   * @throws IllegalArgumentException if {@code duration} is negative
   */
  public static <T> Outcome<T> timeout(Cx cx, Duration duration, TaskBody<T> body) {
    Objects.requireNonNull(cx, "cx");
    Objects.requireNonNull(body, "body");
    requireNotNegative(duration, "timeout");
    Instant start = cx.now();
    Instant deadline = start.plus(duration);
    Instant callerDeadline = cx.remaining().deadline();
    boolean ours = callerDeadline == null || deadline.isBefore(callerDeadline);
    Outcome<T> outcome = cx.scope(RegionPolicy.FAIL_FAST, Budget.timeout(start, duration), body);
    if (ours
        && outcome instanceof Outcome.Cancelled<T> cancelled
        && cancelled.reason().kind() == CancelKind.DEADLINE
        && !cx.now().isBefore(deadline)) {
      CancelReason expired = cancelled.reason();
      return Outcome.cancelled(
          new CancelReason(
              CancelKind.TIMEOUT,
              expired.originRegion(),
              cx.taskId(),
              expired.at(),
              "timed out after " + duration,
              expired));
    }
    return outcome;
  }

  // ---- quorum

  /**
   * Runs every branch concurrently and succeeds with the values of the first {@code k} branches to end
   * {@link Outcome.Ok}, in the order they ended. As soon as {@code k} have succeeded, the others are
   * cancelled with {@link CancelKind#RACE_LOST}; as soon as so many have failed (Err or Cancelled)
   * that {@code k} successes are impossible, the outcome is an {@link Outcome.Err} holding a {@link
   * QuorumFailedException} that lists the failures, and the others are cancelled with {@link
   * CancelKind#FAIL_FAST}. Either way they are drained before this returns. A branch that panics ends
   * the quorum at once with its outcome.
   *
   * @throws IllegalArgumentException unless {@code 1 <= k <= branches.size()}
   */
  public static <T> Outcome<List<T>> quorum(Cx cx, int k, List<? extends TaskBody<T>> branches) {
    Objects.requireNonNull(cx, "cx");
    List<TaskBody<T>> bodies = copyOf(branches);
    int n = bodies.size();
    if (k < 1 || k > n) {
      throw new IllegalArgumentException("quorum needs 1 <= k <= " + n + " branches, was k=" + k);
    }
    return Combinators.<T, List<T>>inScope(
        cx,
        "quorum",
        (c, b) -> {
          for (TaskBody<T> body : bodies) {
            b.start(c, body);
          }
          List<@Nullable Object> values = new ArrayList<>(k);
          List<QuorumFailedException.Failure> failures = new ArrayList<>();
          while (true) {
            int i = b.awaitNext(c, null);
            Outcome<T> o = b.outcome(c, i);
            switch (o) {
              case Outcome.Ok<T> ok -> {
                values.add(ok.value());
                if (values.size() == k) {
                  b.cancelRest(c, CancelKind.RACE_LOST, "quorum of " + k + " reached");
                  return Outcome.ok(listOf(values.toArray()));
                }
              }
              case Outcome.Panicked<T> p -> {
                b.cancelRest(c, CancelKind.FAIL_FAST, "quorum: branch " + b.name(i) + " panicked");
                return retype(o);
              }
              default -> {
                failures.add(new QuorumFailedException.Failure(i, o));
                if (n - failures.size() < k) {
                  b.cancelRest(c, CancelKind.FAIL_FAST, "quorum of " + k + " unreachable");
                  return Outcome.err(new QuorumFailedException(k, values.size(), n, failures));
                }
              }
            }
          }
        });
  }

  // ---- hedge

  /**
   * {@link #hedge(Cx, Duration, TaskBody, TaskBody)} with the same body as primary and backup.
   */
  public static <T> Outcome<T> hedge(Cx cx, Duration delay, TaskBody<T> body) {
    return hedge(cx, delay, body, body);
  }

  /**
   * Starts {@code primary}; if it has not ended after {@code delay}, starts {@code backup} as well and
   * the first of the two to end {@link Outcome.Ok} wins, the other being cancelled with {@link
   * CancelKind#RACE_LOST} and drained before this returns. If the primary ends within the delay, with
   * any outcome, that outcome is returned and the backup never starts. Once both run, one that ends
   * Err or Cancelled leaves the other to finish; if neither ends Ok, the more severe outcome is
   * returned; a panic ends the hedge at once.
   *
   * @throws IllegalArgumentException if {@code delay} is negative
   */
  public static <T> Outcome<T> hedge(Cx cx, Duration delay, TaskBody<T> primary, TaskBody<T> backup) {
    Objects.requireNonNull(cx, "cx");
    Objects.requireNonNull(primary, "primary");
    Objects.requireNonNull(backup, "backup");
    requireNotNegative(delay, "hedge delay");
    return Combinators.<T, T>inScope(
        cx,
        "hedge",
        (c, b) -> {
          b.start(c, "primary", primary);
          int first = b.awaitNext(c, c.now().plus(delay));
          if (first >= 0) {
            return b.outcome(c, first);
          }
          c.trace("combinator.hedge", Map.of("delay", delay.toString()));
          b.start(c, "backup", backup);
          return b.firstOk(c);
        });
  }

  // ---- retry

  /**
   * Runs {@code body} until it ends {@link Outcome.Ok} or the policy gives up, each attempt on the
   * calling task in a fail-fast child scope of its own (so an attempt's children and finalizers are
   * done before the next attempt starts). Only {@link Outcome.Err} outcomes accepted by {@link
   * RetryPolicy#retryOn()} are retried; Cancelled and Panicked outcomes are returned at once. Between
   * attempts the caller sleeps {@link RetryPolicy#backoff} on the runtime clock with {@link
   * Cx#sleep}, drawing jitter from {@link Cx#random()} (seeded, so a run replays); cancelling the
   * caller wakes that sleep and ends the loop with {@link Outcome.Cancelled}.
   *
   * @return the first Ok outcome, the first outcome not to retry, or the last attempt's Err
   */
  public static <T> Outcome<T> retry(Cx cx, RetryPolicy policy, TaskBody<T> body) {
    Objects.requireNonNull(cx, "cx");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(body, "body");
    for (int attempt = 1; ; attempt++) {
      Outcome<T> outcome = cx.scope(body);
      if (!(outcome instanceof Outcome.Err<T> err)
          || attempt >= policy.maxAttempts()
          || !policy.retryOn().test(err.error())) {
        return outcome;
      }
      Duration pause = policy.backoff(attempt, cx.random());
      cx.trace(
          "combinator.retry",
          Map.of(
              "attempt", Integer.toString(attempt),
              "backoff", pause.toString(),
              "error", err.error().getClass().getName()));
      try {
        cx.sleep(pause);
      } catch (CancelledException e) {
        return Outcome.cancelled(cx.cancelReason().orElse(e.reason()));
      }
    }
  }

  // ---- shared

  /** The decision logic of a combinator, run in its scope with its branches. */
  @FunctionalInterface
  private interface Decision<T, R> {
    Outcome<R> decide(Cx scope, Branches<T> branches) throws Exception;
  }

  /**
   * Runs {@code decision} in a {@link RegionPolicy#COLLECT_ALL} child scope (branches fail only when
   * the decision says so) and flattens the scope's outcome: Ok carries the decision's outcome, any
   * other case (the caller was cancelled, a finalizer of the scope failed) is the result itself.
   */
  private static <T, R> Outcome<R> inScope(Cx cx, String label, Decision<T, R> decision) {
    Branches<T> b = new Branches<>(label);
    Outcome<Outcome<R>> scoped =
        cx.scope(
            RegionPolicy.COLLECT_ALL,
            Budget.unlimited(),
            c -> {
              try {
                return decision.decide(c, b);
              } finally {
                b.stopListening();
              }
            });
    if (scoped instanceof Outcome.Ok<Outcome<R>> ok) {
      return Objects.requireNonNull(ok.value(), "decision outcome");
    }
    return retype(scoped);
  }

  @SuppressWarnings("unchecked")
  private static <R> Outcome<R> retype(Outcome<?> failure) {
    if (failure.isOk()) {
      throw new IllegalStateException("an Ok outcome cannot be retyped");
    }
    return (Outcome<R>) failure;
  }

  /** An unmodifiable list that admits the null values of branches that return nothing. */
  @SuppressWarnings("unchecked")
  private static <T> List<T> listOf(@Nullable Object[] values) {
    return (List<T>) Collections.unmodifiableList(Arrays.asList(values));
  }

  private static <T> List<TaskBody<T>> copyOf(List<? extends TaskBody<T>> branches) {
    Objects.requireNonNull(branches, "branches");
    List<TaskBody<T>> copy = new ArrayList<>(branches.size());
    for (TaskBody<T> body : branches) {
      copy.add(Objects.requireNonNull(body, "branch body"));
    }
    return copy;
  }

  private static void requireNotNegative(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative, was " + d);
    }
  }
}
