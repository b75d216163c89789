package io.asupersync.lab.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.CancelKind;
import io.asupersync.CancelledException;
import io.asupersync.Cx;
import io.asupersync.Outcome;
import io.asupersync.TaskBody;
import io.asupersync.combinator.Combinators;
import io.asupersync.lab.FaultPreset;
import io.asupersync.lab.junit.LabTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loser drain: a race, hedge, quorum or timeout returns only after every branch it cancelled has
 * ended and run its cleanup; losers learn they lost ({@link CancelKind#RACE_LOST} at the root of their
 * reason).
 */
class LoserDrainConformanceTests {

  static final int SEEDS = 1_000;

  /** A replica lookup: waits its latency, with cleanup that itself takes time and records who ran it. */
  private static TaskBody<String> replica(String name, long latencyMillis, Map<String, String> cleanup) {
    return c -> {
      c.defer(f -> cleanup.merge(name + ".finalizer", "ran", String::concat));
      try {
        c.sleep(Duration.ofMillis(latencyMillis));
        return name;
      } catch (CancelledException e) {
        c.runMasked(() -> {
          c.sleep(Duration.ofMillis(2)); // close the replica's connection
          cleanup.put(name, e.reason().root().kind().name());
        });
        throw e;
      }
    };
  }

  @LabTest(runs = SEEDS)
  void raceReturnsTheFastestReplicaOnlyAfterEveryLoserDrained(Cx cx) {
    Map<String, String> cleanup = new ConcurrentHashMap<>();
    long[] latency = new long[3];
    List<TaskBody<String>> replicas = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      latency[i] = 1 + cx.random().nextInt(3) * 5L;
      replicas.add(replica("replica" + i, latency[i], cleanup));
    }
    long fastest = Math.min(latency[0], Math.min(latency[1], latency[2]));
    Instant start = cx.now();
    Outcome<String> winner = Combinators.race(cx, replicas);
    assertThat(winner).isInstanceOf(Outcome.Ok.class);
    String name = ((Outcome.Ok<String>) winner).value();
    int index = Integer.parseInt(name.substring("replica".length()));
    assertThat(latency[index]).isEqualTo(fastest);
    for (int i = 0; i < 3; i++) {
      assertThat(cleanup).containsEntry("replica" + i + ".finalizer", "ran");
      if (latency[i] > fastest) {
        assertThat(cleanup).containsEntry("replica" + i, CancelKind.RACE_LOST.name());
      }
    }
    boolean anyLoserCleanedUp = cleanup.containsValue(CancelKind.RACE_LOST.name());
    assertThat(Duration.between(start, cx.now())).isEqualTo(Duration.ofMillis(fastest + (anyLoserCleanedUp ? 2 : 0)));
  }

  @LabTest(runs = SEEDS)
  void hedgedRequestDrainsTheSlowerCopy(Cx cx) {
    Map<String, String> cleanup = new ConcurrentHashMap<>();
    // Not exactly 10 (the hedge delay) nor 16 (when the backup would finish): those ties are up to the
    // schedule.
    long[] latencies = {5, 8, 9, 11, 12, 15, 17, 20, 30};
    long primaryLatency = latencies[cx.random().nextInt(latencies.length)];
    Outcome<String> outcome = Combinators.hedge(cx, Duration.ofMillis(10),
        replica("primary", primaryLatency, cleanup), replica("backup", 6, cleanup));
    String expected = primaryLatency <= 16 ? "primary" : "backup";
    assertThat(outcome).isEqualTo(Outcome.ok(expected));
    assertThat(cleanup).containsEntry("primary.finalizer", "ran");
    if (primaryLatency > 10) {
      assertThat(cleanup).containsEntry("backup.finalizer", "ran");
      String loser = expected.equals("primary") ? "backup" : "primary";
      assertThat(cleanup).containsEntry(loser, CancelKind.RACE_LOST.name());
    } else {
      assertThat(cleanup).doesNotContainKey("backup.finalizer");
    }
  }

  @LabTest(runs = SEEDS)
  void quorumCancelsAndDrainsTheBranchesItNoLongerNeeds(Cx cx) {
    Map<String, String> cleanup = new ConcurrentHashMap<>();
    List<TaskBody<String>> writes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      writes.add(replica("replica" + i, 1 + cx.random().nextInt(10), cleanup));
    }
    Outcome<List<String>> outcome = Combinators.quorum(cx, 3, writes);
    assertThat(outcome).isInstanceOfSatisfying(Outcome.Ok.class, ok -> assertThat((List<?>) ok.value()).hasSize(3).doesNotHaveDuplicates());
    for (int i = 0; i < 5; i++) {
      assertThat(cleanup).containsEntry("replica" + i + ".finalizer", "ran");
    }
    long lost = cleanup.values().stream().filter(CancelKind.RACE_LOST.name()::equals).count();
    assertThat(lost).isLessThanOrEqualTo(2);
  }

  @LabTest(runs = SEEDS)
  void timeoutDrainsEverythingTheBodySpawned(Cx cx) {
    AtomicInteger drained = new AtomicInteger();
    Instant start = cx.now();
    Outcome<Object> outcome = Combinators.timeout(cx, Duration.ofMillis(10), body -> {
      for (int i = 0; i < 3; i++) {
        body.spawn("fetch" + i, c -> {
          try {
            c.sleep(Duration.ofMillis(5 + c.random().nextInt(20)));
          } finally {
            drained.incrementAndGet();
          }
          return null;
        });
      }
      body.sleep(Duration.ofHours(1));
      return null;
    });
    assertThat(outcome).isInstanceOfSatisfying(Outcome.Cancelled.class, c -> assertThat(c.reason().kind()).isEqualTo(CancelKind.TIMEOUT));
    assertThat(drained).hasValue(3);
    assertThat(Duration.between(start, cx.now())).isEqualTo(Duration.ofMillis(10));
  }

  @LabTest(runs = SEEDS)
  void nestedRacesDrainEveryLevel(Cx cx) {
    Map<String, String> cleanup = new ConcurrentHashMap<>();
    List<TaskBody<String>> regions = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      String region = "region" + r;
      regions.add(c -> Combinators.race(c, List.of(
          replica(region + "-a", 1 + c.random().nextInt(8), cleanup),
          replica(region + "-b", 1 + c.random().nextInt(8), cleanup))).orThrow());
    }
    assertThat(Combinators.race(cx, regions)).isInstanceOf(Outcome.Ok.class);
    assertThat(cleanup.keySet().stream().filter(k -> k.endsWith(".finalizer"))).hasSize(4);
  }

  @LabTest(runs = SEEDS, faults = FaultPreset.LIGHT)
  void racesDrainTheirLosersUnderLightFaults(Cx cx) {
    racesUnderFaults(cx);
  }

  @LabTest(runs = SEEDS, faults = FaultPreset.HEAVY)
  void racesDrainTheirLosersUnderHeavyFaults(Cx cx) {
    racesUnderFaults(cx);
  }

  private static void racesUnderFaults(Cx cx) {
    Map<String, String> cleanup = new ConcurrentHashMap<>();
    List<TaskBody<String>> replicas = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      replicas.add(replica("replica" + i, 1 + cx.random().nextInt(10), cleanup));
    }
    Outcome<String> outcome = Combinators.race(cx, replicas);
    assertThat(outcome).isInstanceOfAny(Outcome.Ok.class, Outcome.Cancelled.class);
    long finalizersRun = cleanup.keySet().stream().filter(k -> k.endsWith(".finalizer")).count();
    assertThat(finalizersRun).as("every started replica ran its finalizer before race returned").isEqualTo(3);
  }
}
