package io.asupersync.protocols.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Outcome;
import io.asupersync.Runtime;
import io.asupersync.TaskBody;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Helpers shared by the Redis tests. */
final class RedisTests {

  private RedisTests() {}

  /** Runs {@code body} as a root task and returns its value; fails the test on any other outcome. */
  static <T> T run(Runtime runtime, TaskBody<T> body) throws Exception {
    Outcome<T> outcome = runtime.run(body);
    assertThat(outcome).isInstanceOf(Outcome.Ok.class);
    return outcome.orThrow();
  }

  /** Polls {@code condition} until it holds, failing after 10 s. */
  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      LockSupport.parkNanos(2_000_000);
    }
  }
}
