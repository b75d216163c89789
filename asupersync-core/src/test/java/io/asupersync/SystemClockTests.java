package io.asupersync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SystemClockTests {

  private final SystemClock clock = SystemClock.INSTANCE;

  @Test
  void aDeadlineAsNanoTimeIsReachedExactlyWhenNowIsNoLongerBeforeIt() {
    Instant now = clock.now();
    for (Instant deadline :
        new Instant[] {
          now.minusSeconds(3600), now.minusNanos(1), now, now.plusSeconds(3600), now.plus(Duration.ofDays(365 * 200)),
          Instant.MIN, Instant.MAX, Instant.EPOCH
        }) {
      long at = clock.nanoTimeOf(deadline);
      boolean reached = SystemClock.reached(at);
      boolean expected = !clock.now().isBefore(deadline);
      assertThat(reached).as("reached %s at %s", deadline, now).isEqualTo(expected);
    }
  }

  @Test
  void aDeadlineJustAheadIsReachedOnceTheClockPassesIt() {
    Instant deadline = clock.now().plusNanos(200_000);
    long at = clock.nanoTimeOf(deadline);
    assertThat(SystemClock.reached(at)).isFalse();
    long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (clock.now().isBefore(deadline)) {
      assertThat(System.nanoTime()).isLessThan(giveUp);
      Thread.onSpinWait();
    }
    assertThat(SystemClock.reached(at)).isTrue();
  }

  @Test
  void aCheckpointPastTheScopeDeadlineCancelsTheScopeOnTheSystemClock() throws Exception {
    try (Runtime rt = Runtime.builder().build()) {
      Outcome<Outcome<Integer>> outcome =
          rt.run(
              cx ->
                  cx.scope(
                      RegionPolicy.FAIL_FAST,
                      Budget.timeout(cx.now(), Duration.ofMillis(5)),
                      scope -> {
                        int checkpoints = 0;
                        while (true) {
                          scope.checkpoint();
                          checkpoints++;
                          if (checkpoints == 1) {
                            assertThat(scope.isCancelRequested()).as("not cancelled before the deadline").isFalse();
                          }
                        }
                      }));
      Outcome<Integer> scoped = outcome.orThrow();
      assertThat(scoped).isInstanceOf(Outcome.Cancelled.class);
      assertThat(((Outcome.Cancelled<Integer>) scoped).reason().kind()).isEqualTo(CancelKind.DEADLINE);
    }
  }
}
