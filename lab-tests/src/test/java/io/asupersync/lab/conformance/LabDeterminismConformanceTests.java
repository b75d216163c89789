package io.asupersync.lab.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.TaskBody;
import io.asupersync.lab.FaultPreset;
import io.asupersync.lab.LabConfig;
import io.asupersync.lab.LabRun;
import io.asupersync.lab.LabRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Lab determinism: the same seed gives the identical event sequence, fingerprint, choices, outcome and
 * virtual time; different seeds explore different schedules.
 */
class LabDeterminismConformanceTests {

  static final int SEEDS = 1_000;

  private static void assertIdentical(LabRun<?> a, LabRun<?> b) {
    assertThat(a.violations()).as(a.report()).isEmpty();
    assertThat(b.trace()).as("seed %d: event sequence", a.config().seed()).isEqualTo(a.trace());
    assertThat(b.fingerprint()).isEqualTo(a.fingerprint());
    assertThat(b.choices()).isEqualTo(a.choices());
    assertThat(b.outcome()).isEqualTo(a.outcome());
    assertThat(b.steps()).isEqualTo(a.steps());
    assertThat(b.virtualTime()).isEqualTo(a.virtualTime());
    assertThat(b.report()).isEqualTo(a.report());
  }

  @Test
  void sameSeedGivesTheIdenticalEventSequenceFingerprintAndOutcome() {
    for (long seed = 0; seed < SEEDS; seed++) {
      LabConfig config = LabConfig.seed(seed);
      assertIdentical(LabRuntime.run(config, Workloads.MIXED), LabRuntime.run(config, Workloads.MIXED));
    }
  }

  @Test
  void sameSeedIsIdenticalUnderPctWithHeavyFaults() {
    for (long seed = 0; seed < SEEDS; seed++) {
      LabConfig config = LabConfig.seed(seed).withPct(3, 60).withFaults(FaultPreset.HEAVY);
      assertIdentical(LabRuntime.run(config, Workloads.MIXED), LabRuntime.run(config, Workloads.MIXED));
    }
  }

  @Test
  void differentSeedsDivergeInScheduleAndResult() {
    Set<Long> fingerprints = new HashSet<>();
    Set<Object> outcomes = new HashSet<>();
    int sameChoicesAsPrevious = 0;
    List<Long> previous = List.of();
    for (long seed = 0; seed < SEEDS; seed++) {
      LabRun<List<String>> run = LabRuntime.run(LabConfig.seed(seed), Workloads.MIXED);
      assertThat(run.violations()).as(run.report()).isEmpty();
      fingerprints.add(run.fingerprint());
      outcomes.add(run.outcome());
      if (run.choices().equals(previous)) {
        sameChoicesAsPrevious++;
      }
      previous = run.choices();
    }
    assertThat(sameChoicesAsPrevious).isLessThan(SEEDS / 100);
    assertThat(fingerprints).hasSizeGreaterThan(SEEDS * 9 / 10);
    assertThat(outcomes).hasSizeGreaterThan(SEEDS * 9 / 10);
  }

  @Test
  void taskRandomSourcesAndTheClockDependOnlyOnTheSeed() {
    TaskBody<List<Long>> sample = cx -> {
      List<Long> seen = new ArrayList<>();
      seen.add(cx.random().nextLong());
      seen.add(cx.spawn(c -> {
        c.sleep(Duration.ofMillis(c.random().nextInt(100)));
        return c.random().nextLong() ^ c.now().toEpochMilli();
      }).join(cx).orThrow());
      seen.add(cx.now().toEpochMilli());
      return seen;
    };
    Set<Object> distinct = new HashSet<>();
    for (long seed = 0; seed < SEEDS; seed++) {
      LabRun<List<Long>> a = LabRuntime.run(seed, sample);
      LabRun<List<Long>> b = LabRuntime.run(seed, sample);
      assertThat(b.outcome()).isEqualTo(a.outcome());
      distinct.add(a.outcome());
    }
    assertThat(distinct).hasSize(SEEDS);
  }
}
