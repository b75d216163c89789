package io.asupersync.sync;

import static io.asupersync.testutil.Await.outcome;
import static io.asupersync.testutil.Await.until;
import static io.asupersync.testutil.Await.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.LeakResponse;
import io.asupersync.ObligationKind;
import io.asupersync.Outcome;
import io.asupersync.Runtime;
import io.asupersync.TaskHandle;
import io.asupersync.testutil.Await;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class MutexTests {

  private Runtime runtime = Await.runtime(LeakResponse.PANIC);

  @AfterEach
  void closeRuntime() {
    runtime.close();
  }

  /** Holds the lock from a task until {@code release} is counted down. */
  private TaskHandle<Outcome<Object>> holdUntil(Mutex mutex, CountDownLatch release) {
    TaskHandle<Outcome<Object>> holder =
        runtime.spawn(
            "holder",
            cx -> {
              try (Mutex.Guard guard = mutex.lock(cx)) {
                assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
              }
              return null;
            });
    until("the holder has the lock", mutex::isLocked);
    return holder;
  }

  @Test
  void lockIsMutuallyExclusiveUnderContention() throws Exception {
    Mutex mutex = new Mutex();
    int[] counter = {0};
    Outcome<Object> o =
        runtime.run(
            cx -> {
              List<TaskHandle<Object>> tasks = new ArrayList<>();
              for (int t = 0; t < 8; t++) {
                tasks.add(
                    cx.spawn(
                        c -> {
                          for (int i = 0; i < 500; i++) {
                            try (Mutex.Guard g = mutex.lock(c)) {
                              int read = counter[0];
                              Thread.yield();
                              counter[0] = read + 1;
                            }
                          }
                          return null;
                        }));
              }
              for (TaskHandle<Object> t : tasks) {
                t.join(cx).orThrow();
              }
              return null;
            });
    assertThat(o.isOk()).as("%s", o).isTrue();
    assertThat(counter[0]).isEqualTo(8 * 500);
    assertThat(mutex.isLocked()).isFalse();
  }

  @Test
  void waitersGetTheLockInArrivalOrder() throws Exception {
    Mutex mutex = new Mutex();
    CountDownLatch release = new CountDownLatch(1);
    holdUntil(mutex, release);
    List<Integer> order = Collections.synchronizedList(new ArrayList<>());
    List<TaskHandle<Outcome<Object>>> waiters = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      int id = i;
      waiters.add(
          runtime.spawn(
              "waiter-" + i,
              cx -> {
                try (Mutex.Guard g = mutex.lock(cx)) {
                  order.add(id);
                }
                return null;
              }));
      until((i + 1) + " waiters queued", () -> mutex.queueLength() == id + 1);
    }
    release.countDown();
    for (TaskHandle<Outcome<Object>> w : waiters) {
      assertThat(outcome(w).isOk()).isTrue();
    }
    assertThat(order).containsExactly(0, 1, 2, 3);
  }

  @Test
  void cancelledWaiterLeavesTheQueueAndNeverOwnsTheLock() throws Exception {
    Mutex mutex = new Mutex();
    CountDownLatch release = new CountDownLatch(1);
    TaskHandle<Outcome<Object>> holder = holdUntil(mutex, release);
    TaskHandle<Outcome<Object>> waiter =
        runtime.spawn(
            "waiter",
            cx -> {
              try (Mutex.Guard g = mutex.lock(cx)) {
                throw new AssertionError("a cancelled waiter must not get the lock");
              }
            });
    until("the waiter is queued", () -> mutex.queueLength() == 1);

    waiter.cancel(user("stop waiting"));

    assertThat(outcome(waiter)).isInstanceOf(Outcome.Cancelled.class);
    assertThat(mutex.queueLength()).isZero();
    release.countDown();
    assertThat(outcome(holder).isOk()).isTrue();
    assertThat(mutex.isLocked()).as("unlocking must not hand the lock to the cancelled waiter").isFalse();
    Outcome<Boolean> free =
        runtime.run(
            cx -> {
              try (Mutex.Guard g = mutex.tryLock(cx)) {
                return g != null;
              }
            });
    assertThat(free).isEqualTo(Outcome.ok(true));
  }

  @Test
  void guardCloseIsIdempotent() throws Exception {
    Mutex mutex = new Mutex();
    Outcome<Object> o =
        runtime.run(
            cx -> {
              Mutex.Guard guard = mutex.lock(cx);
              assertThat(guard.isHeld()).isTrue();
              guard.close();
              guard.close();
              assertThat(guard.isHeld()).isFalse();
              Mutex.Guard again = mutex.tryLock(cx);
              assertThat(again).isNotNull();
              guard.close(); // a stale guard must not unlock someone else's hold
              assertThat(mutex.isLocked()).isTrue();
              again.close();
              return null;
            });
    assertThat(o.isOk()).as("%s", o).isTrue();
    assertThat(mutex.isLocked()).isFalse();
  }

  @Test
  void lockIsNotReentrant() throws Exception {
    Mutex mutex = new Mutex();
    Outcome<Object> o =
        runtime.run(
            cx -> {
              try (Mutex.Guard g = mutex.lock(cx)) {
                assertThatThrownBy(() -> mutex.lock(cx)).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(() -> mutex.tryLock(cx)).isInstanceOf(IllegalStateException.class);
              }
              return null;
            });
    assertThat(o.isOk()).as("%s", o).isTrue();
  }

  @Test
  void guardLeakedByItsTaskUnlocksForTheNextWaiter() throws Exception {
    runtime.close();
    runtime = Await.runtime(LeakResponse.SILENT);
    Mutex mutex = new Mutex();
    CountDownLatch endNow = new CountDownLatch(1);
    TaskHandle<Outcome<Object>> leaker =
        runtime.spawn(
            "leaker",
            cx -> {
              mutex.lock(cx); // never closed
              assertThat(endNow.await(10, TimeUnit.SECONDS)).isTrue();
              return null;
            });
    until("the leaker holds the lock", mutex::isLocked);
    TaskHandle<Outcome<Object>> waiter =
        runtime.spawn(
            "waiter",
            cx -> {
              try (Mutex.Guard g = mutex.lock(cx)) {
                return null;
              }
            });
    until("the waiter is queued", () -> mutex.queueLength() == 1);
    endNow.countDown();
    assertThat(outcome(leaker).isOk()).isTrue();
    assertThat(outcome(waiter).isOk()).isTrue();
    assertThat(mutex.isLocked()).isFalse();
    assertThat(runtime.snapshot().leaks())
        .singleElement()
        .satisfies(l -> assertThat(l.obligation().kind()).isEqualTo(ObligationKind.LEASE));
  }
}
