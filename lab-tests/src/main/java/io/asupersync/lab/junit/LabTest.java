package io.asupersync.lab.junit;

import io.asupersync.lab.FaultPreset;
import io.asupersync.lab.Strategy;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test method under the deterministic lab runtime, once per seed from {@link #seed()} to
 * {@code seed() + runs() - 1}, and checks every run against the lab oracles.
 *
 * <p>The method may declare parameters of type {@link io.asupersync.Cx} (the context of the lab's root
 * task, valid for the current run only), {@link io.asupersync.lab.LabConfig} (the current run's
 * configuration) and {@code long} (the current run's seed); other parameters are resolved by JUnit as
 * usual, once per invocation. The method body runs as the lab's root task: spawn, open scopes, use
 * channels and assert as in production code.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>The test fails at the first run, in seed order, that violated an oracle, whose body ended in
 *       {@code Err} or {@code Panicked} (a failed assertion anywhere in the run is a panic), or that was
 *       cancelled although no faults were injected. The failure message is the run's report: seed,
 *       fingerprint, violations, the last events of the tasks involved and a one-line reproduction.
 *   <li>The same seed and attributes give the same schedule, the same virtual time and the same report.
 *   <li>When the system property or JUnit configuration parameter {@value LabTestExtension#SEED_PROPERTY}
 *       is set, every {@code @LabTest} runs that one seed only (the reproduction line in a report).
 * </ul>
 *
 * <p>By default all seeds run inside a single JUnit invocation (display name {@code seeds 0..99}), which
 * keeps a sweep of thousands of seeds cheap; the same test instance then serves every run, so keep the
 * state a run mutates inside the method. Set {@link #invocationPerSeed()} to get one invocation, one test
 * instance and one report line per seed ({@code seed 42}).
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith(LabTestExtension.class)
public @interface LabTest {

  /** First seed of the sweep. */
  long seed() default 0;

  /** Number of runs, each with the next seed; at least 1. */
  int runs() default 100;

  /** How the lab scheduler picks the next task at each yield point. */
  Strategy strategy() default Strategy.RANDOM;

  /** Bug depth for {@link Strategy#PCT}: priority change points plus one; at least 1. */
  int pctDepth() default 3;

  /** Step range in which {@link Strategy#PCT} places its change points; about the steps of one run. */
  long pctSteps() default 1_000;

  /** Faults (cancel requests, delays, exhausted budgets) injected at yield points. */
  FaultPreset faults() default FaultPreset.NONE;

  /** Scheduling steps after which a run is reported as a livelock ({@code step_limit}). */
  long maxSteps() default 1_000_000;

  /** Whether each seed is its own JUnit invocation, named {@code seed N}, instead of one for all. */
  boolean invocationPerSeed() default false;
}
