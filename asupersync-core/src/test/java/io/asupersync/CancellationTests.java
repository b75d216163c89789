package io.asupersync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CancellationTests {

  private final Runtime runtime = Runtime.builder().seed(3).build();

  @AfterEach
  void close() throws Exception {
    assertThat(runtime.shutdown().quiescent()).isTrue();
  }

  @Test
  void reasonIsRecordedAndOnlyStrengthened() throws Exception {
    Outcome<CancelReason> outcome =
        runtime.run(
            cx -> {
              CountDownLatch started = new CountDownLatch(1);
              TaskHandle<Void> h =
                  cx.spawn(
                      "victim",
                      c -> {
                        started.countDown();
                        c.runMasked(
                            () -> {
                              while (!c.cancelReason().map(r -> r.kind() == CancelKind.SHUTDOWN).orElse(false)) {
                                c.park(null);
                              }
                            });
                        c.checkpoint();
                        return null;
                      });
              started.await(10, TimeUnit.SECONDS);
              h.cancel(CancelReason.of(CancelKind.TIMEOUT, "first"));
              h.cancel(CancelReason.of(CancelKind.USER, "weaker, ignored"));
              h.cancel(CancelReason.of(CancelKind.SHUTDOWN, "stronger, kept"));
              h.cancel(CancelReason.of(CancelKind.FAIL_FAST, "weaker again, ignored"));
              return ((Outcome.Cancelled<Void>) h.join(cx)).reason();
            });
    CancelReason reason = outcome.orThrow();
    assertThat(reason.kind()).isEqualTo(CancelKind.SHUTDOWN);
    assertThat(reason.message()).isEqualTo("stronger, kept");
  }

  @Test
  void parentCancelledReasonChainsToTheRootCause() throws Exception {
    AtomicReference<CancelReason> seen = new AtomicReference<>();
    runtime.run(
        cx ->
            cx.scope(
                outer -> {
                  outer.spawn(
                      c ->
                          c.scope(
                              inner -> {
                                try {
                                  inner.sleep(Duration.ofHours(1));
                                } catch (CancelledException e) {
                                  seen.set(e.reason());
                                  throw e;
                                }
                                return null;
                              }));
                  outer.sleep(Duration.ofMillis(20));
                  outer.cancelScope("operator pressed stop");
                  return null;
                }));
    CancelReason reason = seen.get();
    assertThat(reason.kind()).isEqualTo(CancelKind.PARENT_CANCELLED);
    assertThat(reason.root().kind()).isEqualTo(CancelKind.USER);
    assertThat(reason.root().message()).isEqualTo("operator pressed stop");
    assertThat(reason.chain()).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void causeChainIsCappedAtSixteen() throws Exception {
    CancelReason r = CancelReason.of(CancelKind.USER, "root");
    for (int i = 0; i < 40; i++) {
      r = new CancelReason(CancelKind.PARENT_CANCELLED, i, 0, Instant.EPOCH, "level " + i, r);
    }
    assertThat(r.depth()).isEqualTo(CancelReason.MAX_DEPTH);
    assertThat(r.chain()).hasSize(16);
    assertThat(r.message()).isEqualTo("level 39");
  }

  @Test
  void swallowingCancellationDoesNotEscapeIt() throws Exception {
    AtomicInteger throwsSeen = new AtomicInteger();
    Outcome<Object> outcome =
        runtime.run(
            cx -> {
              TaskHandle<String> h =
                  cx.spawn(
                      c -> {
                        for (int i = 0; i < 3; i++) {
                          try {
                            c.sleep(Duration.ofHours(1));
                          } catch (CancelledException swallowed) {
                            throwsSeen.incrementAndGet();
                          }
                        }
                        c.checkpoint();
                        return "escaped";
                      });
              cx.sleep(Duration.ofMillis(10));
              h.cancel(CancelReason.of(CancelKind.USER, "stop"));
              return h.join(cx);
            });
    assertThat(throwsSeen).hasValue(3);
    assertThat(outcome.orThrow()).isInstanceOf(Outcome.Cancelled.class);
  }

  @Test
  void cancelWakesARuntimeSleepPromptly() throws Exception {
    Outcome<Outcome<Void>> outcome =
        runtime.run(
            cx -> {
              TaskHandle<Void> sleeper = cx.spawn(c -> {
                c.sleep(Duration.ofDays(1));
                return null;
              });
              cx.sleep(Duration.ofMillis(10));
              sleeper.cancel(CancelReason.from(cx, CancelKind.USER, "wake up"));
              return sleeper.join(cx);
            });
    assertThat(outcome.orThrow()).isInstanceOf(Outcome.Cancelled.class);
  }

  @Test
  void maskedSectionDefersCancellationUntilItEnds() throws Exception {
    Outcome<String> outcome =
        runtime.run(
            cx -> {
              TaskHandle<String> h =
                  cx.spawn(
                      c -> {
                        String inside =
                            c.masked(
                                () -> {
                                  while (!c.isCancelRequested()) {
                                    c.park(null);
                                  }
                                  c.checkpoint(); // does not throw while masked
                                  return "finished masked work";
                                });
                        try {
                          c.checkpoint();
                          return "not cancelled";
                        } catch (CancelledException e) {
                          return inside;
                        }
                      });
              cx.sleep(Duration.ofMillis(10));
              h.cancel(CancelReason.of(CancelKind.USER, "stop"));
              return h.join(cx).orThrow();
            });
    assertThat(outcome).isEqualTo(Outcome.ok("finished masked work"));
  }

  @Test
  void maskDepthIsCapped() throws Exception {
    Outcome<Integer> outcome = runtime.run(cx -> nest(cx, 0));
    assertThat(outcome).isInstanceOfSatisfying(
        Outcome.Panicked.class,
        p -> assertThat(p.cause()).isInstanceOf(IllegalStateException.class).hasMessageContaining("64"));
  }

  private static Integer nest(Cx cx, int depth) {
    return cx.masked(() -> nest(cx, depth + 1));
  }

  @Test
  void cancelledParentCancelsChildrenWithParentCancelled() throws Exception {
    AtomicReference<CancelKind> childKind = new AtomicReference<>();
    Outcome<Object> outcome =
        runtime.run(
            cx -> {
              TaskHandle<Outcome<Void>> parent =
                  cx.spawn(
                      p ->
                          p.scope(
                              s -> {
                                s.spawn(
                                    c -> {
                                      try {
                                        c.sleep(Duration.ofHours(1));
                                      } catch (CancelledException e) {
                                        childKind.set(e.reason().kind());
                                        throw e;
                                      }
                                      return null;
                                    });
                                s.sleep(Duration.ofHours(1));
                                return null;
                              }));
              cx.sleep(Duration.ofMillis(20));
              parent.cancel(CancelReason.of(CancelKind.USER, "cancel parent"));
              return parent.join(cx);
            });
    assertThat(outcome.isOk()).isTrue();
    assertThat(childKind.get()).isEqualTo(CancelKind.PARENT_CANCELLED);
  }

  @Test
  void interruptIsNotCancellation() throws Exception {
    Outcome<String> outcome =
        runtime.run(
            cx -> {
              Thread.currentThread().interrupt();
              cx.sleep(Duration.ofMillis(5));
              return cx.isCancelRequested() ? "cancelled" : "still running";
            });
    assertThat(outcome).isEqualTo(Outcome.ok("still running"));
  }
}
