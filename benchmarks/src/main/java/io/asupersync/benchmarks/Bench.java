package io.asupersync.benchmarks;

import io.asupersync.Outcome;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/** Helpers shared by the benchmarks. */
final class Bench {

  /** JVM flags of every benchmark fork (the preview benchmarks add {@code --enable-preview}). */
  static final String UNSAFE = "--sun-misc-unsafe-memory-access=allow";

  static final String HEAP_MIN = "-Xms2g";
  static final String HEAP_MAX = "-Xmx2g";

  /**
   * Touch the whole heap at JVM start. On this machine (a Firecracker VM) the first write to a fresh
   * page costs microseconds; without pre-touching, every benchmark that allocates pays a page fault
   * per few KiB of new eden until the heap has cycled once (a 40-byte allocation measured 236 ns
   * instead of 2 ns), which is neither steady state nor fair to the side that allocates more.
   */
  static final String PRETOUCH = "-XX:+AlwaysPreTouch";

  private Bench() {}

  /**
   * Runs {@code body} on a fresh virtual thread and waits for it. The peers run their measured code
   * this way so that, like a runtime task, it executes on a virtual thread (a virtual thread that
   * starts virtual threads pushes them to its carrier's local queue, a platform thread submits them
   * externally: the two differ measurably).
   */
  static <T> T inVirtualThread(Callable<T> body) {
    AtomicReference<Object> result = new AtomicReference<>();
    Thread t =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    result.set(body.call());
                  } catch (Throwable e) {
                    result.set(new Failure(e));
                  }
                });
    joinUninterruptibly(t);
    Object r = result.get();
    if (r instanceof Failure f) {
      throw new IllegalStateException("benchmark body failed", f.cause);
    }
    @SuppressWarnings("unchecked")
    T value = (T) r;
    return value;
  }

  static void joinUninterruptibly(Thread t) {
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** The value of an Ok outcome; anything else fails the benchmark. */
  static <T> T ok(Outcome<T> outcome) {
    if (outcome instanceof Outcome.Ok<T> ok && ok.value() != null) {
      return ok.value();
    }
    throw new IllegalStateException("benchmark body did not end Ok: " + outcome);
  }

  private record Failure(Throwable cause) {}
}
