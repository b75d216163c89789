package io.asupersync.combinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.Budget;
import io.asupersync.CancelKind;
import io.asupersync.CancelReason;
import io.asupersync.CancelledException;
import io.asupersync.Cx;
import io.asupersync.Outcome;
import io.asupersync.RegionPolicy;
import io.asupersync.Runtime;
import io.asupersync.TaskBody;
import io.asupersync.TaskHandle;
import io.asupersync.trace.TraceEvent;
import io.asupersync.trace.TraceKind;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Branches that must be cancelled block in {@code sleep(1 hour)}: a combinator that failed to cancel
 * or drain them would hang, which the class-wide timeout turns into a failure.
 */
@Timeout(10)
class CombinatorsTests {

  private static final Duration HOUR = Duration.ofHours(1);

  private final Runtime runtime = Runtime.builder().seed(7).build();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final Map<String, CancelReason> reasons = new ConcurrentHashMap<>();

  @AfterEach
  void close() {
    assertThat(runtime.shutdown().quiescent()).isTrue();
  }

  /** A branch that blocks for an hour, records why it was cancelled and registers a finalizer. */
  private TaskBody<String> sleeper(String name) {
    return c -> {
      c.defer(f -> events.add(name + " finalized"));
      try {
        c.sleep(HOUR);
      } catch (CancelledException e) {
        reasons.put(name, e.reason());
        throw e;
      }
      return name;
    };
  }

  private static TaskBody<String> after(Duration delay, String value) {
    return c -> {
      c.sleep(delay);
      return value;
    };
  }

  private static TaskBody<String> failing(String message) {
    return c -> {
      throw new IOException(message);
    };
  }

  /** Runs {@code body} as the root task and returns the outcome the body returned. */
  private <T> Outcome<T> outcomeOf(TaskBody<Outcome<T>> body) throws Exception {
    Outcome<T> outcome = runtime.run(body).orThrow();
    assertThat(outcome).isNotNull();
    return outcome;
  }

  /** Waits, on the runtime clock, until another branch raised {@code flag}. */
  private static void awaitFlag(Cx c, AtomicBoolean flag) {
    while (!flag.get()) {
      c.sleep(Duration.ofMillis(1));
    }
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  // ---- join

  @Test
  void joinWaitsForEveryBranch() throws Exception {
    List<TaskBody<String>> branches =
        List.of(
            failing("fails at once"),
            c -> {
              c.sleep(ms(50));
              events.add("slow ended");
              return "slow";
            },
            c -> "fast");
    List<Outcome<String>> outcomes =
        runtime
            .run(
                cx -> {
                  List<Outcome<String>> all = Combinators.join(cx, branches);
                  events.add("join returned");
                  return all;
                })
            .orThrow();
    assertThat(outcomes).hasSize(3);
    assertThat(outcomes.get(0))
        .isInstanceOfSatisfying(
            Outcome.Err.class, e -> assertThat(e.error()).hasMessage("fails at once"));
    assertThat(outcomes.get(1)).isEqualTo(Outcome.ok("slow")); // the failure did not cancel it
    assertThat(outcomes.get(2)).isEqualTo(Outcome.ok("fast"));
    assertThat(events).containsExactly("slow ended", "join returned");
  }

  @Test
  void joinReportsBranchesCancelledWithTheCallerAfterDrainingThem() throws Exception {
    List<TaskBody<String>> branches = List.of(c -> "quick", sleeper("slow"));
    List<Outcome<String>> outcomes =
        outcomeOf(cx -> Combinators.timeout(cx, ms(50), c -> Combinators.join(c, branches))).orThrow();
    assertThat(outcomes.get(0)).isEqualTo(Outcome.ok("quick"));
    assertThat(outcomes.get(1))
        .isInstanceOfSatisfying(
            Outcome.Cancelled.class,
            c -> assertThat(c.reason().root().kind()).isEqualTo(CancelKind.DEADLINE));
    assertThat(events).containsExactly("slow finalized");
  }

  @Test
  void joinFailFastCancelsSiblingsOnFirstFailureAndDrainsThem() throws Exception {
    List<TaskBody<String>> branches = List.of(sleeper("sibling"), failing("boom"));
    Outcome<List<String>> outcome =
        outcomeOf(
                cx -> {
                  Outcome<List<String>> o = Combinators.joinFailFast(cx, branches);
                  events.add("returned");
                  return o;
                });
    assertThat(outcome)
        .isInstanceOfSatisfying(Outcome.Err.class, e -> assertThat(e.error()).hasMessage("boom"));
    assertThat(reasons.get("sibling").root().kind()).isEqualTo(CancelKind.FAIL_FAST);
    assertThat(events).containsExactly("sibling finalized", "returned");
  }

  @Test
  void joinFailFastReturnsEveryValueInBranchOrder() throws Exception {
    List<TaskBody<String>> branches = List.of(after(ms(30), "a"), c -> "b", c -> null);
    Outcome<List<String>> outcome = outcomeOf(cx -> Combinators.joinFailFast(cx, branches));
    assertThat(outcome.orThrow()).containsExactly("a", "b", null);
  }

  // ---- race

  @Test
  void raceRunsLoserFinalizerBeforeReturning() throws Exception {
    AtomicLong loserTask = new AtomicLong();
    TaskBody<String> loser =
        c -> {
          loserTask.set(c.taskId());
          return sleeper("loser").run(c);
        };
    List<TaskBody<String>> branches = List.of(loser, after(ms(20), "winner"));
    Outcome<String> outcome =
        outcomeOf(
                cx -> {
                  Outcome<String> o = Combinators.race(cx, branches);
                  events.add("race returned");
                  return o;
                });
    assertThat(outcome).isEqualTo(Outcome.ok("winner"));
    assertThat(events).containsExactly("loser finalized", "race returned");
    // Inside its own scope the loser's body sees PARENT_CANCELLED caused by RACE_LOST ...
    assertThat(reasons.get("loser").root().kind()).isEqualTo(CancelKind.RACE_LOST);
    // ... and the loser task itself was cancelled with RACE_LOST (traced before cancel returns) ...
    assertThat(runtime.trace().events(e -> e.taskId() == loserTask.get(), 100))
        .anySatisfy(
            e -> {
              assertThat(e.kind()).isEqualTo(TraceKind.CANCEL_REQUESTED);
              assertThat(e.attribute("kind")).isEqualTo("RACE_LOST");
            });
    // ... and ended Cancelled. The runtime records TASK_COMPLETED just after the region learns of the
    // completion, so read it once the runtime is quiescent.
    assertThat(runtime.shutdown().quiescent()).isTrue();
    assertThat(runtime.trace().events(e -> e.taskId() == loserTask.get(), 100))
        .anySatisfy(
            e -> {
              assertThat(e.kind()).isEqualTo(TraceKind.TASK_COMPLETED);
              assertThat(e.attribute("outcome")).isEqualTo("cancelled");
            });
  }

  @Test
  void raceCancelsWhatALoserSpawnedToo() throws Exception {
    TaskBody<String> loser =
        c -> {
          c.spawn(
              child -> {
                try {
                  child.sleep(HOUR);
                } finally {
                  events.add("loser's child ended");
                }
                return null;
              });
          c.sleep(HOUR);
          return "loser";
        };
    List<TaskBody<String>> branches = List.of(loser, after(ms(20), "winner"));
    Outcome<String> outcome =
        outcomeOf(
                cx -> {
                  Outcome<String> o = Combinators.race(cx, branches);
                  events.add("race returned");
                  return o;
                });
    assertThat(outcome).isEqualTo(Outcome.ok("winner"));
    assertThat(events).containsExactly("loser's child ended", "race returned");
  }

  @Test
  void raceIgnoresAnEarlierErrAndReturnsTheFirstOk() throws Exception {
    List<TaskBody<String>> branches = List.of(failing("fast failure"), after(ms(30), "slow success"));
    assertThat(outcomeOf(cx -> Combinators.race(cx, branches))).isEqualTo(Outcome.ok("slow success"));
  }

  @Test
  void raceReturnsTheEarliestFailureWhenNoBranchSucceeds() throws Exception {
    AtomicBoolean firstFailed = new AtomicBoolean();
    List<TaskBody<String>> branches =
        List.of(
            c -> {
              awaitFlag(c, firstFailed);
              c.sleep(ms(20));
              throw new IOException("second");
            },
            c -> {
              try {
                throw new IOException("first");
              } finally {
                firstFailed.set(true);
              }
            });
    Outcome<String> outcome = outcomeOf(cx -> Combinators.race(cx, branches));
    assertThat(outcome)
        .isInstanceOfSatisfying(Outcome.Err.class, e -> assertThat(e.error()).hasMessage("first"));
  }

  @Test
  void racePanicEndsTheRaceAtOnce() throws Exception {
    List<TaskBody<String>> branches =
        List.of(
            sleeper("other"),
            c -> {
              throw new IllegalStateException("bug");
            });
    Outcome<String> outcome = outcomeOf(cx -> Combinators.race(cx, branches));
    assertThat(outcome)
        .isInstanceOfSatisfying(
            Outcome.Panicked.class, p -> assertThat(p.cause()).hasMessage("bug"));
    assertThat(reasons.get("other").root().kind()).isEqualTo(CancelKind.FAIL_FAST);
    assertThat(events).containsExactly("other finalized");
  }

  @Test
  void raceDrainsEveryBranchWhenTheCallerIsCancelled() throws Exception {
    AtomicReference<Outcome<String>> raced = new AtomicReference<>();
    List<TaskBody<String>> branches = List.of(sleeper("a"), sleeper("b"));
    runtime.run(
        cx -> {
          TaskHandle<Outcome<String>> caller =
              cx.spawn(
                  c -> {
                    Outcome<String> o = Combinators.race(c, branches);
                    raced.set(o);
                    return o;
                  });
          cx.sleep(ms(20));
          caller.cancel(CancelReason.from(cx, CancelKind.USER, "caller gave up"));
          return caller.join(cx);
        });
    assertThat(raced.get())
        .isInstanceOfSatisfying(
            Outcome.Cancelled.class,
            c -> assertThat(c.reason().root().kind()).isEqualTo(CancelKind.USER));
    assertThat(events).containsExactlyInAnyOrder("a finalized", "b finalized");
    assertThat(reasons.get("a").root().kind()).isEqualTo(CancelKind.USER);
  }

  @Test
  void raceWaitsWithoutSpinning() throws Exception {
    // A waiter that polled in a loop would spend this checkpoint quota within the 100 ms race.
    List<TaskBody<String>> branches = List.of(after(ms(100), "a"), after(ms(150), "b"));
    Outcome<String> outcome =
        outcomeOf(
            cx ->
                cx.scope(
                        RegionPolicy.FAIL_FAST,
                        Budget.unlimited().withPollQuota(200),
                        c -> Combinators.race(c, branches))
                    .orThrow());
    assertThat(outcome).isEqualTo(Outcome.ok("a"));
  }

  @Test
  void raceRejectsAnEmptyListOfBranches() {
    assertThatThrownBy(() -> outcomeOf(cx -> Combinators.race(cx, List.<TaskBody<Object>>of())))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- timeout

  @Test
  void timeoutCancelsWithTimeoutKindAndDrains() throws Exception {
    AtomicReference<Instant> bodyDeadline = new AtomicReference<>();
    AtomicReference<Instant> start = new AtomicReference<>();
    TaskBody<String> body =
        c -> {
          bodyDeadline.set(c.budget().deadline());
          c.defer(f -> events.add("body finalized"));
          c.spawn(
              child -> {
                try {
                  child.sleep(HOUR);
                } finally {
                  events.add("child drained");
                }
                return null;
              });
          c.sleep(HOUR);
          return "too late";
        };
    Outcome<String> outcome =
        outcomeOf(
                cx -> {
                  start.set(cx.now());
                  Outcome<String> o = Combinators.timeout(cx, ms(50), body);
                  events.add("timeout returned");
                  return o;
                });
    assertThat(outcome)
        .isInstanceOfSatisfying(
            Outcome.Cancelled.class,
            c -> {
              assertThat(c.reason().kind()).isEqualTo(CancelKind.TIMEOUT);
              assertThat(c.reason().cause()).isNotNull();
              assertThat(c.reason().cause().kind()).isEqualTo(CancelKind.DEADLINE);
            });
    assertThat(events).containsExactly("child drained", "body finalized", "timeout returned");
    assertThat(bodyDeadline.get()).isAfterOrEqualTo(start.get().plus(ms(50)));
  }

  @Test
  void timeoutReturnsTheBodysOwnOutcomeWhenItEndsInTime() throws Exception {
    assertThat(outcomeOf(cx -> Combinators.timeout(cx, HOUR, c -> 42))).isEqualTo(Outcome.ok(42));
    Outcome<String> failed = outcomeOf(cx -> Combinators.timeout(cx, HOUR, failing("own failure")));
    assertThat(failed)
        .isInstanceOfSatisfying(
            Outcome.Err.class, e -> assertThat(e.error()).hasMessage("own failure"));
  }

  @Test
  void timeoutLeavesTheCallersNearerDeadlineAsDeadline() throws Exception {
    AtomicReference<Outcome<String>> inner = new AtomicReference<>();
    Outcome<String> outer =
        outcomeOf(
            cx ->
                Combinators.timeout(
                    cx,
                    ms(50),
                    c -> {
                      Outcome<String> o = Combinators.timeout(c, HOUR, sleeper("body"));
                      inner.set(o);
                      return o.orThrow();
                    }));
    assertThat(outer)
        .isInstanceOfSatisfying(
            Outcome.Cancelled.class,
            c -> assertThat(c.reason().kind()).isEqualTo(CancelKind.TIMEOUT));
    assertThat(inner.get())
        .isInstanceOfSatisfying(
            Outcome.Cancelled.class,
            c -> assertThat(c.reason().kind()).isEqualTo(CancelKind.DEADLINE));
  }

  // ---- quorum

  @Test
  void quorumCancelsRemainingOnceReached() throws Exception {
    List<TaskBody<String>> branches =
        List.of(c -> "a", sleeper("slow-1"), after(ms(10), "b"), sleeper("slow-2"));
    Outcome<List<String>> outcome =
        outcomeOf(
                cx -> {
                  Outcome<List<String>> o = Combinators.quorum(cx, 2, branches);
                  events.add("quorum returned");
                  return o;
                });
    assertThat(outcome.orThrow()).containsExactlyInAnyOrder("a", "b");
    assertThat(events)
        .containsExactlyInAnyOrder("slow-1 finalized", "slow-2 finalized", "quorum returned");
    assertThat(events.getLast()).isEqualTo("quorum returned");
    assertThat(reasons.get("slow-1").root().kind()).isEqualTo(CancelKind.RACE_LOST);
    assertThat(reasons.get("slow-2").root().kind()).isEqualTo(CancelKind.RACE_LOST);
  }

  @Test
  void quorumToleratesFailuresWhileStillReachable() throws Exception {
    List<TaskBody<String>> branches = List.of(failing("one down"), after(ms(20), "a"), after(ms(30), "b"));
    Outcome<List<String>> outcome = outcomeOf(cx -> Combinators.quorum(cx, 2, branches));
    assertThat(outcome.orThrow()).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void quorumFailsWhenImpossible() throws Exception {
    List<TaskBody<String>> branches =
        List.of(failing("x"), sleeper("slow-1"), failing("y"), sleeper("slow-2"));
    Outcome<List<String>> outcome =
        outcomeOf(
                cx -> {
                  Outcome<List<String>> o = Combinators.quorum(cx, 3, branches);
                  events.add("quorum returned");
                  return o;
                });
    assertThat(outcome)
        .isInstanceOfSatisfying(
            Outcome.Err.class,
            e -> {
              QuorumFailedException q = (QuorumFailedException) e.error();
              assertThat(q.required()).isEqualTo(3);
              assertThat(q.succeeded()).isZero();
              assertThat(q.branches()).isEqualTo(4);
              assertThat(q.failures())
                  .extracting(QuorumFailedException.Failure::branch)
                  .containsExactlyInAnyOrder(0, 2);
              assertThat(q.getSuppressed())
                  .extracting(Throwable::getMessage)
                  .containsExactlyInAnyOrder("x", "y");
            });
    assertThat(reasons.get("slow-1").root().kind()).isEqualTo(CancelKind.FAIL_FAST);
    assertThat(events.getLast()).isEqualTo("quorum returned");
    assertThat(events).contains("slow-1 finalized", "slow-2 finalized");
  }

  @Test
  void quorumRejectsAnImpossibleK() {
    List<TaskBody<String>> branches = List.of(c -> "a");
    assertThatThrownBy(() -> outcomeOf(cx -> Combinators.quorum(cx, 2, branches)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- hedge

  @Test
  void hedgeDoesNotStartBackupWhenPrimaryIsFast() throws Exception {
    AtomicBoolean backupStarted = new AtomicBoolean();
    Outcome<String> outcome =
        outcomeOf(
            cx ->
                Combinators.hedge(
                    cx,
                    HOUR,
                    c -> "primary",
                    c -> {
                      backupStarted.set(true);
                      return "backup";
                    }));
    assertThat(outcome).isEqualTo(Outcome.ok("primary"));
    assertThat(backupStarted).isFalse();
  }

  @Test
  void hedgeStartsBackupOnlyAfterDelay() throws Exception {
    AtomicReference<Instant> start = new AtomicReference<>();
    AtomicReference<Instant> backupStartedAt = new AtomicReference<>();
    Outcome<String> outcome =
        outcomeOf(
                cx -> {
                  start.set(cx.now());
                  Outcome<String> o =
                      Combinators.hedge(
                          cx,
                          ms(50),
                          sleeper("primary"),
                          c -> {
                            backupStartedAt.set(c.now());
                            return "backup";
                          });
                  events.add("hedge returned");
                  return o;
                });
    assertThat(outcome).isEqualTo(Outcome.ok("backup"));
    assertThat(backupStartedAt.get()).isAfterOrEqualTo(start.get().plus(ms(50)));
    assertThat(reasons.get("primary").root().kind()).isEqualTo(CancelKind.RACE_LOST);
    assertThat(events).containsExactly("primary finalized", "hedge returned");
  }

  @Test
  void hedgeKeepsWaitingForTheBackupWhenThePrimaryFailsLate() throws Exception {
    AtomicBoolean backupStarted = new AtomicBoolean();
    AtomicBoolean primaryFailed = new AtomicBoolean();
    TaskBody<String> primary =
        c -> {
          awaitFlag(c, backupStarted);
          primaryFailed.set(true);
          throw new IOException("primary failed after the backup started");
        };
    TaskBody<String> backup =
        c -> {
          backupStarted.set(true);
          awaitFlag(c, primaryFailed);
          c.sleep(ms(20));
          return "backup";
        };
    assertThat(outcomeOf(cx -> Combinators.hedge(cx, ms(10), primary, backup)))
        .isEqualTo(Outcome.ok("backup"));
  }

  // ---- retry

  @Test
  void retryRetriesErrWithBackoffUntilOk() throws Exception {
    List<Instant> attemptsAt = new CopyOnWriteArrayList<>();
    TaskBody<String> body =
        c -> {
          attemptsAt.add(c.now());
          if (attemptsAt.size() < 3) {
            throw new IOException("transient");
          }
          return "ok";
        };
    Outcome<String> outcome =
        outcomeOf(cx -> Combinators.retry(cx, RetryPolicy.fixed(5, ms(20)), body));
    assertThat(outcome).isEqualTo(Outcome.ok("ok"));
    assertThat(attemptsAt).hasSize(3);
    for (int i = 1; i < attemptsAt.size(); i++) {
      assertThat(Duration.between(attemptsAt.get(i - 1), attemptsAt.get(i))).isGreaterThanOrEqualTo(ms(20));
    }
  }

  @Test
  void retryGivesUpAfterMaxAttemptsWithTheLastErr() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    TaskBody<String> body =
        c -> {
          throw new IOException("attempt " + attempts.incrementAndGet());
        };
    Outcome<String> outcome = outcomeOf(cx -> Combinators.retry(cx, RetryPolicy.fixed(3, ms(1)), body));
    assertThat(outcome)
        .isInstanceOfSatisfying(Outcome.Err.class, e -> assertThat(e.error()).hasMessage("attempt 3"));
    assertThat(attempts).hasValue(3);
  }

  @Test
  void retryDoesNotRetryPanics() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    TaskBody<String> body =
        c -> {
          attempts.incrementAndGet();
          throw new IllegalStateException("bug");
        };
    Outcome<String> outcome = outcomeOf(cx -> Combinators.retry(cx, RetryPolicy.fixed(5, ms(1)), body));
    assertThat(outcome).isInstanceOf(Outcome.Panicked.class);
    assertThat(attempts).hasValue(1);
  }

  @Test
  void retryDoesNotRetryCancelled() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    TaskBody<String> body =
        c -> {
          attempts.incrementAndGet();
          c.cancelScope("attempt cancelled itself");
          c.checkpoint();
          return "unreachable";
        };
    Outcome<String> outcome = outcomeOf(cx -> Combinators.retry(cx, RetryPolicy.fixed(5, ms(1)), body));
    assertThat(outcome).isInstanceOf(Outcome.Cancelled.class);
    assertThat(attempts).hasValue(1);
  }

  @Test
  void retryDoesNotRetryErrsThePolicyRejects() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    TaskBody<String> body =
        c -> {
          attempts.incrementAndGet();
          throw new TimeoutException("not retryable");
        };
    RetryPolicy onlyIo = RetryPolicy.fixed(5, ms(1)).retryingOn(e -> e instanceof IOException);
    Outcome<String> outcome = outcomeOf(cx -> Combinators.retry(cx, onlyIo, body));
    assertThat(outcome).isInstanceOf(Outcome.Err.class);
    assertThat(attempts).hasValue(1);
  }

  @Test
  void retryStopsOnCancel() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    AtomicReference<Outcome<String>> retried = new AtomicReference<>();
    TaskBody<String> body =
        c -> {
          throw new IOException("attempt " + attempts.incrementAndGet());
        };
    Outcome<String> outcome =
        outcomeOf(
            cx ->
                Combinators.timeout(
                    cx,
                    ms(50),
                    c -> {
                      Outcome<String> o = Combinators.retry(c, RetryPolicy.fixed(10, HOUR), body);
                      retried.set(o);
                      return o.orThrow();
                    }));
    assertThat(attempts).hasValue(1); // the hour-long backoff was cut short, no second attempt
    assertThat(retried.get()).isInstanceOf(Outcome.Cancelled.class);
    assertThat(outcome)
        .isInstanceOfSatisfying(
            Outcome.Cancelled.class,
            c -> assertThat(c.reason().kind()).isEqualTo(CancelKind.TIMEOUT));
  }

  @Test
  void retryJitterReplaysWithTheRuntimeSeed() {
    RetryPolicy policy = RetryPolicy.fixed(3, ms(5)).withJitter(1.0);
    List<String> first = retryBackoffs(policy, 99);
    List<String> second = retryBackoffs(policy, 99);
    assertThat(first).hasSize(2).isEqualTo(second);
  }

  private static List<String> retryBackoffs(RetryPolicy policy, long seed) {
    try (Runtime r = Runtime.builder().seed(seed).build()) {
      r.run(cx -> Combinators.retry(cx, policy, failing("always")));
      List<String> backoffs = new ArrayList<>();
      for (TraceEvent e : r.trace().events(e -> "combinator.retry".equals(e.attribute("name")), 10)) {
        backoffs.add(e.attribute("backoff"));
      }
      return backoffs;
    }
  }

  @Test
  void retryBackoffGrowsGeometricallyUpToTheCap() {
    RetryPolicy policy = RetryPolicy.exponential(10, ms(100)).withMaxBackoff(Duration.ofSeconds(1));
    SplittableRandom unused = new SplittableRandom(1);
    assertThat(policy.backoff(1, unused)).isEqualTo(ms(100));
    assertThat(policy.backoff(2, unused)).isEqualTo(ms(200));
    assertThat(policy.backoff(4, unused)).isEqualTo(ms(800));
    assertThat(policy.backoff(5, unused)).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.backoff(60, unused)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void retryJitterShortensThePauseWithinItsFraction() {
    RetryPolicy policy = RetryPolicy.fixed(3, ms(100)).withJitter(0.5);
    SplittableRandom random = new SplittableRandom(42);
    List<Duration> pauses = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      pauses.add(policy.backoff(1, random));
    }
    assertThat(pauses).allSatisfy(d -> assertThat(d).isBetween(ms(50), ms(100)));
    assertThat(pauses.stream().distinct().count()).isGreaterThan(1);
  }

  @Test
  void retryPolicyRejectsNonsense() {
    assertThatThrownBy(() -> RetryPolicy.fixed(0, ms(1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RetryPolicy.fixed(3, ms(-1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RetryPolicy.fixed(3, ms(1)).withJitter(1.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RetryPolicy.fixed(3, ms(1)).withMultiplier(0.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RetryPolicy.exponential(3, ms(100)).withMaxBackoff(ms(10)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
