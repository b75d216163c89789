package io.asupersync.lab.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.lab.Explorer;
import io.asupersync.lab.FaultPreset;
import io.asupersync.lab.LabConfig;
import io.asupersync.lab.LabRun;
import io.asupersync.lab.LabRuntime;
import io.asupersync.lab.Oracle;
import io.asupersync.lab.TraceFile;
import io.asupersync.lab.TraceFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay debugging: a run replays exactly from its seed, from its recorded choices and from its trace
 * file; a modified trace file is rejected; a replay that cannot follow its log names the first step
 * where it diverged.
 */
class ReplayDebuggingConformanceTests {

  static final int SEEDS = 1_000;

  private static void assertSameRun(LabRun<?> replay, LabRun<?> original) {
    assertThat(replay.violations()).as(replay.report()).isEqualTo(original.violations());
    assertThat(replay.trace()).isEqualTo(original.trace());
    assertThat(replay.fingerprint()).isEqualTo(original.fingerprint());
    assertThat(replay.choices()).isEqualTo(original.choices());
    // A Panicked outcome holds a fresh exception in each run: compare what it says.
    assertThat(String.valueOf(replay.outcome())).isEqualTo(String.valueOf(original.outcome()));
  }

  @Test
  void recordedChoicesReplayEveryRunExactlyEvenUnderHeavyFaults() {
    for (long seed = 0; seed < SEEDS; seed++) {
      LabConfig config = LabConfig.seed(seed).withFaults(seed % 2 == 0 ? FaultPreset.HEAVY : FaultPreset.NONE);
      LabRun<List<String>> original = LabRuntime.run(config, Workloads.MIXED);
      assertThat(original.passed()).as(original.report()).isTrue();
      assertSameRun(LabRuntime.run(config.withReplay(original.choices()), Workloads.MIXED), original);
    }
  }

  @Test
  void traceFileRoundTripReplaysTheRecordedRun() throws Exception {
    for (long seed = 0; seed < SEEDS; seed++) {
      LabRun<List<String>> original = LabRuntime.run(LabConfig.seed(seed).withPct(3, 60), Workloads.MIXED);
      TraceFile.Recorded recorded = TraceFile.decode(TraceFile.encode(
          new TraceFile.Recorded(original.config(), original.trace(), original.choices())));
      assertThat(recorded.events()).isEqualTo(original.trace());
      assertSameRun(LabRuntime.run(recorded.replayConfig(), Workloads.MIXED), original);
    }
  }

  @Test
  void modifiedTraceFileIsRejected() {
    SplittableRandom random = new SplittableRandom(7);
    for (long seed = 0; seed < SEEDS; seed++) {
      LabRun<List<String>> run = LabRuntime.run(seed, Workloads.MIXED);
      byte[] bytes = TraceFile.encode(new TraceFile.Recorded(run.config(), run.trace(), run.choices()));
      int at = random.nextInt(bytes.length - 1);
      byte changed = (byte) (bytes[at] == '1' ? '2' : '1');
      if (bytes[at] == '\n') {
        continue; // merging two lines is covered by the truncation tests in core
      }
      bytes[at] = changed;
      assertThatThrownBy(() -> TraceFile.decode(bytes)).isInstanceOf(TraceFileException.class);
    }
  }

  @Test
  void replayThatCannotFollowItsLogNamesTheFirstDivergingStep() {
    SplittableRandom random = new SplittableRandom(11);
    for (long seed = 0; seed < SEEDS; seed++) {
      LabRun<List<String>> original = LabRuntime.run(seed, Workloads.MIXED);
      List<Long> edited = new ArrayList<>(original.choices());
      int step = random.nextInt(edited.size());
      edited.set(step, 999L);
      LabRun<List<String>> replay = LabRuntime.run(original.config().withReplay(edited), Workloads.MIXED);
      assertThat(replay.violated(Oracle.REPLAY_DIVERGENCE)).as(replay.report()).isTrue();
      assertThat(replay.report()).contains("replay_divergence: step " + step + ": recorded choice task 999 not runnable");
      assertThat(replay.choices().subList(0, step)).isEqualTo(original.choices().subList(0, step));
    }
  }

  @Test
  void failureFoundByExplorationReplaysFromItsSeedItsChoicesAndItsTraceFile(@TempDir Path dir) throws Exception {
    Explorer.Exploration<Integer> exploration = Explorer.explore(LabConfig.seed(0), SEEDS, false, Workloads.LOST_UPDATE);
    assertThat(exploration.failures()).isNotEmpty();
    for (LabRun<Integer> failure : exploration.failures()) {
      assertThat(failure.violated(Oracle.PANIC)).as(failure.report()).isTrue();
      assertThat(failure.report()).contains("lost update").contains("reproduce: @LabTest(seed = " + failure.config().seed() + "L)");
      assertSameRun(LabRuntime.run(failure.config().seed(), Workloads.LOST_UPDATE), failure);
      assertSameRun(LabRuntime.run(failure.config().withReplay(failure.choices()), Workloads.LOST_UPDATE), failure);
    }
    LabRun<Integer> first = exploration.failures().getFirst();
    Path file = dir.resolve("lost-update.trace");
    TraceFile.write(file, first);
    assertSameRun(LabRuntime.run(TraceFile.read(file).replayConfig(), Workloads.LOST_UPDATE), first);
  }
}
