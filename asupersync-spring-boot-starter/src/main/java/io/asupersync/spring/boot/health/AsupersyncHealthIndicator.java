package io.asupersync.spring.boot.health;

import io.asupersync.Runtime;
import io.asupersync.RuntimeSnapshot;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the Asupersync runtime: DOWN once it is shut down, or once more obligations have leaked since
 * start than the threshold tolerates (a leak is a bug: an effect was neither committed nor aborted);
 * otherwise UP. Details: live task, region and obligation counts, leaks and the threshold.
 */
public final class AsupersyncHealthIndicator extends AbstractHealthIndicator {

  private final Runtime runtime;
  private final long leakThreshold;

  /**
   * @param runtime the runtime to report on
   * @param leakThreshold leaks tolerated before the status turns DOWN
   */
  public AsupersyncHealthIndicator(Runtime runtime, long leakThreshold) {
    super("Asupersync health check failed");
    this.runtime = runtime;
    this.leakThreshold = leakThreshold;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    RuntimeSnapshot.Counters counters = runtime.counters();
    boolean shutdown = runtime.isShutdown();
    boolean tooManyLeaks = counters.obligationsLeaked() > leakThreshold;
    (shutdown || tooManyLeaks ? builder.down() : builder.up())
        .withDetail("shutdown", shutdown)
        .withDetail("tasksActive", counters.tasksActive())
        .withDetail("regionsActive", counters.regionsActive())
        .withDetail("obligationsActive", counters.obligationsActive())
        .withDetail("obligationsLeaked", counters.obligationsLeaked())
        .withDetail("leakThreshold", leakThreshold)
        .withDetail("stragglers", counters.stragglers());
  }
}
