package io.asupersync.lab.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Budget;
import io.asupersync.CancelKind;
import io.asupersync.CancelReason;
import io.asupersync.CancelledException;
import io.asupersync.Cx;
import io.asupersync.Outcome;
import io.asupersync.RegionPolicy;
import io.asupersync.TaskHandle;
import io.asupersync.lab.FaultPreset;
import io.asupersync.lab.junit.LabTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cancellation protocol: request, acknowledgement at the next checkpoint (level-triggered), masked
 * sections, drain of children, budgets turned into cancellation, all on the virtual clock.
 */
class CancellationConformanceTests {

  static final int SEEDS = 1_000;

  @LabTest(runs = SEEDS)
  void cancelledSleeperWakesAtOnceAndEndsCancelled(Cx cx) {
    Instant start = cx.now();
    TaskHandle<Void> sleeper = cx.spawn("sleeper", c -> {
      c.sleep(Duration.ofDays(1));
      return null;
    });
    Duration wait = Duration.ofMillis(cx.random().nextInt(5));
    cx.sleep(wait);
    sleeper.cancel(CancelReason.from(cx, CancelKind.USER, "no longer needed"));
    Outcome<Void> outcome = sleeper.join(cx);
    assertThat(outcome).isInstanceOfSatisfying(Outcome.Cancelled.class, c -> assertThat(c.reason().message()).isEqualTo("no longer needed"));
    assertThat(Duration.between(start, cx.now())).isEqualTo(wait);
  }

  @LabTest(runs = SEEDS)
  void swallowedCancellationIsObservedAgainAtEveryCheckpoint(Cx cx) {
    AtomicInteger observed = new AtomicInteger();
    TaskHandle<String> stubborn = cx.spawn("stubborn", c -> {
      for (int i = 0; i < 3; i++) {
        try {
          c.sleep(Duration.ofHours(1));
        } catch (CancelledException swallowed) {
          observed.incrementAndGet();
        }
      }
      c.checkpoint();
      return "escaped cancellation";
    });
    cx.sleep(Duration.ofMillis(cx.random().nextInt(3)));
    stubborn.cancel(CancelReason.from(cx, CancelKind.USER, "stop"));
    assertThat(stubborn.join(cx)).isInstanceOf(Outcome.Cancelled.class);
    assertThat(observed).hasValue(3);
  }

  @LabTest(runs = SEEDS)
  void maskedSectionFinishesBeforeCancellationIsObserved(Cx cx) {
    AtomicBoolean started = new AtomicBoolean();
    AtomicBoolean committed = new AtomicBoolean();
    TaskHandle<Void> writer = cx.spawn("writer", c -> {
      c.runMasked(() -> {
        started.set(true);
        for (int i = 0; i < 3; i++) {
          c.sleep(Duration.ofMillis(1)); // masked: neither wakes nor throws for the cancel
        }
        committed.set(true);
      });
      c.checkpoint();
      return null;
    });
    for (int i = cx.random().nextInt(4); i > 0; i--) {
      cx.checkpoint();
    }
    writer.cancel(CancelReason.from(cx, CancelKind.USER, "shutdown requested"));
    assertThat(writer.join(cx)).isInstanceOf(Outcome.Cancelled.class);
    assertThat(started).isTrue();
    assertThat(committed).isTrue();
  }

  @LabTest(runs = SEEDS)
  void deadlineCancelsTheScopeExactlyWhenItPasses(Cx cx) {
    Instant start = cx.now();
    Outcome<Object> outcome = cx.scope(RegionPolicy.FAIL_FAST, Budget.timeout(start, Duration.ofMillis(50)), s -> {
      for (int i = 0; i < 3; i++) {
        s.spawn("slow call", c -> {
          c.sleep(Duration.ofMillis(40 + c.random().nextInt(100)));
          return null;
        });
      }
      s.sleep(Duration.ofHours(1));
      return null;
    });
    assertThat(outcome).isInstanceOfSatisfying(Outcome.Cancelled.class, c -> assertThat(c.reason().kind()).isEqualTo(CancelKind.DEADLINE));
    assertThat(Duration.between(start, cx.now())).isEqualTo(Duration.ofMillis(50));
  }

  @LabTest(runs = SEEDS)
  void spentPollQuotaTurnsIntoCancellation(Cx cx) {
    AtomicInteger polls = new AtomicInteger();
    TaskHandle<Void> looping = cx.spawn("looping", Budget.unlimited().withPollQuota(25), c -> {
      while (true) {
        c.checkpoint();
        polls.incrementAndGet();
      }
    });
    assertThat(looping.join(cx))
        .isInstanceOfSatisfying(Outcome.Cancelled.class, c -> assertThat(c.reason().kind()).isEqualTo(CancelKind.POLL_QUOTA));
    assertThat(polls).hasValue(25);
  }

  @LabTest(runs = SEEDS)
  void cancellingAParentDrainsItsChildrenBeforeItEnds(Cx cx) {
    AtomicInteger cleanedUp = new AtomicInteger();
    List<TaskHandle<?>> children = new ArrayList<>();
    TaskHandle<Object> parent = cx.spawn("parent", p -> p.scope(s -> {
      for (int i = 0; i < 3; i++) {
        children.add(s.spawn("child" + i, c -> {
          try {
            c.sleep(Duration.ofHours(1));
          } finally {
            c.runMasked(() -> {
              c.sleep(Duration.ofMillis(2)); // cleanup that itself waits
              cleanedUp.incrementAndGet();
            });
          }
          return null;
        }));
      }
      s.sleep(Duration.ofHours(1));
      return null;
    }).orThrow());
    cx.sleep(Duration.ofMillis(1 + cx.random().nextInt(3)));
    parent.cancel(CancelReason.from(cx, CancelKind.USER, "client went away"));
    assertThat(parent.join(cx)).isInstanceOf(Outcome.Cancelled.class);
    assertThat(cleanedUp).hasValue(3);
    assertThat(children).allMatch(TaskHandle::isDone);
  }

  @LabTest(runs = SEEDS, faults = FaultPreset.HEAVY)
  void injectedCancellationEndsWorkersCancelledWithCleanupDone(Cx cx) {
    AtomicInteger started = new AtomicInteger();
    AtomicInteger cleanedUp = new AtomicInteger();
    List<TaskHandle<Integer>> workers = new ArrayList<>();
    cx.scope(RegionPolicy.COLLECT_ALL, Budget.unlimited(), s -> {
      for (int w = 0; w < 4; w++) {
        workers.add(s.spawn("worker" + w, c -> {
          started.incrementAndGet();
          try {
            int sum = 0;
            for (int i = 0; i < 30; i++) {
              c.checkpoint();
              sum += i;
              if (i % 10 == 0) {
                c.sleep(Duration.ofMillis(1));
              }
            }
            return sum;
          } finally {
            cleanedUp.incrementAndGet();
          }
        }));
      }
      return null;
    });
    assertThat(cleanedUp.get()).isEqualTo(started.get());
    for (TaskHandle<Integer> w : workers) {
      Outcome<Integer> outcome = w.outcome().orElseThrow();
      if (outcome instanceof Outcome.Cancelled<Integer> c) {
        assertThat(c.reason().root().kind()).isIn(CancelKind.USER, CancelKind.POLL_QUOTA);
        assertThat(c.reason().root().message()).startsWith("lab fault");
      } else {
        assertThat(outcome).isEqualTo(Outcome.ok(435));
      }
    }
  }
}
