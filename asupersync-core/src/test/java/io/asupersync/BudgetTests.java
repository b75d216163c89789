package io.asupersync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BudgetTests {

  private final Runtime runtime = Runtime.builder().seed(7).build();

  @AfterEach
  void close() throws Exception {
    runtime.close();
  }

  @Test
  void meetTakesEarlierDeadlineSmallerQuotasHigherPriority() throws Exception {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    Budget a = new Budget(t0.plusSeconds(10), 100, 5, 1);
    Budget b = new Budget(t0.plusSeconds(5), 200, 3, 7);
    Budget met = a.meet(b);
    assertThat(met).isEqualTo(new Budget(t0.plusSeconds(5), 100, 3, 7));
    assertThat(b.meet(a)).isEqualTo(met);
    assertThat(a.meet(Budget.unlimited())).isEqualTo(a);
  }

  @Test
  void childBudgetIsParentMeetChild() throws Exception {
    AtomicReference<Budget> child = new AtomicReference<>();
    Instant parentDeadline = runtime.clock().now().plusSeconds(60);
    Outcome<Object> outcome =
        runtime.run(
            cx ->
                cx.<Object>scope(
                        RegionPolicy.FAIL_FAST,
                        Budget.unlimited().withDeadline(parentDeadline).withPollQuota(1_000),
                        inner -> {
                          Budget requested =
                              Budget.unlimited()
                                  .withDeadline(parentDeadline.plusSeconds(60))
                                  .withPollQuota(10_000)
                                  .withCostQuota(50);
                          inner.spawn("child", requested, c -> {
                            child.set(c.budget());
                            return null;
                          });
                          return null;
                        })
                    .orThrow());
    assertThat(outcome.isOk()).isTrue();
    assertThat(child.get().deadline()).isEqualTo(parentDeadline);
    assertThat(child.get().pollQuota()).isLessThanOrEqualTo(1_000);
    assertThat(child.get().costQuota()).isEqualTo(50);
  }

  @Test
  void passedDeadlineBecomesDeadlineKindAtNextCheckpoint() throws Exception {
    Outcome<Integer> outcome =
        runtime.run(
            cx -> {
              Outcome<Integer> inner =
                  cx.scope(
                      RegionPolicy.FAIL_FAST,
                      Budget.timeout(cx.now(), Duration.ofMillis(20)),
                      c -> {
                        int spins = 0;
                        while (true) {
                          c.checkpoint();
                          spins++;
                          Thread.onSpinWait();
                          if (spins > 1_000_000_000) {
                            return spins;
                          }
                        }
                      });
              return inner.orThrow();
            });
    assertThat(outcome).isInstanceOf(Outcome.Cancelled.class);
    CancelReason reason = ((Outcome.Cancelled<Integer>) outcome).reason();
    assertThat(reason.root().kind()).isEqualTo(CancelKind.DEADLINE);
  }

  @Test
  void pollQuotaSpentCancelsWithPollQuota() throws Exception {
    Outcome<Integer> outcome =
        runtime.run(
            cx -> {
              TaskHandle<Integer> h =
                  cx.spawn(
                      "counter",
                      Budget.unlimited().withPollQuota(100),
                      c -> {
                        int n = 0;
                        while (true) {
                          c.checkpoint();
                          n++;
                        }
                      });
              Outcome<Integer> o = h.join(cx);
              return ((Outcome.Cancelled<Integer>) o).reason().kind() == CancelKind.POLL_QUOTA ? 1 : 0;
            });
    assertThat(outcome).isEqualTo(Outcome.ok(1));
  }

  @Test
  void costQuotaSpentCancelsWithCostBudget() throws Exception {
    Outcome<CancelKind> outcome =
        runtime.run(
            cx -> {
              TaskHandle<CancelKind> h =
                  cx.spawn(
                      "spender",
                      Budget.unlimited().withCostQuota(10),
                      c -> {
                        for (int i = 0; i < 100; i++) {
                          c.charge(3);
                          c.checkpoint();
                        }
                        return null;
                      });
              return ((Outcome.Cancelled<CancelKind>) h.join(cx)).reason().kind();
            });
    assertThat(outcome).isEqualTo(Outcome.ok(CancelKind.COST_BUDGET));
  }

  @Test
  void remainingShrinksWithCheckpoints() throws Exception {
    Outcome<Long> outcome =
        runtime.run(
            cx ->
                cx.scope(
                        RegionPolicy.FAIL_FAST,
                        Budget.unlimited().withPollQuota(50),
                        c -> {
                          c.checkpoint();
                          c.checkpoint();
                          return c.remaining().pollQuota();
                        })
                    .orThrow());
    assertThat(outcome).isEqualTo(Outcome.ok(48L));
  }
}
