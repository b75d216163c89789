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
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Cancel attribution: every cancelled task can say who cancelled it, from where, when and why, through
 * the reason's kind, origin, message and cause chain.
 */
class CancelAttributionConformanceTests {

  static final int SEEDS = 1_000;

  private static CancelReason reasonOf(Outcome<?> outcome) {
    assertThat(outcome).isInstanceOf(Outcome.Cancelled.class);
    return ((Outcome.Cancelled<?>) outcome).reason();
  }

  @LabTest(runs = SEEDS)
  void handleCancelNamesTheCancellingTaskAndRegion(Cx cx) {
    TaskHandle<Void> download = cx.spawn("download", c -> {
      c.sleep(Duration.ofMinutes(1));
      return null;
    });
    AtomicLong supervisorTask = new AtomicLong();
    AtomicLong supervisorRegion = new AtomicLong();
    cx.spawn("supervisor", c -> {
      supervisorTask.set(c.taskId());
      supervisorRegion.set(c.regionId());
      c.sleep(Duration.ofMillis(c.random().nextInt(10)));
      download.cancel(CancelReason.from(c, CancelKind.USER, "quota check failed"));
      return null;
    }).join(cx);
    CancelReason reason = reasonOf(download.join(cx));
    assertThat(reason.kind()).isEqualTo(CancelKind.USER);
    assertThat(reason.originTask()).isEqualTo(supervisorTask.get());
    assertThat(reason.originRegion()).isEqualTo(supervisorRegion.get());
    assertThat(reason.message()).isEqualTo("quota check failed");
    assertThat(reason.chain()).containsExactly(reason);
  }

  @LabTest(runs = SEEDS)
  void failFastReasonNamesTheSiblingThatFailed(Cx cx) {
    AtomicLong scopeRegion = new AtomicLong();
    List<TaskHandle<Void>> siblings = new ArrayList<>();
    AtomicReference<TaskHandle<Void>> failing = new AtomicReference<>();
    cx.scope(s -> {
      scopeRegion.set(s.regionId());
      for (int i = 0; i < 2; i++) {
        siblings.add(s.spawn("fetch" + i, c -> {
          c.sleep(Duration.ofSeconds(1));
          return null;
        }));
      }
      failing.set(s.spawn("parse", c -> {
        c.sleep(Duration.ofMillis(c.random().nextInt(5)));
        throw new IOException("malformed header");
      }));
      return null;
    });
    for (TaskHandle<Void> sibling : siblings) {
      CancelReason reason = reasonOf(sibling.outcome().orElseThrow());
      assertThat(reason.kind()).isEqualTo(CancelKind.FAIL_FAST);
      assertThat(reason.originTask()).isEqualTo(failing.get().id());
      assertThat(reason.originRegion()).isEqualTo(scopeRegion.get());
      assertThat(reason.message()).contains("parse").contains("malformed header");
    }
  }

  @LabTest(runs = SEEDS)
  void nestedScopesChainParentCancelledBackToTheOperatorStop(Cx cx) {
    long[] regions = new long[3];
    AtomicReference<CancelReason> seenByLeaf = new AtomicReference<>();
    cx.scope(outer -> {
      regions[0] = outer.regionId();
      outer.spawn("handler", h -> h.scope(middle -> {
        regions[1] = middle.regionId();
        middle.spawn("query", q -> q.scope(inner -> {
          regions[2] = inner.regionId();
          inner.spawn("leaf", leaf -> {
            try {
              leaf.sleep(Duration.ofHours(1));
            } catch (CancelledException e) {
              seenByLeaf.set(e.reason());
              throw e;
            }
            return null;
          });
          return null;
        }).orThrow());
        return null;
      }).orThrow());
      outer.sleep(Duration.ofMillis(1 + outer.random().nextInt(5)));
      outer.cancelScope("operator pressed stop");
      return null;
    });
    CancelReason reason = seenByLeaf.get();
    assertThat(reason).isNotNull();
    assertThat(reason.chain()).extracting(CancelReason::kind)
        .containsExactly(CancelKind.PARENT_CANCELLED, CancelKind.PARENT_CANCELLED, CancelKind.USER);
    assertThat(reason.chain()).extracting(CancelReason::originRegion).containsExactly(regions[1], regions[0], regions[0]);
    assertThat(reason.root().message()).isEqualTo("operator pressed stop");
    assertThat(reason.root().originTask()).isEqualTo(cx.taskId());
  }

  @LabTest(runs = SEEDS)
  void deadlineReasonNamesTheScopeWhoseDeadlinePassed(Cx cx) {
    Instant deadline = cx.now().plusMillis(20);
    AtomicLong scopeRegion = new AtomicLong();
    List<TaskHandle<Void>> calls = new ArrayList<>();
    Outcome<Object> outcome = cx.scope(RegionPolicy.FAIL_FAST, Budget.unlimited().withDeadline(deadline), s -> {
      scopeRegion.set(s.regionId());
      for (int i = 0; i < 2; i++) {
        calls.add(s.spawn("call" + i, c -> {
          c.sleep(Duration.ofMillis(10 + c.random().nextInt(30)));
          return null;
        }));
      }
      for (TaskHandle<Void> call : List.copyOf(calls)) {
        call.join(s).orThrow();
      }
      return null;
    });
    boolean anyLate = false;
    for (TaskHandle<Void> call : calls) {
      Outcome<Void> o = call.outcome().orElseThrow();
      if (o instanceof Outcome.Cancelled<Void> c) {
        anyLate = true;
        // The first call to notice the deadline is cancelled by it; a call still running when the scope
        // body gave up is cancelled by the scope, with the deadline as the root cause.
        assertThat(c.reason().kind()).isIn(CancelKind.DEADLINE, CancelKind.PARENT_CANCELLED);
        CancelReason root = c.reason().root();
        assertThat(root.kind()).isEqualTo(CancelKind.DEADLINE);
        assertThat(root.originRegion()).isEqualTo(scopeRegion.get());
        assertThat(root.at()).isEqualTo(deadline);
      }
    }
    assertThat(outcome.isOk()).isEqualTo(!anyLate);
  }

  @LabTest(runs = SEEDS)
  void strongestReasonWinsWhateverOrderTheRequestsArriveIn(Cx cx) {
    AtomicInteger requests = new AtomicInteger();
    TaskHandle<Void> victim = cx.spawn("victim", c -> {
      c.runMasked(() -> {
        while (requests.get() < 3) {
          c.checkpoint();
        }
      });
      c.checkpoint();
      return null;
    });
    CancelKind[] kinds = {CancelKind.USER, CancelKind.RESOURCE_UNAVAILABLE, CancelKind.TIMEOUT};
    long[] cancellers = new long[3];
    for (int i = 0; i < 3; i++) {
      CancelKind kind = kinds[i];
      int index = i;
      cx.spawn(kind.name(), c -> {
        cancellers[index] = c.taskId();
        c.checkpoint();
        victim.cancel(CancelReason.from(c, kind, kind + " requested"));
        requests.incrementAndGet();
        return null;
      });
    }
    CancelReason reason = reasonOf(victim.join(cx));
    assertThat(reason.kind()).isEqualTo(CancelKind.RESOURCE_UNAVAILABLE);
    assertThat(reason.originTask()).isEqualTo(cancellers[1]);
    assertThat(reason.message()).isEqualTo("RESOURCE_UNAVAILABLE requested");
  }

  @LabTest(runs = SEEDS, faults = FaultPreset.HEAVY)
  void everyCancellationTracesBackToTheDeadlineOrAnInjectedFault(Cx cx) {
    List<TaskHandle<Void>> calls = new ArrayList<>();
    cx.scope(RegionPolicy.COLLECT_ALL, Budget.timeout(cx.now(), Duration.ofMillis(15)), s -> {
      for (int i = 0; i < 3; i++) {
        calls.add(s.spawn("call" + i, c -> {
          for (int step = 0; step < 5; step++) {
            c.sleep(Duration.ofMillis(1 + c.random().nextInt(5)));
          }
          return null;
        }));
      }
      return null;
    });
    for (TaskHandle<Void> call : calls) {
      if (call.outcome().orElseThrow() instanceof Outcome.Cancelled<Void> c) {
        CancelReason root = c.reason().root();
        if (root.kind() == CancelKind.DEADLINE) {
          assertThat(root.message()).contains("deadline");
        } else {
          assertThat(root.kind()).isIn(CancelKind.USER, CancelKind.POLL_QUOTA);
          assertThat(root.message()).startsWith("lab fault");
        }
      }
    }
  }
}
