package io.asupersync.lab;

import io.asupersync.TaskBody;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs a scenario under many schedules: a sweep of consecutive seeds with the configured strategy
 * (random or PCT), counting distinct schedules by fingerprint, stopping at the first violation or
 * collecting them all. Under PCT the change-point range of each run is the previous run's length
 * in steps (the first run uses the configured one), and each failing run's configuration, printed
 * in its report, records the range it used.
 */
public final class Explorer {

  private Explorer() {}

  /**
   * Runs {@code scenario} for seeds {@code base.seed()} to {@code base.seed() + runs - 1}.
   *
   * @param base configuration of every run except its seed
   * @param runs how many runs at most
   * @param stopAtFirstViolation whether to stop at the first failing run
   */
  public static <T> Exploration<T> explore(LabConfig base, int runs, boolean stopAtFirstViolation, TaskBody<T> scenario) {
    if (runs < 1) {
      throw new IllegalArgumentException("runs must be at least 1");
    }
    Set<Long> fingerprints = new HashSet<>();
    List<LabRun<T>> failures = new ArrayList<>();
    int done = 0;
    LabConfig config = base;
    for (int i = 0; i < runs; i++) {
      LabRun<T> run = LabRuntime.run(config.withSeed(base.seed() + i), scenario);
      done++;
      fingerprints.add(run.fingerprint());
      if (!run.passed()) {
        failures.add(run);
        if (stopAtFirstViolation) {
          break;
        }
      }
      if (config.strategy() == Strategy.PCT) {
        // PCT spreads its change points over the expected run length: learn it from the last run.
        config = config.withPct(config.pctDepth(), Math.max(1, run.steps()));
      }
    }
    return new Exploration<>(done, fingerprints.size(), failures);
  }

  /**
   * What an exploration saw.
   *
   * @param runs runs executed
   * @param distinctSchedules distinct schedule fingerprints among them
   * @param failures the failing runs, in seed order
   * @param <T> the scenario's value type
   */
  public record Exploration<T>(int runs, int distinctSchedules, List<LabRun<T>> failures) {

    public Exploration {
      failures = List.copyOf(failures);
    }

    public Optional<LabRun<T>> firstFailure() {
      return failures.stream().findFirst();
    }

    /** How many runs it took to find the first failure (its 1-based position), or 0 if none. */
    public long runsToFirstFailure(long baseSeed) {
      return firstFailure().map(r -> r.config().seed() - baseSeed + 1).orElse(0L);
    }

    public boolean passed() {
      return failures.isEmpty();
    }
  }
}
