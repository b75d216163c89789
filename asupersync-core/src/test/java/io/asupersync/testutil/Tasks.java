package io.asupersync.testutil;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Outcome;
import io.asupersync.Runtime;
import io.asupersync.TaskBody;
import io.asupersync.TaskHandle;
import io.asupersync.testutil.Await;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/** Test plumbing on top of {@link Await}: run bodies, wait until a task is parked, cancel, unwrap. */
public final class Tasks {
  public static final Duration TIMEOUT = Await.TIMEOUT;

  private Tasks() {}

  /** Runs {@code body} to completion and returns its value, rethrowing its failure. */
  public static <T> T call(Runtime rt, TaskBody<T> body) throws Exception {
    return rt.run(body).orThrow();
  }

  /** Waits until the thread recorded in {@code thread} is parked (its task blocks in a runtime wait). */
  public static void awaitParked(AtomicReference<Thread> thread) {
    Await.until("the task is parked", () -> {
      Thread t = thread.get();
      return t != null && (t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING);
    });
  }

  public static void await(String what, java.util.function.BooleanSupplier condition) {
    Await.until(what, condition);
  }

  public static <T> Outcome<T> outcome(TaskHandle<Outcome<T>> root) {
    return Await.outcome(root);
  }

  public static void cancel(TaskHandle<?> handle) {
    handle.cancel(Await.user("test cancels " + handle.name()));
  }

  public static void assertCancelled(Outcome<?> outcome) {
    assertThat(outcome).isInstanceOf(Outcome.Cancelled.class);
  }

  /** The failure of an Err outcome. */
  public static Exception error(Outcome<?> outcome) {
    assertThat(outcome).isInstanceOf(Outcome.Err.class);
    return ((Outcome.Err<?>) outcome).error();
  }
}
