package io.asupersync.spring.boot.autoconfigure.web;

import io.asupersync.spring.boot.autoconfigure.InvalidAsupersyncPropertyException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the Spring MVC integration, bound from {@code asupersync.web}.
 *
 * @param requestBudget Time budget of the request region of a Spring MVC handler that takes a Cx. Unset,
 *     asupersync.runtime.default-request-budget applies.
 */
@ConfigurationProperties("asupersync.web")
public record AsupersyncWebProperties(@Nullable Duration requestBudget) {

  public AsupersyncWebProperties {
    if (requestBudget != null && (requestBudget.isNegative() || requestBudget.isZero())) {
      throw new InvalidAsupersyncPropertyException(
          "asupersync.web.request-budget",
          requestBudget,
          "must be a positive duration",
          "Use a value such as 500ms, 30s or 2m, or remove it to use asupersync.runtime.default-request-budget.");
    }
  }
}
