package io.asupersync.lab.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.Budget;
import io.asupersync.CancelKind;
import io.asupersync.Cx;
import io.asupersync.Outcome;
import io.asupersync.RegionClosedException;
import io.asupersync.RegionPolicy;
import io.asupersync.TaskHandle;
import io.asupersync.lab.FaultPreset;
import io.asupersync.lab.junit.LabTest;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Region lifecycle: a scope returns only when it is quiescent (every task and nested scope finished,
 * every finalizer run), fail-fast and collect-all policies, and a closed region admits nothing.
 */
class RegionLifecycleConformanceTests {

  static final int SEEDS = 1_000;

  /** Three workers, each opening a nested scope with two leaves that sleep a random while. */
  private static Outcome<Integer> nestedWork(Cx cx, List<TaskHandle<?>> handles, AtomicInteger finished) {
    return cx.scope(s -> {
      for (int w = 0; w < 3; w++) {
        handles.add(s.spawn("worker" + w, c -> {
          c.scope(inner -> {
            for (int l = 0; l < 2; l++) {
              handles.add(inner.spawn("leaf", leaf -> {
                leaf.sleep(Duration.ofMillis(leaf.random().nextInt(5)));
                finished.incrementAndGet();
                return null;
              }));
            }
            return null;
          }).orThrow();
          c.checkpoint();
          finished.incrementAndGet();
          return null;
        }));
      }
      return 7;
    });
  }

  @LabTest(runs = SEEDS)
  void scopeReturnsOnlyAfterEveryTaskAndNestedScopeFinished(Cx cx) {
    List<TaskHandle<?>> handles = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger finished = new AtomicInteger();
    Outcome<Integer> outcome = nestedWork(cx, handles, finished);
    assertThat(outcome).isEqualTo(Outcome.ok(7));
    assertThat(handles).hasSize(9).allMatch(TaskHandle::isDone);
    assertThat(finished).hasValue(9);
  }

  @LabTest(runs = SEEDS, faults = FaultPreset.LIGHT)
  void nestedScopesStayQuiescentUnderLightFaults(Cx cx) {
    nestedScopesEndQuiescent(cx);
  }

  @LabTest(runs = SEEDS, faults = FaultPreset.HEAVY)
  void nestedScopesStayQuiescentUnderHeavyFaults(Cx cx) {
    nestedScopesEndQuiescent(cx);
  }

  private static void nestedScopesEndQuiescent(Cx cx) {
    List<TaskHandle<?>> handles = Collections.synchronizedList(new ArrayList<>());
    Outcome<Integer> outcome = nestedWork(cx, handles, new AtomicInteger());
    assertThat(outcome).isInstanceOfAny(Outcome.Ok.class, Outcome.Cancelled.class);
    assertThat(handles).allMatch(TaskHandle::isDone);
    for (TaskHandle<?> h : handles) {
      assertThat(h.outcome().orElseThrow()).isInstanceOfAny(Outcome.Ok.class, Outcome.Cancelled.class);
    }
  }

  @LabTest(runs = SEEDS)
  void failFastScopeCancelsSiblingsAndReturnsTheFirstFailure(Cx cx) {
    Instant start = cx.now();
    List<TaskHandle<?>> siblings = new ArrayList<>();
    Outcome<Object> outcome = cx.scope(s -> {
      siblings.add(s.spawn("sleeper", c -> {
        c.sleep(Duration.ofHours(1));
        return null;
      }));
      siblings.add(s.spawn("busy", c -> {
        for (int i = 0; i < 20; i++) {
          c.checkpoint();
        }
        c.sleep(Duration.ofHours(1));
        return null;
      }));
      s.spawn("failing", c -> {
        c.sleep(Duration.ofMillis(10));
        throw new IOException("disk full");
      });
      return null;
    });
    assertThat(outcome).isInstanceOfSatisfying(Outcome.Err.class, e -> assertThat(e.error()).hasMessage("disk full"));
    assertThat(Duration.between(start, cx.now())).isEqualTo(Duration.ofMillis(10));
    for (TaskHandle<?> sibling : siblings) {
      assertThat(sibling.outcome().orElseThrow())
          .isInstanceOfSatisfying(Outcome.Cancelled.class, c -> assertThat(c.reason().kind()).isEqualTo(CancelKind.FAIL_FAST));
    }
  }

  @LabTest(runs = SEEDS)
  void collectAllScopeLetsEveryTaskRunToItsOwnEnd(Cx cx) {
    AtomicInteger completed = new AtomicInteger();
    List<TaskHandle<?>> handles = new ArrayList<>();
    Outcome<String> outcome = cx.scope(RegionPolicy.COLLECT_ALL, Budget.unlimited(), s -> {
      handles.add(s.spawn("failing", c -> {
        c.checkpoint();
        throw new IOException("one bad input");
      }));
      for (int i = 0; i < 3; i++) {
        handles.add(s.spawn("worker" + i, c -> {
          c.sleep(Duration.ofMillis(1 + c.random().nextInt(10)));
          completed.incrementAndGet();
          return null;
        }));
      }
      return "done";
    });
    assertThat(outcome).isEqualTo(Outcome.ok("done"));
    assertThat(completed).hasValue(3);
    assertThat(handles.getFirst().outcome().orElseThrow()).isInstanceOf(Outcome.Err.class);
    assertThat(handles.subList(1, 4)).allMatch(h -> h.outcome().orElseThrow().isOk());
  }

  @LabTest(runs = SEEDS)
  void finalizersRunAfterTheTasksLastRegisteredFirst(Cx cx) {
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    cx.scope(s -> {
      s.defer(f -> log.add("release connection"));
      s.defer(f -> {
        f.sleep(Duration.ofMillis(1));
        log.add("flush buffer");
      });
      for (int i = 0; i < 2; i++) {
        s.spawn("writer", c -> {
          c.sleep(Duration.ofMillis(c.random().nextInt(3)));
          log.add("write");
          return null;
        });
      }
      return null;
    });
    assertThat(log).containsExactly("write", "write", "flush buffer", "release connection");
  }

  @LabTest(runs = SEEDS)
  void finalizersRunEvenWhenTheScopeIsCancelled(Cx cx) {
    AtomicInteger cleaned = new AtomicInteger();
    Outcome<Object> outcome = cx.scope(s -> {
      s.defer(f -> {
        f.checkpoint(); // finalizers run masked: a checkpoint does not throw
        cleaned.incrementAndGet();
      });
      s.spawn("worker", c -> {
        c.defer(f -> cleaned.incrementAndGet());
        c.sleep(Duration.ofHours(1));
        return null;
      });
      s.sleep(Duration.ofMillis(cx.random().nextInt(3)));
      s.cancelScope("request aborted by client");
      s.checkpoint();
      return null;
    });
    assertThat(outcome).isInstanceOfSatisfying(Outcome.Cancelled.class, c -> assertThat(c.reason().kind()).isEqualTo(CancelKind.USER));
    assertThat(cleaned).hasValue(2);
  }

  @LabTest(runs = SEEDS)
  void closedScopeAdmitsNoMoreTasks(Cx cx) {
    AtomicReference<Cx> escaped = new AtomicReference<>();
    cx.scope(s -> {
      escaped.set(s);
      s.spawn(c -> c.random().nextInt());
      return null;
    });
    assertThatThrownBy(() -> escaped.get().spawn(c -> null)).isInstanceOf(RegionClosedException.class);
    assertThatThrownBy(() -> escaped.get().scope(c -> null)).isInstanceOf(RegionClosedException.class);
  }
}
