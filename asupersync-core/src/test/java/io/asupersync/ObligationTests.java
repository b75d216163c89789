package io.asupersync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ObligationTests {

  private static Runtime runtime(LeakResponse response) {
    return Runtime.builder().leakResponse(response).build();
  }

  @Test
  void committedObligationIsNotALeak() throws Exception {
    try (Runtime rt = runtime(LeakResponse.PANIC)) {
      Outcome<ObligationState> outcome =
          rt.run(
              cx -> {
                Obligation o = cx.reserve(ObligationKind.ACK, "ack 1");
                o.commit();
                return o.state();
              });
      assertThat(outcome).isEqualTo(Outcome.ok(ObligationState.COMMITTED));
      assertThat(rt.snapshot().counters().obligationsLeaked()).isZero();
    }
  }

  @Test
  void settlingTwiceIsRefused() throws Exception {
    try (Runtime rt = runtime(LeakResponse.PANIC)) {
      Outcome<Obligation> outcome =
          rt.run(
              cx -> {
                Obligation o = cx.reserve(ObligationKind.LEASE, "lease");
                o.abort();
                return o;
              });
      Obligation o = ((Outcome.Ok<Obligation>) outcome).value();
      assertThat(o.state()).isEqualTo(ObligationState.ABORTED);
      assertThatThrownBy(o::commit).isInstanceOf(IllegalStateException.class).hasMessageContaining("ABORTED");
    }
  }

  @Test
  void panicResponseTurnsTheTaskIntoPanicked() throws Exception {
    try (Runtime rt = runtime(LeakResponse.PANIC)) {
      Outcome<Outcome<String>> outcome =
          rt.run(
              cx ->
                  cx.<Outcome<String>>scope(
                          RegionPolicy.COLLECT_ALL,
                          Budget.unlimited(),
                          c -> {
                            TaskHandle<String> h =
                                c.spawn(
                                    "forgetful",
                                    x -> {
                                      x.reserve(ObligationKind.SEND_PERMIT, "permit for order 7");
                                      return "forgot to send";
                                    });
                            return h.join(c);
                          })
                      .orThrow());
      Outcome<String> task = ((Outcome.Ok<Outcome<String>>) outcome).value();
      assertThat(task).isInstanceOfSatisfying(
          Outcome.Panicked.class,
          p -> {
            assertThat(p.cause()).isInstanceOf(ObligationLeakException.class).hasMessageContaining("forgetful");
            assertThat(((ObligationLeakException) p.cause()).leaked())
                .singleElement()
                .satisfies(i -> assertThat(i.description()).isEqualTo("permit for order 7"));
          });
      assertThat(rt.snapshot().leaks())
          .singleElement()
          .satisfies(l -> {
            assertThat(l.response()).isEqualTo(LeakResponse.PANIC);
            assertThat(l.obligation().state()).isEqualTo(ObligationState.LEAKED);
          });
    }
  }

  @Test
  void logResponseMarksLeakedAndKeepsTheOutcome() throws Exception {
    try (Runtime rt = runtime(LeakResponse.LOG)) {
      AtomicInteger aborts = new AtomicInteger();
      AtomicReference<Obligation> held = new AtomicReference<>();
      Outcome<String> outcome =
          rt.run(
              cx -> {
                held.set(cx.reserve(ObligationKind.ACK, "ack", aborts::incrementAndGet));
                return "ok anyway";
              });
      assertThat(outcome).isEqualTo(Outcome.ok("ok anyway"));
      assertThat(held.get().state()).isEqualTo(ObligationState.LEAKED);
      assertThat(aborts).as("a leaked reservation gives back what it held").hasValue(1);
      assertThat(rt.snapshot().counters().obligationsLeaked()).isEqualTo(1);
      assertThat(rt.trace().events())
          .anySatisfy(e -> assertThat(e.kind()).isEqualTo(io.asupersync.trace.TraceKind.OBLIGATION_LEAKED));
    }
  }

  @Test
  void silentResponseOnlyCounts() throws Exception {
    try (Runtime rt = runtime(LeakResponse.SILENT)) {
      AtomicReference<Obligation> held = new AtomicReference<>();
      Outcome<Integer> outcome = rt.run(cx -> {
        held.set(cx.reserve(ObligationKind.IO_OP, "write"));
        return 1;
      });
      assertThat(outcome).isEqualTo(Outcome.ok(1));
      assertThat(held.get().state()).isEqualTo(ObligationState.LEAKED);
      assertThat(rt.snapshot().leaks()).singleElement().satisfies(l -> assertThat(l.response()).isEqualTo(LeakResponse.SILENT));
    }
  }

  @Test
  void recoverResponseAbortsTheObligation() throws Exception {
    try (Runtime rt = runtime(LeakResponse.RECOVER)) {
      AtomicInteger aborts = new AtomicInteger();
      AtomicReference<Obligation> held = new AtomicReference<>();
      Outcome<Integer> outcome = rt.run(cx -> {
        held.set(cx.reserve(ObligationKind.TRANSACTION, "tx", aborts::incrementAndGet));
        return 1;
      });
      assertThat(outcome).isEqualTo(Outcome.ok(1));
      assertThat(held.get().state()).isEqualTo(ObligationState.ABORTED);
      assertThat(aborts).hasValue(1);
    }
  }

  @Test
  void leaksEscalateToPanicPastTheThreshold() throws Exception {
    try (Runtime rt = Runtime.builder().leakResponse(LeakResponse.LOG).leakEscalationThreshold(2).build()) {
      for (int i = 0; i < 2; i++) {
        assertThat(rt.run(cx -> cx.reserve(ObligationKind.ACK, "tolerated")).isOk()).isTrue();
      }
      Outcome<Obligation> third = rt.run(cx -> cx.reserve(ObligationKind.ACK, "escalated"));
      assertThat(third).isInstanceOf(Outcome.Panicked.class);
    }
  }

  @Test
  void scopeBodyLeakIsDetectedWhenTheScopeCloses() throws Exception {
    try (Runtime rt = runtime(LeakResponse.PANIC)) {
      Outcome<String> outcome =
          rt.run(
              cx -> {
                Outcome<Obligation> inner = cx.scope(c -> c.reserve(ObligationKind.LEASE, "scoped lease"));
                return inner instanceof Outcome.Panicked ? "detected at scope close" : "missed";
              });
      assertThat(outcome).isEqualTo(Outcome.ok("detected at scope close"));
    }
  }

  @Test
  void regionDoesNotCloseWhileATaskHoldsAReservedObligation() throws Exception {
    try (Runtime rt = runtime(LeakResponse.PANIC)) {
      AtomicReference<ObligationState> stateWhenScopeReturned = new AtomicReference<>();
      AtomicReference<Obligation> held = new AtomicReference<>();
      rt.run(
          cx -> {
            cx.scope(
                c -> {
                  c.spawn(x -> {
                    Obligation o = x.reserve(ObligationKind.ACK, "ack after work");
                    held.set(o);
                    x.sleep(Duration.ofMillis(50));
                    o.commit();
                    return null;
                  });
                  return null;
                });
            stateWhenScopeReturned.set(held.get().state());
            return null;
          });
      assertThat(stateWhenScopeReturned.get()).isEqualTo(ObligationState.COMMITTED);
    }
  }

  @Test
  void snapshotListsReservedObligations() throws Exception {
    try (Runtime rt = runtime(LeakResponse.SILENT)) {
      java.util.concurrent.CountDownLatch reserved = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
      Thread runner = Thread.ofVirtual().start(() -> rt.run(cx -> {
        Obligation o = cx.reserve(ObligationKind.LEASE, "visible lease");
        reserved.countDown();
        release.await();
        o.commit();
        return null;
      }));
      assertThat(reserved.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(rt.snapshot().obligations())
          .singleElement()
          .satisfies(i -> {
            assertThat(i.description()).isEqualTo("visible lease");
            assertThat(i.state()).isEqualTo(ObligationState.RESERVED);
          });
      release.countDown();
      runner.join(10_000);
      assertThat(rt.snapshot().obligations()).isEmpty();
    }
  }
}
