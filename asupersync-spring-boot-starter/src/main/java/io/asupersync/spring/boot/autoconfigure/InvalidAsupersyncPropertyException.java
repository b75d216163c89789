package io.asupersync.spring.boot.autoconfigure;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An {@code asupersync.*} property has a value the starter cannot use. Thrown while the properties are
 * bound or checked at startup; {@link InvalidAsupersyncPropertyFailureAnalyzer} turns it into the
 * startup failure report.
 */
public final class InvalidAsupersyncPropertyException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Shown instead of the value of a credential property, here and in the failure report. */
  static final String MASK = "******";

  private final String property;
  private final @Nullable String value;
  private final String reason;
  private final String action;

  /**
   * @param property full property name, such as {@code asupersync.server.ssl.bundle}
   * @param value the offending value, or {@code null} when the problem is a missing value; masked when
   *     the property holds a credential (its name ends in password, token or secret)
   * @param reason why the value cannot be used
   * @param action what to change
   */
  public InvalidAsupersyncPropertyException(
      String property, @Nullable Object value, String reason, String action) {
    super("Invalid value '" + shown(property, value) + "' for property '" + property + "': " + reason);
    this.property = Objects.requireNonNull(property, "property");
    this.value = shown(property, value);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.action = Objects.requireNonNull(action, "action");
  }

  private static @Nullable String shown(String property, @Nullable Object value) {
    return value == null ? null : isCredential(property) ? MASK : value.toString();
  }

  static boolean isCredential(String property) {
    return property.endsWith("password") || property.endsWith("token") || property.endsWith("secret");
  }

  public String property() {
    return property;
  }

  /** The value as text, {@code null} when the problem is a missing value. */
  public @Nullable String value() {
    return value;
  }

  public String reason() {
    return reason;
  }

  public String action() {
    return action;
  }
}
