package io.asupersync.lab;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Settings of one lab run.
 *
 * @param seed drives every choice: schedule, faults, task random sources
 * @param strategy how the next task is picked
 * @param pctDepth bug depth for {@link Strategy#PCT} (number of priority change points plus one)
 * @param pctExpectedSteps the step range in which PCT places its change points; it should be close
 *     to the scenario's length in steps ({@link Explorer} adapts it to the previous run's length)
 * @param faults fault injection preset
 * @param maxSteps scheduling steps before the run is declared a livelock ({@link Oracle#STEP_LIMIT})
 * @param futurelockSteps steps a task holding obligations may go unscheduled ({@link Oracle#FUTURELOCK})
 * @param escapeGrace real time a task may run without reaching a yield point before it is reported
 *     as blocked outside the runtime ({@link Oracle#ESCAPE})
 * @param replay recorded choices to follow instead of the strategy; null to use the strategy
 */
public record LabConfig(
    long seed,
    Strategy strategy,
    int pctDepth,
    long pctExpectedSteps,
    FaultPreset faults,
    long maxSteps,
    long futurelockSteps,
    Duration escapeGrace,
    @Nullable List<Long> replay) {

  public LabConfig {
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(faults, "faults");
    Objects.requireNonNull(escapeGrace, "escapeGrace");
    if (pctDepth < 1) {
      throw new IllegalArgumentException("pctDepth must be at least 1");
    }
    if (maxSteps < 1 || futurelockSteps < 1 || pctExpectedSteps < 1) {
      throw new IllegalArgumentException("step limits must be positive");
    }
    if (replay != null) {
      replay = List.copyOf(replay);
    }
  }

  /** Random strategy, no faults, 1,000,000 steps, futurelock after 10,000 steps, 2 s escape grace. */
  public static LabConfig seed(long seed) {
    return new LabConfig(seed, Strategy.RANDOM, 3, 1_000, FaultPreset.NONE, DEFAULT_MAX_STEPS, 10_000, Duration.ofSeconds(2), null);
  }

  /** The default step limit. */
  public static final long DEFAULT_MAX_STEPS = 1_000_000;

  public LabConfig withSeed(long value) {
    return new LabConfig(value, strategy, pctDepth, pctExpectedSteps, faults, maxSteps, futurelockSteps, escapeGrace, replay);
  }

  public LabConfig withStrategy(Strategy value) {
    return new LabConfig(seed, value, pctDepth, pctExpectedSteps, faults, maxSteps, futurelockSteps, escapeGrace, replay);
  }

  public LabConfig withPct(int depth, long expectedSteps) {
    return new LabConfig(seed, Strategy.PCT, depth, expectedSteps, faults, maxSteps, futurelockSteps, escapeGrace, replay);
  }

  public LabConfig withFaults(FaultPreset value) {
    return new LabConfig(seed, strategy, pctDepth, pctExpectedSteps, value, maxSteps, futurelockSteps, escapeGrace, replay);
  }

  public LabConfig withMaxSteps(long value) {
    return new LabConfig(seed, strategy, pctDepth, pctExpectedSteps, faults, value, futurelockSteps, escapeGrace, replay);
  }

  public LabConfig withFuturelockSteps(long value) {
    return new LabConfig(seed, strategy, pctDepth, pctExpectedSteps, faults, maxSteps, value, escapeGrace, replay);
  }

  public LabConfig withEscapeGrace(Duration value) {
    return new LabConfig(seed, strategy, pctDepth, pctExpectedSteps, faults, maxSteps, futurelockSteps, value, replay);
  }

  /** Follow {@code choices} (a previous run's {@link LabRun#choices()}) instead of the strategy. */
  public LabConfig withReplay(@Nullable List<Long> choices) {
    return new LabConfig(seed, strategy, pctDepth, pctExpectedSteps, faults, maxSteps, futurelockSteps, escapeGrace, choices);
  }

  /** The annotation attributes that reproduce this configuration with {@code @LabTest}. */
  public String reproduction() {
    StringBuilder sb = new StringBuilder("@LabTest(seed = ").append(seed).append('L');
    if (strategy == Strategy.PCT) {
      sb.append(", strategy = Strategy.PCT, pctDepth = ").append(pctDepth).append(", pctSteps = ").append(pctExpectedSteps);
    }
    if (maxSteps != DEFAULT_MAX_STEPS) {
      sb.append(", maxSteps = ").append(maxSteps);
    }
    if (faults != FaultPreset.NONE) {
      sb.append(", faults = FaultPreset.").append(faults.name());
    }
    sb.append(")  or  -Dasupersync.lab.seed=").append(seed);
    return sb.toString();
  }
}
