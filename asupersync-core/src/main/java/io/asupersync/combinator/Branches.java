package io.asupersync.combinator;

import io.asupersync.CancelKind;
import io.asupersync.CancelReason;
import io.asupersync.Cx;
import io.asupersync.Outcome;
import io.asupersync.TaskBody;
import io.asupersync.TaskHandle;
import io.asupersync.Waker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jspecify.annotations.Nullable;

/**
 * The branches of one combinator call. Each branch is a task spawned into the combinator's scope that
 * runs its body in a scope of its own, so cancelling the branch cancels and drains everything the
 * body started. A branch that ends reports its index on a completion queue and wakes the caller,
 * which waits with {@link Cx#park} (cancel-aware, no spinning).
 *
 * <p>Everything but the completion queue is confined to the caller's thread.
 */
final class Branches<T> {

  private final String label;
  private volatile @Nullable Waker caller;
  private final List<TaskHandle<T>> handles = new ArrayList<>();
  private final ConcurrentLinkedQueue<Integer> ended = new ConcurrentLinkedQueue<>();
  private final BitSet reported = new BitSet();
  private volatile boolean listening = true;

  Branches(String label) {
    this.label = label;
  }

  /** Starts {@code body} as the next branch in the scope of {@code scope}; returns its index. */
  int start(Cx scope, String name, TaskBody<T> body) {
    Objects.requireNonNull(body, "branch body");
    int index = handles.size();
    if (caller == null) {
      caller = scope.waker();
    }
    handles.add(scope.spawn(label + "-" + name, c -> runBranch(c, index, body)));
    return index;
  }

  int start(Cx scope, TaskBody<T> body) {
    return start(scope, Integer.toString(handles.size()), body);
  }

  @SuppressWarnings("NullAway") // an Ok outcome may carry null (a branch that returns nothing)
  private T runBranch(Cx c, int index, TaskBody<T> body) throws Exception {
    try {
      // Rethrowing keeps the failure's kind; a cancelled scope rethrows as the task's own reason.
      return c.scope(body).orThrow();
    } finally {
      ended.add(index);
      Waker waker = caller;
      if (listening && waker != null) {
        waker.wake();
      }
    }
  }

  /** How many branches were started. */
  int started() {
    return handles.size();
  }

  /** How many started branches were not yet returned by {@link #awaitNext}. */
  int pending() {
    return handles.size() - reported.cardinality();
  }

  /**
   * Waits until a started branch ends and returns its index (each index once), or returns -1 once
   * {@code until} passes (never, when null).
   *
   * @throws io.asupersync.CancelledException when the caller is cancelled meanwhile
   */
  int awaitNext(Cx cx, @Nullable Instant until) {
    while (true) {
      Integer index = ended.poll();
      if (index != null) {
        reported.set(index);
        return index;
      }
      cx.checkpoint();
      if (until != null && !cx.now().isBefore(until)) {
        return -1;
      }
      cx.park(until); // a branch that ends unparks us; a spurious wake-up only loops
    }
  }

  /** The outcome of a branch {@link #awaitNext} returned (it has left its body; this ends at once). */
  Outcome<T> outcome(Cx cx, int index) {
    return handles.get(index).join(cx);
  }

  /** The outcome of a finished branch, if it finished (a straggler left behind has none). */
  @Nullable Outcome<T> outcomeIfDone(int index) {
    return handles.get(index).outcome().orElse(null);
  }

  /** Cancels every branch that has not ended; the scope's close then drains them. */
  void cancelRest(Cx cx, CancelKind kind, String message) {
    CancelReason reason = CancelReason.from(cx, kind, message);
    for (int i = 0; i < handles.size(); i++) {
      TaskHandle<T> h = handles.get(i);
      if (!reported.get(i) && !h.isDone()) {
        h.cancel(reason);
      }
    }
  }

  /** Stops waking the caller: the result is decided and the scope only drains from here on. */
  void stopListening() {
    listening = false;
  }

  /**
   * Waits for the pending branches: the first to end Ok wins and the rest are cancelled with {@link
   * CancelKind#RACE_LOST}; one that panics ends the wait at once and the rest are cancelled with
   * {@link CancelKind#FAIL_FAST}; if none ends Ok, returns the most severe failure, the earliest on
   * ties.
   */
  Outcome<T> firstOk(Cx cx) {
    Outcome<T> failure = null;
    while (pending() > 0) {
      int i = awaitNext(cx, null);
      Outcome<T> o = outcome(cx, i);
      switch (o) {
        case Outcome.Ok<T> ok -> {
          cancelRest(cx, CancelKind.RACE_LOST, label + ": branch " + name(i) + " won");
          return o;
        }
        case Outcome.Panicked<T> p -> {
          cancelRest(cx, CancelKind.FAIL_FAST, label + ": branch " + name(i) + " panicked");
          return o;
        }
        default -> failure = failure == null ? o : failure.combine(o);
      }
    }
    return Objects.requireNonNull(failure, "no branch was started");
  }

  String name(int index) {
    return handles.get(index).name();
  }
}
