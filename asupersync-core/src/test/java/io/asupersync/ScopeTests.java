package io.asupersync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ScopeTests {

  private final Runtime runtime = Runtime.builder().seed(1).build();

  @AfterEach
  void close() throws Exception {
    assertThat(runtime.shutdown().quiescent()).isTrue();
  }

  @Test
  void scopeReturnsOnlyAfterEveryChildFinished() throws Exception {
    AtomicInteger finished = new AtomicInteger();
    Outcome<Integer> outcome =
        runtime.run(
            cx -> {
              for (int i = 0; i < 20; i++) {
                int delay = i;
                cx.spawn(
                    c -> {
                      c.sleep(Duration.ofMillis(delay));
                      finished.incrementAndGet();
                      return null;
                    });
              }
              return 1;
            });
    assertThat(outcome).isEqualTo(Outcome.ok(1));
    assertThat(finished).hasValue(20);
  }

  @Test
  void scopeWaitsForChildrenAlsoWhenBodyThrows() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    Outcome<Object> outcome =
        runtime.run(
            cx -> {
              for (int i = 0; i < 5; i++) {
                int id = i;
                cx.spawn(
                    c -> {
                      try {
                        c.sleep(Duration.ofHours(1));
                      } finally {
                        events.add("child-" + id + "-done");
                      }
                      return null;
                    });
              }
              throw new IllegalStateException("body bug");
            });
    assertThat(outcome).isInstanceOf(Outcome.Panicked.class);
    assertThat(events).hasSize(5);
  }

  @Test
  void failedChildCancelsSiblingsUnderFailFastAndScopeReportsTheFailure() throws Exception {
    AtomicReference<CancelReason> siblingReason = new AtomicReference<>();
    Outcome<String> outcome =
        runtime.run(
            cx -> {
              cx.spawn(
                  "sibling",
                  c -> {
                    try {
                      c.sleep(Duration.ofHours(1));
                    } catch (CancelledException e) {
                      siblingReason.set(e.reason());
                      throw e;
                    }
                    return null;
                  });
              cx.spawn("failing", c -> {
                throw new IOException("disk gone");
              });
              cx.sleep(Duration.ofHours(1));
              return "unreachable";
            });
    assertThat(outcome).isInstanceOfSatisfying(
        Outcome.Err.class, e -> assertThat(e.error()).hasMessage("disk gone"));
    assertThat(siblingReason.get().kind()).isEqualTo(CancelKind.FAIL_FAST);
  }

  @Test
  void collectAllLetsSiblingsFinish() throws Exception {
    AtomicInteger completed = new AtomicInteger();
    Outcome<Object> outcome =
        runtime.run(
            cx ->
                cx.scope(
                        RegionPolicy.COLLECT_ALL,
                        Budget.unlimited(),
                        c -> {
                          c.spawn(x -> {
                            throw new IOException("one fails");
                          });
                          for (int i = 0; i < 3; i++) {
                            c.spawn(x -> {
                              x.sleep(Duration.ofMillis(30));
                              completed.incrementAndGet();
                              return null;
                            });
                          }
                          return "body";
                        })
                    .orThrow());
    assertThat(outcome).isEqualTo(Outcome.ok("body"));
    assertThat(completed).hasValue(3);
  }

  @Test
  void closingRegionRefusesAdmission() throws Exception {
    AtomicReference<Cx> leakedCx = new AtomicReference<>();
    Outcome<Object> outcome =
        runtime.run(
            cx -> {
              cx.scope(c -> {
                leakedCx.set(c);
                return null;
              });
              return leakedCx.get().spawn(c -> 1);
            });
    assertThat(outcome).isInstanceOfSatisfying(
        Outcome.Panicked.class, p -> assertThat(p.cause()).isInstanceOf(RegionClosedException.class));
  }

  @Test
  void finalizersRunLastRegisteredFirstAndMasked() throws Exception {
    List<String> order = new CopyOnWriteArrayList<>();
    runtime.run(
        cx -> {
          cx.scope(
              c -> {
                c.defer(f -> order.add("first-registered"));
                c.defer(f -> order.add("second-registered"));
                c.defer(
                    f -> {
                      // Masked: the scope was cancelled, yet checkpoints and sleeps go on.
                      f.checkpoint();
                      f.sleep(Duration.ofMillis(5));
                      order.add("third-registered cancelRequested=" + f.isCancelRequested() + " masked=" + f.isMasked());
                    });
                c.cancelScope("stop");
                return null;
              });
          return null;
        });
    assertThat(order)
        .containsExactly("third-registered cancelRequested=true masked=true", "second-registered", "first-registered");
  }

  @Test
  void drainWaitsForChildrenBeforeFinalizers() throws Exception {
    List<String> order = new CopyOnWriteArrayList<>();
    runtime.run(
        cx ->
            cx.scope(
                c -> {
                  c.defer(f -> order.add("finalizer"));
                  c.spawn(
                      x -> {
                        try {
                          x.sleep(Duration.ofHours(1));
                        } finally {
                          x.runMasked(() -> order.add("child cleaned up"));
                        }
                        return null;
                      });
                  c.cancelScope("drain me");
                  return null;
                }));
    assertThat(order).containsExactly("child cleaned up", "finalizer");
  }

  @Test
  void overrunningFinalizerEscalatesWithinItsBudget() throws Exception {
    Duration budget = Duration.ofMillis(200);
    AtomicReference<Thread> stuck = new AtomicReference<>();
    try (Runtime rt = Runtime.builder().finalizerBudget(budget).shutdownTimeout(Duration.ofMillis(100)).build()) {
      long start = System.nanoTime();
      Outcome<String> outcome =
          rt.run(
              cx ->
                  cx.scope(
                          c -> {
                            c.defer(
                                f -> {
                                  stuck.set(Thread.currentThread());
                                  // Blocks outside the runtime: ignores its deadline and cancellation.
                                  java.util.concurrent.locks.LockSupport.park();
                                });
                            return "body";
                          })
                      .orThrow());
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(outcome).isEqualTo(Outcome.ok("body"));
      assertThat(took).isGreaterThanOrEqualTo(budget).isLessThan(budget.plusSeconds(2));
      assertThat(rt.trace().events())
          .anySatisfy(e -> assertThat(e.kind()).isEqualTo(io.asupersync.trace.TraceKind.FINALIZER_OVERRUN));
      assertThat(rt.snapshot().tasks())
          .anySatisfy(t -> {
            assertThat(t.straggler()).isTrue();
            assertThat(t.name()).startsWith("finalizer-");
          });
      java.util.concurrent.locks.LockSupport.unpark(stuck.get());
    }
  }

  @Test
  void drainOverrunLeavesStragglersAndProceeds() throws Exception {
    AtomicReference<Thread> stuck = new AtomicReference<>();
    try (Runtime rt =
        Runtime.builder().cleanupBudget(CancelKind.USER, Duration.ofMillis(150)).build()) {
      Outcome<Object> outcome =
          rt.run(
              cx ->
                  cx.scope(
                          c -> {
                            c.spawn(
                                "ignores-cancel",
                                x -> {
                                  stuck.set(Thread.currentThread());
                                  while (!Thread.currentThread().isInterrupted() && stuck.get() != null) {
                                    java.util.concurrent.locks.LockSupport.park();
                                  }
                                  return null;
                                });
                            c.cancelScope("go away");
                            return "done";
                          })
                      .orThrow());
      assertThat(outcome).isEqualTo(Outcome.ok("done"));
      assertThat(rt.snapshot().tasks())
          .anySatisfy(t -> {
            assertThat(t.name()).isEqualTo("ignores-cancel");
            assertThat(t.straggler()).isTrue();
          });
      assertThat(rt.trace().events())
          .anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo(io.asupersync.trace.TraceKind.DRAIN_OVERRUN);
            assertThat(e.attribute("stragglers")).contains("ignores-cancel");
          });
      Thread t = stuck.getAndSet(null);
      java.util.concurrent.locks.LockSupport.unpark(t);
    }
  }

  @Test
  void spawnAfterRuntimeShutdownIsRefused() throws Exception {
    Runtime rt = Runtime.builder().build();
    rt.close();
    assertThatThrownBy(() -> rt.run(cx -> 1)).isInstanceOf(RegionClosedException.class);
  }
}
