package io.asupersync.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Outcome;
import io.asupersync.Runtime;
import io.asupersync.TaskBody;
import io.asupersync.TaskHandle;
import io.asupersync.testutil.Await;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/** Test plumbing on top of {@link Await}: run bodies, wait until a task is parked, cancel, unwrap. */
final class Tasks {
  static final Duration TIMEOUT = Await.TIMEOUT;

  private Tasks() {}

  /** Runs {@code body} to completion and returns its value, rethrowing its failure. */
  static <T> T call(Runtime rt, TaskBody<T> body) throws Exception {
    return rt.run(body).orThrow();
  }

  /** Waits until the thread recorded in {@code thread} is parked (its task blocks in a runtime wait). */
  static void awaitParked(AtomicReference<Thread> thread) {
    Await.until("the task is parked", () -> {
      Thread t = thread.get();
      return t != null && (t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING);
    });
  }

  static void await(String what, java.util.function.BooleanSupplier condition) {
    Await.until(what, condition);
  }

  static <T> Outcome<T> outcome(TaskHandle<Outcome<T>> root) {
    return Await.outcome(root);
  }

  static void cancel(TaskHandle<?> handle) {
    handle.cancel(Await.user("test cancels " + handle.name()));
  }

  static void assertCancelled(Outcome<?> outcome) {
    assertThat(outcome).isInstanceOf(Outcome.Cancelled.class);
  }

  /** The failure of an Err outcome. */
  static Exception error(Outcome<?> outcome) {
    assertThat(outcome).isInstanceOf(Outcome.Err.class);
    return ((Outcome.Err<?>) outcome).error();
  }
}
