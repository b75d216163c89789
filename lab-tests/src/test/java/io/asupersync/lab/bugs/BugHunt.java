package io.asupersync.lab.bugs;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.TaskBody;
import io.asupersync.lab.Explorer;
import io.asupersync.lab.LabConfig;
import io.asupersync.lab.LabRun;
import io.asupersync.lab.LabRuntime;
import io.asupersync.lab.Oracle;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What every planted-bug test does: find the bug by exploration, then reproduce it exactly. */
final class BugHunt {

  private static final Pattern PRINTED_SEED = Pattern.compile("-Dasupersync\\.lab\\.seed=(-?\\d+)");

  private BugHunt() {}

  /** Explores seeds from {@code base} until the first failing run, which must fire {@code oracle}. */
  static <T> LabRun<T> findFirst(LabConfig base, int budget, Oracle oracle, TaskBody<T> scenario) {
    Explorer.Exploration<T> exploration = Explorer.explore(base, budget, true, scenario);
    assertThat(exploration.firstFailure()).as("%s found within %d runs of %s", oracle.id(), budget, base).isPresent();
    LabRun<T> failure = exploration.firstFailure().orElseThrow();
    assertThat(failure.violated(oracle)).as(failure.report()).isTrue();
    assertThat(failure.report()).contains("Lab run FAILED").contains("    - " + oracle.id() + ": ");
    return failure;
  }

  /** The seed printed on the report's reproduction line. */
  static long printedSeed(LabRun<?> run) {
    Matcher m = PRINTED_SEED.matcher(run.report());
    assertThat(m.find()).as(run.report()).isTrue();
    return Long.parseLong(m.group(1));
  }

  /**
   * Runs the printed seed again, and the recorded choices, and checks both give the very same run:
   * violations, fingerprint, trace and report.
   */
  static <T> void assertReproducesExactly(LabRun<T> failure, TaskBody<T> scenario) {
    long seed = printedSeed(failure);
    assertThat(seed).isEqualTo(failure.config().seed());
    LabRun<T> fromSeed = LabRuntime.run(failure.config().withSeed(seed), scenario);
    LabRun<T> fromChoices = LabRuntime.run(failure.config().withReplay(failure.choices()), scenario);
    for (LabRun<T> again : java.util.List.of(fromSeed, fromChoices)) {
      assertThat(again.violations()).isEqualTo(failure.violations());
      assertThat(again.fingerprint()).isEqualTo(failure.fingerprint());
      assertThat(again.trace()).isEqualTo(failure.trace());
      assertThat(again.choices()).isEqualTo(failure.choices());
    }
    assertThat(fromSeed.report()).isEqualTo(failure.report());
  }

  /** The corrected code passes the same number of runs that found the bug, and more. */
  static <T> void assertFixPasses(LabConfig base, int runs, TaskBody<T> fixed) {
    Explorer.Exploration<T> exploration = Explorer.explore(base, runs, true, fixed);
    assertThat(exploration.passed())
        .as(() -> exploration.firstFailure().map(LabRun::report).orElse(""))
        .isTrue();
  }
}
