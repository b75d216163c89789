package io.asupersync.lab.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.lab.Explorer;
import io.asupersync.lab.FaultPreset;
import io.asupersync.lab.LabConfig;
import io.asupersync.lab.LabRun;
import io.asupersync.lab.LabRuntime;
import io.asupersync.lab.Strategy;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Exploration: seed sweeps with random and PCT schedules run every seed of correct code without a
 * violation, count distinct schedules by fingerprint, and stop at or collect every failure.
 */
class ExplorationConformanceTests {

  static final int SEEDS = 1_000;

  @Test
  void randomSweepOfCorrectCodeRunsEverySeedCleanAndCountsDistinctSchedules() {
    Explorer.Exploration<List<String>> exploration = Explorer.explore(LabConfig.seed(0), SEEDS, false, Workloads.MIXED);
    assertThat(exploration.passed()).as(() -> exploration.failures().getFirst().report()).isTrue();
    assertThat(exploration.runs()).isEqualTo(SEEDS);
    assertThat(exploration.distinctSchedules()).isBetween(SEEDS * 9 / 10, SEEDS);
  }

  @Test
  void pctSweepWithFaultsRunsEverySeedClean() {
    LabConfig base = LabConfig.seed(5_000).withPct(3, 60).withFaults(FaultPreset.LIGHT);
    Explorer.Exploration<List<String>> exploration = Explorer.explore(base, SEEDS, false, Workloads.MIXED);
    assertThat(exploration.passed()).as(() -> exploration.failures().getFirst().report()).isTrue();
    assertThat(exploration.distinctSchedules()).isGreaterThan(SEEDS / 2);
  }

  @Test
  void distinctSchedulesCountOrdersOfDependentEventsNotInterleavings() {
    Set<List<Long>> interleavings = new HashSet<>();
    Set<Long> fingerprints = new HashSet<>();
    for (long seed = 0; seed < SEEDS; seed++) {
      LabRun<Void> run = LabRuntime.run(seed, Workloads.INDEPENDENT_COUNTERS);
      assertThat(run.passed()).as(run.report()).isTrue();
      interleavings.add(run.choices());
      fingerprints.add(run.fingerprint());
    }
    Explorer.Exploration<Void> exploration = Explorer.explore(LabConfig.seed(0), SEEDS, false, Workloads.INDEPENDENT_COUNTERS);
    assertThat(exploration.distinctSchedules()).isEqualTo(fingerprints.size());
    assertThat(interleavings).hasSizeGreaterThan(SEEDS / 2);
    assertThat(fingerprints).hasSizeLessThanOrEqualTo(6);
  }

  @Test
  void stopAtFirstViolationEndsTheSweepAtTheFirstFailingSeed() {
    Explorer.Exploration<Integer> all = Explorer.explore(LabConfig.seed(0), SEEDS, false, Workloads.LOST_UPDATE);
    Explorer.Exploration<Integer> first = Explorer.explore(LabConfig.seed(0), SEEDS, true, Workloads.LOST_UPDATE);
    assertThat(all.runs()).isEqualTo(SEEDS);
    assertThat(all.failures()).hasSizeGreaterThan(1);
    long firstSeed = all.failures().getFirst().config().seed();
    assertThat(first.failures()).singleElement().satisfies(f -> assertThat(f.config().seed()).isEqualTo(firstSeed));
    assertThat(first.runs()).isEqualTo((int) firstSeed + 1);
    assertThat(first.runsToFirstFailure(0)).isEqualTo(firstSeed + 1);
    assertThat(all.failures()).extracting(f -> f.config().seed()).isSorted();
  }

  @Test
  void pctFindsTheLostUpdateToo() {
    Explorer.Exploration<Integer> pct = Explorer.explore(LabConfig.seed(0).withPct(2, 20), SEEDS, true, Workloads.LOST_UPDATE);
    assertThat(pct.firstFailure()).hasValueSatisfying(f -> {
      assertThat(f.config().strategy()).isEqualTo(Strategy.PCT);
      assertThat(f.report()).contains("lost update").contains("strategy = Strategy.PCT, pctDepth = 2");
    });
  }
}
