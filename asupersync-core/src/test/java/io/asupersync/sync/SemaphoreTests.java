package io.asupersync.sync;

import static io.asupersync.testutil.Await.outcome;
import static io.asupersync.testutil.Await.until;
import static io.asupersync.testutil.Await.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.LeakResponse;
import io.asupersync.ObligationKind;
import io.asupersync.ObligationState;
import io.asupersync.Outcome;
import io.asupersync.Runtime;
import io.asupersync.TaskHandle;
import io.asupersync.testutil.Await;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(20)
class SemaphoreTests {

  private Runtime runtime = Await.runtime(LeakResponse.PANIC);

  @AfterEach
  void closeRuntime() {
    runtime.close();
  }

  /** Holds {@code n} permits from a task until {@code release} is counted down. */
  private TaskHandle<Outcome<Object>> holdUntil(Semaphore sem, int n, CountDownLatch release) {
    int before = sem.availablePermits();
    TaskHandle<Outcome<Object>> holder =
        runtime.spawn(
            "holder",
            cx -> {
              try (Semaphore.Permit p = sem.acquire(cx, n)) {
                assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
              }
              return null;
            });
    until("the holder has its permits", () -> sem.availablePermits() == before - n);
    return holder;
  }

  @Test
  void releaseCommitsAndGivesThePermitsBack() throws Exception {
    Semaphore sem = new Semaphore(3);
    Outcome<Object> o =
        runtime.run(
            cx -> {
              Semaphore.Permit p = sem.acquire(cx, 2);
              assertThat(sem.availablePermits()).isEqualTo(1);
              assertThat(sem.tryAcquire(cx, 2)).isNull();
              p.release();
              assertThat(p.state()).isEqualTo(ObligationState.COMMITTED);
              assertThat(sem.availablePermits()).isEqualTo(3);
              assertThatThrownBy(p::release).isInstanceOf(IllegalStateException.class);
              p.close(); // no-op once released
              assertThat(sem.availablePermits()).isEqualTo(3);
              return null;
            });
    assertThat(o.isOk()).as("%s", o).isTrue();
  }

  @Test
  void abortGivesThePermitsBack() throws Exception {
    Semaphore sem = new Semaphore(2);
    Outcome<Object> o =
        runtime.run(
            cx -> {
              Semaphore.Permit p = sem.acquire(cx, 2);
              p.abort();
              assertThat(p.state()).isEqualTo(ObligationState.ABORTED);
              return null;
            });
    assertThat(o.isOk()).as("%s", o).isTrue();
    assertThat(sem.availablePermits()).isEqualTo(2);
  }

  @Test
  void cancelledAcquireTakesNoPermits() throws Exception {
    Semaphore sem = new Semaphore(2);
    CountDownLatch release = new CountDownLatch(1);
    TaskHandle<Outcome<Object>> holder = holdUntil(sem, 2, release);
    TaskHandle<Outcome<Semaphore.Permit>> waiter = runtime.spawn("waiter", cx -> sem.acquire(cx, 1));
    until("the waiter is queued", () -> sem.queueLength() == 1);

    waiter.cancel(user("stop waiting"));

    assertThat(outcome(waiter)).isInstanceOf(Outcome.Cancelled.class);
    assertThat(sem.queueLength()).isZero();
    release.countDown();
    assertThat(outcome(holder).isOk()).isTrue();
    assertThat(sem.availablePermits()).isEqualTo(2);
  }

  @Test
  void cancelledHeadWaiterLetsTheWaitersBehindItProceed() throws Exception {
    Semaphore sem = new Semaphore(3);
    CountDownLatch release = new CountDownLatch(1);
    TaskHandle<Outcome<Object>> holder = holdUntil(sem, 2, release);
    TaskHandle<Outcome<Semaphore.Permit>> big = runtime.spawn("big", cx -> sem.acquire(cx, 3));
    until("the big waiter is queued", () -> sem.queueLength() == 1);
    TaskHandle<Outcome<Integer>> small =
        runtime.spawn(
            "small",
            cx -> {
              try (Semaphore.Permit p = sem.acquire(cx, 1)) {
                return p.count();
              }
            });
    until("the small waiter queues behind the big one", () -> sem.queueLength() == 2);
    assertThat(sem.availablePermits()).as("FIFO: the free permit is not taken past the head").isEqualTo(1);

    big.cancel(user("give up"));

    assertThat(outcome(big)).isInstanceOf(Outcome.Cancelled.class);
    assertThat(outcome(small)).isEqualTo(Outcome.ok(1));
    release.countDown();
    assertThat(outcome(holder).isOk()).isTrue();
    assertThat(sem.availablePermits()).isEqualTo(3);
    assertThat(sem.queueLength()).isZero();
  }

  @ParameterizedTest
  @EnumSource(value = LeakResponse.class, names = {"SILENT", "RECOVER"})
  void leakedPermitReturnsItsPermits(LeakResponse response) throws Exception {
    runtime.close();
    runtime = Await.runtime(response);
    Semaphore sem = new Semaphore(2);
    CountDownLatch endNow = new CountDownLatch(1);
    TaskHandle<Outcome<Object>> leaker =
        runtime.spawn(
            "leaker",
            cx -> {
              sem.acquire(cx, 2); // never released
              assertThat(endNow.await(10, TimeUnit.SECONDS)).isTrue();
              return null;
            });
    until("the leaker holds the permits", () -> sem.availablePermits() == 0);
    TaskHandle<Outcome<Integer>> waiter =
        runtime.spawn(
            "waiter",
            cx -> {
              try (Semaphore.Permit p = sem.acquire(cx, 2)) {
                return p.count();
              }
            });
    until("the waiter is queued", () -> sem.queueLength() == 1);
    endNow.countDown();
    assertThat(outcome(leaker).isOk()).isTrue();
    assertThat(outcome(waiter)).isEqualTo(Outcome.ok(2));
    assertThat(sem.availablePermits()).isEqualTo(2);
    assertThat(runtime.snapshot().leaks())
        .singleElement()
        .satisfies(l -> assertThat(l.obligation().kind()).isEqualTo(ObligationKind.SEMAPHORE_PERMIT));
  }

  @Test
  void acquireBeyondTheSemaphoresPermitsIsRejected() {
    Semaphore sem = new Semaphore(2);
    assertThatThrownBy(() -> new Semaphore(0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(runtime.run(cx -> sem.acquire(cx, 3))).isInstanceOfSatisfying(
        Outcome.Panicked.class, p -> assertThat(p.cause()).isInstanceOf(IllegalArgumentException.class));
    assertThat(sem.availablePermits()).isEqualTo(2);
  }
}
