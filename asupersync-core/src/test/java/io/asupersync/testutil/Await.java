package io.asupersync.testutil;

import io.asupersync.CancelKind;
import io.asupersync.CancelReason;
import io.asupersync.LeakResponse;
import io.asupersync.Outcome;
import io.asupersync.Runtime;
import io.asupersync.TaskHandle;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Condition waits with a timeout for tests that observe tasks from the JUnit thread. */
public final class Await {
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  private Await() {}

  /** Returns once {@code condition} holds; fails the test if it does not within {@link #TIMEOUT}. */
  public static void until(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + TIMEOUT + " waiting until " + what);
      }
      try {
        TimeUnit.MICROSECONDS.sleep(200); // polling interval only, never asserted on
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting until " + what, e);
      }
    }
  }

  /** Waits for a root task started with {@link Runtime#spawn} and returns its body's outcome. */
  @SuppressWarnings("unchecked")
  public static <T> Outcome<T> outcome(TaskHandle<Outcome<T>> root) {
    until(root.name() + " is done", root::isDone);
    Outcome<Outcome<T>> o = root.outcome().orElseThrow();
    if (o instanceof Outcome.Ok<Outcome<T>> ok && ok.value() != null) {
      return ok.value();
    }
    return (Outcome<T>) (Outcome<?>) o;
  }

  public static CancelReason user(String message) {
    return CancelReason.of(CancelKind.USER, message);
  }

  /** A runtime for tests: bounded shutdown, the given leak response. */
  public static Runtime runtime(LeakResponse leaks) {
    return runtime(leaks, 42);
  }

  /** A runtime for tests: bounded shutdown, the given leak response and seed. */
  public static Runtime runtime(LeakResponse leaks, long seed) {
    return Runtime.builder().leakResponse(leaks).shutdownTimeout(Duration.ofSeconds(5)).seed(seed).build();
  }
}
