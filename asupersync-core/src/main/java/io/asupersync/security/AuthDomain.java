package io.asupersync.security;

import java.util.regex.Pattern;

/**
 * What a tag authenticates. The domain name is part of the tagged framing, so a tag made for one
 * domain never verifies in another, even over the same bytes.
 *
 * @param name lower-case dotted name, 1 to 64 characters of {@code [a-z0-9]} separated by {@code .} or
 *     {@code -}
 */
public record AuthDomain(String name) {

  // Before the constants: they are validated against it during class initialization.
  private static final Pattern NAME = Pattern.compile("[a-z0-9]+([.-][a-z0-9]+)*");

  /** Recorded lab runs written by {@code io.asupersync.lab.TraceFile}. */
  public static final AuthDomain TRACE_FILE = new AuthDomain("asupersync.lab.trace-file");

  /** Trace and diagnostic exports (for example those served by an actuator endpoint). */
  public static final AuthDomain TRACE_EXPORT = new AuthDomain("asupersync.trace.export");

  public AuthDomain {
    if (name.length() > 64 || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "domain name must be 1 to 64 characters of [a-z0-9] separated by '.' or '-', was \"" + name + "\"");
    }
  }
}
