package io.asupersync.spring.boot.autoconfigure.health;

import io.asupersync.spring.boot.autoconfigure.InvalidAsupersyncPropertyException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the Asupersync health indicator, bound from {@code asupersync.health}.
 *
 * @param leakThreshold Number of leaked obligations, since start, tolerated before the health status
 *     turns DOWN.
 */
@ConfigurationProperties("asupersync.health")
public record AsupersyncHealthProperties(@DefaultValue("0") long leakThreshold) {

  public AsupersyncHealthProperties {
    if (leakThreshold < 0) {
      throw new InvalidAsupersyncPropertyException(
          "asupersync.health.leak-threshold", leakThreshold, "must not be negative", "Set it to 0 or more.");
    }
  }
}
