package io.asupersync.spring.boot.autoconfigure;

import io.asupersync.LeakResponse;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration properties for Asupersync, bound from the {@code asupersync} prefix.
 *
 * @param runtime Settings of the structured-concurrency runtime.
 */
@ConfigurationProperties("asupersync")
public record AsupersyncProperties(@DefaultValue Runtime runtime) {

  /**
   * Runtime settings.
   *
   * @param shutdownTimeout Maximum time to wait, on application shutdown, for the root region to cancel,
   *     drain and finalize before the remaining work is reported as leaked.
   * @param traceCapacity Number of structured trace events kept in the in-memory ring buffer.
   * @param leakResponse What to do when a task ends holding a reserved obligation.
   */
  public record Runtime(
      @DefaultValue("30s") Duration shutdownTimeout,
      @DefaultValue("4096") int traceCapacity,
      @DefaultValue("log") LeakResponse leakResponse) {}
}
