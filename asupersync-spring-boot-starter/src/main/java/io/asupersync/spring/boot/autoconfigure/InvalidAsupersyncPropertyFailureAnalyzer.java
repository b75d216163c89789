package io.asupersync.spring.boot.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Reports an {@link InvalidAsupersyncPropertyException} as the property, its value, where the value came
 * from, why it cannot be used and what to change. Ordered ahead of Boot's generic binding analyzer, which
 * would otherwise report the same failure as a bind error of the whole section.
 */
final class InvalidAsupersyncPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidAsupersyncPropertyException>
    implements Ordered {

  private final @Nullable Environment environment;

  InvalidAsupersyncPropertyFailureAnalyzer(@Nullable Environment environment) {
    this.environment = environment;
  }

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, InvalidAsupersyncPropertyException cause) {
    ConfigurationProperty source = find(cause.property());
    StringBuilder description = new StringBuilder();
    if (cause.value() == null) {
      description.append("Property '").append(cause.property()).append("' is missing");
    } else {
      // The value as the user wrote it ("-1MB"), not as bound ("-1048576B").
      Object written =
          source != null && !InvalidAsupersyncPropertyException.isCredential(cause.property())
              ? source.getValue()
              : cause.value();
      description.append("Invalid value '").append(written).append("' for property '")
          .append(cause.property()).append("'");
    }
    Origin origin = source != null ? source.getOrigin() : null;
    if (origin != null) {
      description.append(" (from ").append(origin).append(")");
    }
    description.append(": ").append(cause.reason()).append('.');
    return new FailureAnalysis(description.toString(), cause.action(), cause);
  }

  private @Nullable ConfigurationProperty find(String property) {
    if (environment == null || !ConfigurationPropertyName.isValid(property)) {
      return null;
    }
    ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
      ConfigurationProperty found = source.getConfigurationProperty(name);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
