package io.asupersync.spring.boot.autoconfigure;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

/** Range checks shared by the properties records; each failure names the full property. */
final class PropertyChecks {

  private PropertyChecks() {}

  static void positive(String property, long value) {
    if (value <= 0) {
      throw new InvalidAsupersyncPropertyException(property, value, "must be positive", "Set it to 1 or more.");
    }
  }

  static void notNegative(String property, long value) {
    if (value < 0) {
      throw new InvalidAsupersyncPropertyException(property, value, "must not be negative", "Set it to 0 or more.");
    }
  }

  static void positive(String property, @Nullable Duration value) {
    if (value != null && (value.isNegative() || value.isZero())) {
      throw new InvalidAsupersyncPropertyException(
          property, value, "must be a positive duration", "Use a value such as 500ms, 30s or 2m.");
    }
  }

  static void positive(String property, DataSize value) {
    if (value.toBytes() <= 0) {
      throw new InvalidAsupersyncPropertyException(
          property, value, "must be a positive size", "Use a value such as 8KB, 64KB or 16MB.");
    }
  }

  /** A positive size that fits the {@code int} the protocol layer uses. */
  static int intBytes(String property, DataSize value) {
    positive(property, value);
    if (value.toBytes() > Integer.MAX_VALUE) {
      throw new InvalidAsupersyncPropertyException(
          property, value, "must be below 2GB", "Use a value of at most 2047MB.");
    }
    return (int) value.toBytes();
  }

  static void inRange(String property, DataSize value, DataSize min, DataSize max) {
    if (value.toBytes() < min.toBytes() || value.toBytes() > max.toBytes()) {
      throw new InvalidAsupersyncPropertyException(
          property,
          value,
          "must be between " + min.toBytes() + " and " + max.toBytes() + " bytes",
          "Use a value in that range.");
    }
  }

  /** A TCP port to connect to. */
  static void tcpPort(String property, int value) {
    if (value < 1 || value > 65535) {
      throw new InvalidAsupersyncPropertyException(
          property, value, "must be a TCP port between 1 and 65535", "Use the port the server listens on.");
    }
  }
}
