package io.asupersync.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.CancelKind;
import io.asupersync.CancelReason;
import io.asupersync.Outcome;
import io.asupersync.Runtime;
import io.asupersync.TaskBody;
import io.asupersync.TaskHandle;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Test plumbing: run bodies, wait for conditions (with a timeout, never a bare sleep), cancel tasks. */
final class Tasks {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private Tasks() {}

  /** Runs {@code body} to completion and returns its value, rethrowing its failure. */
  static <T> T call(Runtime rt, TaskBody<T> body) throws Exception {
    return rt.run(body).orThrow();
  }

  /** Waits until {@code condition} holds, failing after {@link #TIMEOUT}. */
  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  /** Waits until the thread recorded in {@code thread} is parked (the task blocks in a runtime wait). */
  static void awaitParked(AtomicReference<Thread> thread) {
    await("the task is parked", () -> {
      Thread t = thread.get();
      return t != null && (t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING);
    });
  }

  /** Waits for a root task started with {@link Runtime#spawn} and returns its body's outcome. */
  @SuppressWarnings("unchecked")
  static <T> Outcome<T> outcome(TaskHandle<Outcome<T>> handle) {
    await("task " + handle.name() + " is done", handle::isDone);
    Outcome<Outcome<T>> o = handle.outcome().orElseThrow();
    if (o instanceof Outcome.Ok<Outcome<T>> ok && ok.value() != null) {
      return ok.value();
    }
    return (Outcome<T>) (Outcome<?>) o;
  }

  static void cancel(TaskHandle<?> handle) {
    handle.cancel(CancelReason.of(CancelKind.USER, "test cancels " + handle.name()));
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
