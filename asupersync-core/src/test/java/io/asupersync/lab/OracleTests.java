package io.asupersync.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.CancelKind;
import io.asupersync.CancelReason;
import io.asupersync.ObligationKind;
import io.asupersync.Obligation;
import io.asupersync.TaskHandle;
import io.asupersync.trace.TraceEvent;
import io.asupersync.trace.TraceKind;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every oracle fires on the bug it names and stays quiet on correct code. */
class OracleTests {

  private static <T> LabRun<T> lab(io.asupersync.TaskBody<T> body) {
    return LabRuntime.run(LabConfig.seed(11), body);
  }

  @Nested
  class ObligationLeak {
    @Test
    void firesWhenATaskEndsHoldingAReservation() {
      LabRun<Object> run = lab(cx -> cx.scope(s -> {
        s.spawn("forgetful", c -> c.reserve(ObligationKind.ACK, "ack 1"));
        return null;
      }));
      assertThat(run.violated(Oracle.OBLIGATION_LEAK)).as(run.report()).isTrue();
      assertThat(run.violated(Oracle.PANIC)).as("a leak panic is reported as the leak, not as a panic").isFalse();
      assertThat(run.report()).contains("obligation_leak").contains("forgetful");
    }

    @Test
    void staysQuietWhenEveryReservationIsSettled() {
      LabRun<Object> run = lab(cx -> {
        cx.reserve(ObligationKind.ACK, "ack 1").commit();
        cx.reserve(ObligationKind.LEASE, "lease").abort();
        return null;
      });
      assertThat(run.passed()).as(run.report()).isTrue();
    }
  }

  @Nested
  class Futurelock {
    private LabRun<Object> holderStarvedWhileOthersRun(boolean holdObligation) {
      return LabRuntime.run(LabConfig.seed(5).withFuturelockSteps(2_000), cx -> {
        AtomicBoolean released = new AtomicBoolean();
        AtomicReference<io.asupersync.Waker> holderWaker = new AtomicReference<>();
        cx.spawn("holder", c -> {
          Obligation o = holdObligation ? c.reserve(ObligationKind.SEND_PERMIT, "permit") : null;
          holderWaker.set(c.waker());
          while (!released.get()) {
            c.park(null);
          }
          if (o != null) {
            o.commit();
          }
          return null;
        });
        cx.spawn("busy", c -> {
          for (int i = 0; i < 6_000; i++) {
            c.checkpoint();
          }
          released.set(true);
          while (holderWaker.get() == null) {
            c.checkpoint();
          }
          holderWaker.get().wake();
          return null;
        });
        return null;
      });
    }

    @Test
    void firesWhenAnObligationHolderIsNotScheduledForTooLong() {
      LabRun<Object> run = holderStarvedWhileOthersRun(true);
      assertThat(run.violated(Oracle.FUTURELOCK)).as(run.report()).isTrue();
      assertThat(run.report()).contains("holder");
    }

    @Test
    void staysQuietForAWaiterWithoutObligations() {
      LabRun<Object> run = holderStarvedWhileOthersRun(false);
      assertThat(run.passed()).as(run.report()).isTrue();
    }
  }

  @Nested
  class Deadlock {
    @Test
    void firesWhenTwoTasksWaitForEachOtherAndTheRunStillEnds() {
      LabRun<Object> run = lab(cx -> {
        AtomicReference<TaskHandle<Object>> second = new AtomicReference<>();
        TaskHandle<Object> first = cx.spawn("first", c -> {
          while (second.get() == null) {
            c.checkpoint();
          }
          return second.get().join(c);
        });
        second.set(cx.spawn("second", c -> first.join(c)));
        return null;
      });
      assertThat(run.violated(Oracle.DEADLOCK)).as(run.report()).isTrue();
      assertThat(run.report()).contains("first").contains("second");
    }

    @Test
    void staysQuietForAOneWayJoin() {
      LabRun<Object> run = lab(cx -> {
        TaskHandle<Integer> first = cx.spawn("first", c -> 1);
        cx.spawn("second", c -> first.join(c).orThrow());
        return null;
      });
      assertThat(run.passed()).as(run.report()).isTrue();
    }
  }

  @Nested
  class Escape {
    @Test
    void firesWhenATaskBlocksOutsideTheRuntimeAndTheRunDoesNotHang() {
      LabRun<Object> run = LabRuntime.run(LabConfig.seed(2).withEscapeGrace(Duration.ofMillis(200)), cx -> {
        cx.spawn("sleepy", c -> {
          Thread.sleep(3_000);
          return null;
        });
        return null;
      });
      assertThat(run.violated(Oracle.ESCAPE)).as(run.report()).isTrue();
      assertThat(run.report()).contains("sleepy").contains("Thread.sleep");
    }

    @Test
    void staysQuietForARuntimeSleep() {
      LabRun<Object> run = LabRuntime.run(LabConfig.seed(2).withEscapeGrace(Duration.ofMillis(200)), cx -> {
        cx.spawn("sleepy", c -> {
          c.sleep(Duration.ofSeconds(3));
          return null;
        });
        return null;
      });
      assertThat(run.passed()).as(run.report()).isTrue();
    }
  }

  @Nested
  class Panic {
    @Test
    void firesOnAnUndeclaredException() {
      LabRun<Object> run = lab(cx -> {
        cx.spawn("buggy", c -> {
          throw new IllegalStateException("invariant broken");
        });
        return null;
      });
      assertThat(run.violated(Oracle.PANIC)).as(run.report()).isTrue();
      assertThat(run.report()).contains("invariant broken");
    }

    @Test
    void staysQuietForADeclaredFailure() {
      LabRun<Object> run = lab(cx -> cx.spawn("failing", c -> {
        throw new IOException("expected failure");
      }).join(cx));
      assertThat(run.passed()).as(run.report()).isTrue();
    }
  }

  @Nested
  class StepLimit {
    @Test
    void firesOnAnEndlessLoopAndCancelsIt() {
      LabRun<Object> run = LabRuntime.run(LabConfig.seed(3).withMaxSteps(5_000), cx -> {
        while (true) {
          cx.checkpoint();
        }
      });
      assertThat(run.violated(Oracle.STEP_LIMIT)).as(run.report()).isTrue();
      assertThat(run.outcome()).isInstanceOf(io.asupersync.Outcome.Cancelled.class);
    }

    @Test
    void staysQuietForABoundedLoop() {
      LabRun<Object> run = LabRuntime.run(LabConfig.seed(3).withMaxSteps(5_000), cx -> {
        for (int i = 0; i < 1_000; i++) {
          cx.checkpoint();
        }
        return null;
      });
      assertThat(run.passed()).as(run.report()).isTrue();
    }
  }

  /**
   * The oracles below guard the engine itself; correct engine code cannot make them fire, so they are
   * shown firing on traces with the bug planted, and quiet on the traces of real runs.
   */
  @Nested
  class EngineInvariants {
    private final List<TraceEvent> events = new ArrayList<>();

    private void ev(TraceKind kind, long task, long region, String... attrs) {
      Map<String, String> map = new HashMap<>();
      for (int i = 0; i < attrs.length; i += 2) {
        map.put(attrs[i], attrs[i + 1]);
      }
      events.add(new TraceEvent(events.size() + 1, LabClock.START.plusMillis(events.size()), kind, task, region, 0, map, 0));
    }

    private List<Oracle> fired() {
      return Oracles.check(events).stream().map(Violation::oracle).distinct().toList();
    }

    private void openRootWithTask(long task) {
      ev(TraceKind.REGION_OPENED, 0, 1, "parent", "0");
      ev(TraceKind.TASK_SPAWNED, task, 1, "name", "t", "deadline", "null", "regionDeadline", "null");
    }

    @Test
    void taskLeakAndQuiescenceFireWhenWorkOutlivesTheRun() {
      openRootWithTask(1);
      assertThat(fired()).contains(Oracle.TASK_LEAK, Oracle.QUIESCENCE);
    }

    @Test
    void regionTreeFiresWhenARegionClosesBeforeItsTask() {
      openRootWithTask(1);
      ev(TraceKind.REGION_CLOSED, 0, 1);
      ev(TraceKind.TASK_COMPLETED, 1, 1, "outcome", "ok");
      assertThat(fired()).containsExactly(Oracle.REGION_TREE);
    }

    @Test
    void loserDrainFiresWhenARaceLoserOutlivesItsRegion() {
      openRootWithTask(1);
      ev(TraceKind.CANCEL_REQUESTED, 1, 1, "kind", "RACE_LOST", "message", "lost");
      ev(TraceKind.REGION_CLOSED, 0, 1);
      ev(TraceKind.TASK_COMPLETED, 1, 1, "outcome", "cancelled");
      assertThat(fired()).containsExactly(Oracle.LOSER_DRAIN);
    }

    @Test
    void cancellationProtocolFiresOnAnUnrequestedAcknowledgementOrAWeakenedReason() {
      openRootWithTask(1);
      ev(TraceKind.CANCEL_ACKNOWLEDGED, 1, 1, "kind", "USER");
      assertThat(fired()).contains(Oracle.CANCELLATION_PROTOCOL);
      events.clear();
      openRootWithTask(1);
      ev(TraceKind.CANCEL_REQUESTED, 1, 1, "kind", "SHUTDOWN", "message", "a");
      ev(TraceKind.CANCEL_REQUESTED, 1, 1, "kind", "USER", "message", "weaker");
      ev(TraceKind.TASK_COMPLETED, 1, 1, "outcome", "cancelled");
      ev(TraceKind.REGION_CLOSED, 0, 1);
      assertThat(fired()).containsExactly(Oracle.CANCELLATION_PROTOCOL);
    }

    @Test
    void deadlineMonotoneFiresOnALaterChildDeadline() {
      ev(TraceKind.REGION_OPENED, 0, 1, "parent", "0");
      ev(TraceKind.TASK_SPAWNED, 1, 1, "name", "t", "deadline", "2000-01-01T00:00:10Z", "regionDeadline", "2000-01-01T00:00:05Z");
      ev(TraceKind.TASK_COMPLETED, 1, 1, "outcome", "ok");
      ev(TraceKind.REGION_CLOSED, 0, 1);
      assertThat(fired()).containsExactly(Oracle.DEADLINE_MONOTONE);
    }

    @Test
    void finalizerFiresWhenARegisteredFinalizerDidNotRun() {
      openRootWithTask(1);
      ev(TraceKind.FINALIZER_REGISTERED, 1, 1);
      ev(TraceKind.TASK_COMPLETED, 1, 1, "outcome", "ok");
      ev(TraceKind.REGION_CLOSED, 0, 1);
      assertThat(fired()).containsExactly(Oracle.FINALIZER);
    }

    @Test
    void allStayQuietOnTheTraceOfARealRunWithCancellationRacesAndFinalizers() {
      LabRun<Object> run = LabRuntime.run(LabConfig.seed(9).withFaults(FaultPreset.HEAVY), cx -> {
        cx.scope(s -> {
          s.defer(f -> f.sleep(Duration.ofMillis(1)));
          TaskHandle<Object> loser = s.spawn("loser", c -> {
            c.defer(f -> f.checkpoint());
            c.sleep(Duration.ofHours(1));
            return null;
          });
          s.spawn("winner", c -> {
            c.sleep(Duration.ofMillis(5));
            loser.cancel(CancelReason.from(c, CancelKind.RACE_LOST, "winner finished first"));
            return null;
          });
          return null;
        });
        return null;
      });
      assertThat(run.violations()).as(run.report()).isEmpty();
      assertThat(Oracles.check(run.trace())).isEmpty();
    }
  }

  @Test
  void replayThatCannotFollowItsLogReportsTheDivergingStep() {
    LabRun<Object> original = lab(cx -> {
      cx.spawn(c -> null);
      cx.spawn(c -> null);
      return null;
    });
    List<Long> tampered = new ArrayList<>(original.choices());
    tampered.set(1, 999L);
    LabRun<Object> replay = LabRuntime.run(original.config().withReplay(tampered), cx -> {
      cx.spawn(c -> null);
      cx.spawn(c -> null);
      return null;
    });
    assertThat(replay.violated(Oracle.REPLAY_DIVERGENCE)).isTrue();
    assertThat(replay.report()).contains("step 1");
  }

  @Test
  void reportNamesSeedFingerprintAndReproduction() {
    LabRun<Object> run = lab(cx -> cx.reserve(ObligationKind.ACK, "dropped"));
    assertThat(run.report())
        .contains("seed 11")
        .contains("fingerprint")
        .contains("virtual time")
        .contains("reproduce: @LabTest(seed = 11L)");
    assertThat(Instant.parse("2000-01-01T00:00:00Z")).isEqualTo(LabClock.START);
  }
}
