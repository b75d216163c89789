package io.asupersync.protocols.websocket;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Condition waits for tests: poll with a timeout, never a fixed sleep. */
final class Poll {
  static final Duration TIMEOUT = Duration.ofSeconds(15);

  private Poll() {}

  static void until(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + TIMEOUT + " waiting until " + what);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(1); // polling interval only, never asserted on
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting until " + what, e);
      }
    }
  }
}
