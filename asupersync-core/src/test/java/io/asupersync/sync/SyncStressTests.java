package io.asupersync.sync;

import static io.asupersync.testutil.Await.user;
import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Cx;
import io.asupersync.LeakResponse;
import io.asupersync.Outcome;
import io.asupersync.Runtime;
import io.asupersync.TaskHandle;
import io.asupersync.testutil.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Workers take and give back permits (or the lock) while a driver cancels them at random and
 * restarts them; some workers end holding what they took (a leak). Afterwards every permit must be
 * back, nobody may be queued, and the holders never exceeded the limit.
 */
@Timeout(60)
class SyncStressTests {
  private static final int WORKERS = 6;
  private static final int ROUNDS = 400;
  private static final Duration GIVE_UP = Duration.ofSeconds(15);

  private final AtomicLong restarts = new AtomicLong();

  /** The primitive under test, seen as "take n, get something to close". */
  private interface Limiter {
    AutoCloseable take(Cx cx, int n);

    int maxTake();

    int limit();

    boolean settled();
  }

  @Test
  void semaphoreGetsEveryPermitBackUnderRandomCancellation() throws Exception {
    for (long seed = 1; seed <= 6; seed++) {
      Semaphore sem = new Semaphore(3);
      run(
          seed,
          new Limiter() {
            @Override
            public AutoCloseable take(Cx cx, int n) {
              return sem.acquire(cx, n);
            }

            @Override
            public int maxTake() {
              return 3;
            }

            @Override
            public int limit() {
              return 3;
            }

            @Override
            public boolean settled() {
              return sem.availablePermits() == 3 && sem.queueLength() == 0;
            }
          });
      assertThat(sem.availablePermits()).as("seed %d: permits back", seed).isEqualTo(3);
      assertThat(sem.queueLength()).as("seed %d: nobody queued", seed).isZero();
    }
    assertThat(restarts.get()).as("workers restarted after cancellation").isPositive();
  }

  @Test
  void mutexStaysExclusiveAndEndsUnlockedUnderRandomCancellation() throws Exception {
    for (long seed = 1; seed <= 6; seed++) {
      Mutex mutex = new Mutex();
      run(
          seed,
          new Limiter() {
            @Override
            public AutoCloseable take(Cx cx, int n) {
              return mutex.lock(cx);
            }

            @Override
            public int maxTake() {
              return 1;
            }

            @Override
            public int limit() {
              return 1;
            }

            @Override
            public boolean settled() {
              return !mutex.isLocked() && mutex.queueLength() == 0;
            }
          });
      assertThat(mutex.isLocked()).as("seed %d: unlocked", seed).isFalse();
      assertThat(mutex.queueLength()).as("seed %d: nobody queued", seed).isZero();
    }
    assertThat(restarts.get()).as("workers restarted after cancellation").isPositive();
  }

  private void run(long seed, Limiter limiter) throws Exception {
    AtomicInteger inUse = new AtomicInteger();
    AtomicInteger maxInUse = new AtomicInteger();
    int[] done = new int[WORKERS];
    List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
    try (Runtime runtime = Await.runtime(LeakResponse.SILENT, seed)) {
      Outcome<Object> o =
          runtime.run(
              cx -> {
                Random driver = new Random(seed);
                List<TaskHandle<Boolean>> workers = new ArrayList<>();
                int[] starts = new int[WORKERS];
                for (int w = 0; w < WORKERS; w++) {
                  workers.add(spawnWorker(cx, limiter, seed, w, starts[w]++, done, inUse, maxInUse));
                }
                long giveUpAt = System.nanoTime() + GIVE_UP.toNanos();
                while (true) {
                  boolean working = false;
                  for (int w = 0; w < WORKERS; w++) {
                    TaskHandle<Boolean> h = workers.get(w);
                    if (!h.isDone()) {
                      working = true;
                      continue;
                    }
                    Outcome<Boolean> out = h.outcome().orElseThrow();
                    if (out instanceof Outcome.Ok<Boolean> ok && Boolean.TRUE.equals(ok.value())) {
                      continue;
                    }
                    if (!(out instanceof Outcome.Ok) && !(out instanceof Outcome.Cancelled)) {
                      unexpected.add("worker " + w + ": " + out);
                    }
                    working = true;
                    restarts.incrementAndGet();
                    workers.set(w, spawnWorker(cx, limiter, seed, w, starts[w]++, done, inUse, maxInUse));
                  }
                  if (!working) {
                    return null;
                  }
                  if (!unexpected.isEmpty() || System.nanoTime() - giveUpAt > 0) {
                    unexpected.add("gave up; limiter settled=" + limiter.settled());
                    cx.cancelScope("stress: giving up");
                    return null;
                  }
                  int pause = driver.nextInt(3);
                  if (pause > 0) {
                    cx.sleep(Duration.ofNanos(pause * 100_000L));
                  }
                  int victim = driver.nextInt(WORKERS + 1);
                  if (victim < WORKERS) {
                    workers.get(victim).cancel(user("stress: cancel worker " + victim));
                  }
                }
              });
      assertThat(unexpected).as("seed %d: unexpected", seed).isEmpty();
      assertThat(o.isOk()).as("seed %d: %s", seed, o).isTrue();
    }
    assertThat(maxInUse.get()).as("seed %d: most held at once", seed).isBetween(1, limiter.limit());
  }

  private static TaskHandle<Boolean> spawnWorker(
      Cx cx,
      Limiter limiter,
      long seed,
      int w,
      int start,
      int[] done,
      AtomicInteger inUse,
      AtomicInteger maxInUse) {
    return cx.spawn(
        "worker-" + w,
        c -> {
          Random r = new Random(seed * 7_919L + w * 131L + start);
          while (done[w] < ROUNDS) {
            int n = 1 + r.nextInt(limiter.maxTake());
            AutoCloseable held = limiter.take(c, n);
            int now = inUse.addAndGet(n);
            maxInUse.accumulateAndGet(now, Math::max);
            boolean leak = r.nextInt(40) == 0;
            try {
              if (r.nextInt(3) == 0) {
                c.sleep(Duration.ofNanos(50_000)); // a cancel here ends the task holding it
              }
            } finally {
              inUse.addAndGet(-n);
              if (!leak) {
                held.close();
              }
            }
            done[w]++;
            if (leak) {
              return false; // ends holding it: the runtime must give it back
            }
          }
          return true;
        });
  }
}
